package cn.emon.alerting;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A member of a household as the rules see it.
 *
 * @param wantsTrainingSince event time at which the member last started wanting training (null when not)
 * @param lastEnrolledOn start date of the member's latest training enrolment (null when never)
 * @param updatedAt event time of the latest applied change to capacity or training wish
 */
public record Member(
    String memberId,
    LaborCapacity laborCapacity,
    boolean wantsTraining,
    Instant wantsTrainingSince,
    LocalDate lastEnrolledOn,
    Instant updatedAt) {

  public static Member of(String memberId, LaborCapacity capacity, boolean wantsTraining, Instant at) {
    return new Member(memberId, capacity, wantsTraining, wantsTraining ? at : null, null, at);
  }

  /**
   * Applies a change reported at {@code at}; a report older than the last applied one changes
   * nothing, so the state follows event times, not arrival order.
   */
  public Member updated(LaborCapacity capacity, Boolean wants, Instant at) {
    if (at.isBefore(updatedAt)) {
      return this;
    }
    LaborCapacity newCapacity = capacity != null ? capacity : laborCapacity;
    boolean newWants = wants != null ? wants : wantsTraining;
    Instant since = newWants ? (wantsTraining ? wantsTrainingSince : at) : null;
    return new Member(memberId, newCapacity, newWants, since, lastEnrolledOn, at);
  }

  public Member enrolledOn(LocalDate date) {
    LocalDate latest = lastEnrolledOn == null || date.isAfter(lastEnrolledOn) ? date : lastEnrolledOn;
    return new Member(memberId, laborCapacity, wantsTraining, wantsTrainingSince, latest, updatedAt);
  }
}
