package cn.emon.query;

import cn.emon.alerting.AlertRules;
import cn.emon.alerting.PlacementStatus;
import cn.emon.household.HouseholdState;
import cn.emon.household.Training;
import cn.emon.region.RegionCode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/** The answer of {@code GET /api/v1/households/{id}}: current state with employment status at now. */
public record HouseholdView(
    String householdId,
    String regionCode,
    String countyCode,
    boolean deepPovertyArea,
    boolean closed,
    boolean zeroEmployment,
    Helper helper,
    List<MemberView> members,
    List<PlacementView> placements,
    List<Training> trainings,
    List<AlertView> openAlerts,
    Instant nextDeadline) {

  /** The one-on-one helper (一对一帮扶责任人). */
  public record Helper(String helperId, String helperName) {}

  /** A member with whether they hold an active placement now. */
  public record MemberView(String memberId, String laborCapacity, boolean labourCapable,
      boolean wantsTraining, boolean employed) {}

  /**
   * A placement with its status now (pending, active, ended, expired, unverified) and, until it
   * ends, {@code verificationDueAt}: when it lapses as unverified unless verified before.
   */
  public record PlacementView(String placementId, String memberId, String channel, String employer,
      String workRegionCode, String workScope, LocalDate startDate, LocalDate expectedEndDate,
      Long monthlyIncomeYuan, LocalDate lastVerifiedOn, LocalDate endDate, String endReason, String status,
      Instant verificationDueAt) {}

  static HouseholdView of(HouseholdState s, AlertRules rules, Instant now) {
    List<PlacementView> placements = s.placements().values().stream().map(p -> {
      PlacementStatus status = rules.status(p, now);
      return new PlacementView(p.placementId(), p.memberId(), p.channel().name(), p.employer(),
          p.workRegionCode(), p.workScope().name(), p.startDate(), p.expectedEndDate(), p.monthlyIncomeYuan(),
          p.lastVerifiedOn(), p.endDate(), p.endReason() == null ? null : p.endReason().name(),
          status.name().toLowerCase(java.util.Locale.ROOT),
          status == PlacementStatus.ENDED ? null : rules.verificationDue(p));
    }).toList();
    Set<String> employed = rules.employment(s.facts(), now).keySet();
    List<MemberView> members = s.members().values().stream().map(m -> new MemberView(m.memberId(),
        m.laborCapacity().name(), m.laborCapacity().isLabourCapable(), m.wantsTraining(),
        employed.contains(m.memberId()))).toList();
    boolean zero = !s.closed() && members.stream().anyMatch(MemberView::labourCapable) && employed.isEmpty();
    return new HouseholdView(s.householdId(), s.regionCode(), RegionCode.of(s.regionCode()).county(),
        s.deepPovertyArea(), s.closed(), zero,
        s.helper() == null ? null : new Helper(s.helper().helperId(), s.helper().helperName()),
        members, placements, s.trainings(), s.openAlerts().stream().map(AlertView::of).toList(),
        s.scheduledDue());
  }
}
