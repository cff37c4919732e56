package cn.emon.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of evaluating the rules at one instant.
 *
 * @param findings the conditions that hold now, in {@link AlertKey#ORDER}
 * @param nextDue the earliest instant strictly after now at which the outcome may change with no
 *     new event, or empty when only a new event can change it
 */
public record Evaluation(List<Finding> findings, Optional<Instant> nextDue) {}
