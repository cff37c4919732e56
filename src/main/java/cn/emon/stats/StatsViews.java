package cn.emon.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the statistics and target endpoints. Region names are null for codes the table lacks. */
final class StatsViews {

  private StatsViews() {}

  /** {@code GET /api/v1/stats/regions}. */
  record RegionPage(String level, String parent, int year, List<RegionRow> regions) {}

  /**
   * One region (CONTRACT §4), plus employment by work scope and the annual target of {@code year}:
   * achieved counts members employed now whose active placement started that year.
   */
  record RegionRow(
      String code,
      @JsonInclude(JsonInclude.Include.ALWAYS) String name,
      long households,
      long labourCapable,
      long employed,
      long zeroEmploymentHouseholds,
      Map<String, Long> openAlerts,
      Map<String, Long> employedByChannel,
      Map<String, Long> employedByScope,
      @JsonInclude(JsonInclude.Include.ALWAYS) Long target,
      long achieved,
      @JsonInclude(JsonInclude.Include.ALWAYS) Double progress) {}

  /** {@code GET /api/v1/stats/open-alerts}: open and acknowledged alerts, oldest first. */
  record OpenAlertPage(List<OpenAlert> alerts) {}

  /** An open alert for a table: no personal data, region names beside codes. */
  record OpenAlert(String alertId, String type, String severity, String status, String householdId,
      String memberId, String placementId, String regionCode, String countyCode,
      @JsonInclude(JsonInclude.Include.ALWAYS) String countyName, String provinceCode,
      @JsonInclude(JsonInclude.Include.ALWAYS) String provinceName, Instant raisedAt,
      long openHours, Instant acknowledgedAt, String acknowledgedBy, String summary) {}

  /** {@code GET /api/v1/stats/zero-employment}. */
  record ZeroEmploymentPage(List<ZeroEmploymentCounty> counties, List<String> households) {}

  /** Zero-employment households of one county. */
  record ZeroEmploymentCounty(String countyCode,
      @JsonInclude(JsonInclude.Include.ALWAYS) String countyName, String prefectureCode,
      @JsonInclude(JsonInclude.Include.ALWAYS) String prefectureName, String provinceCode,
      @JsonInclude(JsonInclude.Include.ALWAYS) String provinceName, long households,
      long zeroEmploymentHouseholds, double zeroEmploymentShare) {}

  /** {@code GET /api/v1/targets}. */
  record TargetPage(List<TargetRow> targets) {}

  /** A county's target for a year with what is achieved so far. */
  record TargetRow(String countyCode, @JsonInclude(JsonInclude.Include.ALWAYS) String countyName,
      String provinceCode, @JsonInclude(JsonInclude.Include.ALWAYS) String provinceName, int year,
      long target, long achieved, @JsonInclude(JsonInclude.Include.ALWAYS) Double progress) {}

  /** The answer of {@code PUT /api/v1/targets/{countyCode}/{year}}. */
  record StoredTarget(String countyCode, String countyName, int year, long target, Instant updatedAt,
      String updatedBy) {}

  static Double progress(Long target, long achieved) {
    return target == null || target == 0 ? null : Math.round(achieved * 10000.0 / target) / 10000.0;
  }
}
