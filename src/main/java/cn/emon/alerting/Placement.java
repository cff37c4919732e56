package cn.emon.alerting;

import java.time.LocalDate;

/**
 * One job spell (就业/务工记录). Verifications only move {@code lastVerifiedOn} forward; once an
 * end date is set a later verification never clears it.
 */
public record Placement(
    String placementId,
    String memberId,
    Channel channel,
    String employer,
    String workRegionCode,
    WorkScope workScope,
    LocalDate startDate,
    LocalDate expectedEndDate,
    Long monthlyIncomeYuan,
    LocalDate lastVerifiedOn,
    LocalDate endDate,
    EndReason endReason) {

  public Placement verifiedOn(LocalDate date) {
    LocalDate latest = lastVerifiedOn == null || date.isAfter(lastVerifiedOn) ? date : lastVerifiedOn;
    return new Placement(placementId, memberId, channel, employer, workRegionCode, workScope,
        startDate, expectedEndDate, monthlyIncomeYuan, latest, endDate, endReason);
  }

  /** Records the end; of two end reports the earlier date wins, because the job was gone by then. */
  public Placement endedOn(LocalDate date, EndReason reason) {
    if (endDate != null && !date.isBefore(endDate)) {
      return this;
    }
    return new Placement(placementId, memberId, channel, employer, workRegionCode, workScope,
        startDate, expectedEndDate, monthlyIncomeYuan, lastVerifiedOn, date, reason);
  }

  public Placement withWorkScope(WorkScope scope) {
    return new Placement(placementId, memberId, channel, employer, workRegionCode, scope,
        startDate, expectedEndDate, monthlyIncomeYuan, lastVerifiedOn, endDate, endReason);
  }
}
