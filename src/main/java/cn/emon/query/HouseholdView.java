package cn.emon.query;

import cn.emon.alerting.AlertRules;
import cn.emon.alerting.Member;
import cn.emon.alerting.Placement;
import cn.emon.alerting.PlacementStatus;
import cn.emon.household.HouseholdState;
import cn.emon.household.Training;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

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

  /** A placement with its status now (pending, active, ended, expired, unverified). */
  public record PlacementView(String placementId, String memberId, String channel, String employer,
      String workRegionCode, String workScope, LocalDate startDate, LocalDate expectedEndDate,
      Long monthlyIncomeYuan, LocalDate lastVerifiedOn, LocalDate endDate, String endReason, String status) {}

  static HouseholdView of(HouseholdState s, AlertRules rules, Instant now) {
    List<PlacementView> placements = s.placements().values().stream().map(p -> new PlacementView(
        p.placementId(), p.memberId(), p.channel().name(), p.employer(), p.workRegionCode(),
        p.workScope().name(), p.startDate(), p.expectedEndDate(), p.monthlyIncomeYuan(),
        p.lastVerifiedOn(), p.endDate(), p.endReason() == null ? null : p.endReason().name(),
        rules.status(p, now).name().toLowerCase(java.util.Locale.ROOT))).toList();
    List<MemberView> members = s.members().values().stream().map(m -> new MemberView(m.memberId(),
        m.laborCapacity().name(), m.laborCapacity().isLabourCapable(), m.wantsTraining(),
        employed(m, s, rules, now))).toList();
    boolean zero = !s.closed() && members.stream().anyMatch(MemberView::labourCapable)
        && members.stream().noneMatch(MemberView::employed);
    return new HouseholdView(s.householdId(), s.regionCode(),
        s.regionCode().length() >= 6 ? s.regionCode().substring(0, 6) : s.regionCode(),
        s.deepPovertyArea(), s.closed(), zero,
        s.helperId() == null ? null : new Helper(s.helperId(), s.helperName()),
        members, placements, s.trainings(), s.openAlerts().stream().map(AlertView::of).toList(),
        s.scheduledDue());
  }

  private static boolean employed(Member m, HouseholdState s, AlertRules rules, Instant now) {
    for (Placement p : s.placements().values()) {
      if (p.memberId().equals(m.memberId()) && rules.status(p, now) == PlacementStatus.ACTIVE) {
        return true;
      }
    }
    return false;
  }
}
