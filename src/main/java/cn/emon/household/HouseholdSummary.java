package cn.emon.household;

import cn.emon.alerting.Channel;
import cn.emon.alerting.WorkScope;
import java.util.List;

/**
 * What the region statistics count of one household, as of the last change. The entity persists
 * a new summary whenever it changes (also when time alone changes it: a placement that lapses),
 * so aggregates are a fold of the journal.
 *
 * @param employed one entry per employed member: the channel, work scope and start year of the
 *     member's active placement (the earliest-started one when several are active)
 * @param helperAssigned whether a one-on-one helper is assigned; null in summaries stored before
 *     the field existed (the read model then keeps what it knows)
 */
public record HouseholdSummary(
    String regionCode,
    boolean deepPovertyArea,
    boolean closed,
    int labourCapable,
    boolean zeroEmployment,
    List<Employment> employed,
    Boolean helperAssigned) {

  /** One employed member. */
  public record Employment(String memberId, Channel channel, WorkScope scope, int startYear) {}
}
