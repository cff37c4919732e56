package cn.emon.query;

import cn.emon.http.ApiException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The alert filters shared by {@code GET /api/v1/alerts} and the alerts export, validated; null
 * means "any". {@code region} is a region-code prefix; {@code since} bounds {@code raisedAt} from
 * below (inclusive).
 */
public record AlertFilter(String status, String type, String severity, String region, String householdId,
    Instant since) {

  private static final Set<String> STATUSES = Set.of("open", "acknowledged", "resolved");
  private static final Set<String> TYPES = Set.of("ZERO_EMPLOYMENT", "PLACEMENT_LAPSED", "NO_HELPER",
      "TRAINING_PENDING");
  private static final Set<String> SEVERITIES = Set.of("warning", "high", "critical");
  private static final Pattern REGION = Pattern.compile("[0-9]{1,12}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** Reads the filters from query parameters; a bad value is a 400 naming the parameter. */
  public static AlertFilter from(Map<String, String> params) {
    String status = params.get("status");
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.invalidParameter("status: must be open, acknowledged or resolved");
    }
    String type = params.get("type");
    if (type != null && !TYPES.contains(type)) {
      throw ApiException.invalidParameter("type: must be one of ZERO_EMPLOYMENT, PLACEMENT_LAPSED, NO_HELPER, TRAINING_PENDING");
    }
    String severity = params.get("severity");
    if (severity != null && !SEVERITIES.contains(severity)) {
      throw ApiException.invalidParameter("severity: must be warning, high or critical");
    }
    String region = params.get("region");
    if (region != null && !REGION.matcher(region).matches()) {
      throw ApiException.invalidParameter("region: must be a region-code prefix of 1-12 digits");
    }
    String householdId = params.get("householdId");
    if (householdId != null && !ID.matcher(householdId).matches()) {
      throw ApiException.invalidParameter("householdId: must be 1-64 characters of A-Z a-z 0-9 _ . -");
    }
    Instant since = null;
    if (params.containsKey("since")) {
      try {
        since = OffsetDateTime.parse(params.get("since")).toInstant();
      } catch (DateTimeParseException e) {
        throw ApiException.invalidParameter("since: must be an RFC 3339 timestamp with offset");
      }
    }
    return new AlertFilter(status, type, severity, region, householdId, since);
  }
}
