package cn.emon.query;

import cn.emon.http.ApiException;
import cn.emon.http.QueryParams;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The filters of {@code GET /api/v1/alerts}, validated. The cursor is opaque to clients: it
 * encodes the (raisedAt, alertId) of the last alert of the previous page.
 */
record AlertQuery(String status, String type, String region, String householdId, Instant since,
    int limit, Long cursorRaisedAt, String cursorAlertId) {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final Set<String> STATUSES = Set.of("open", "acknowledged", "resolved");
  private static final Set<String> TYPES = Set.of("ZERO_EMPLOYMENT", "PLACEMENT_LAPSED", "NO_HELPER",
      "TRAINING_PENDING");
  private static final Pattern REGION = Pattern.compile("[0-9]{1,12}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  static AlertQuery from(Map<String, String> params) {
    String status = params.get("status");
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.invalidParameter("status: must be open, acknowledged or resolved");
    }
    String type = params.get("type");
    if (type != null && !TYPES.contains(type)) {
      throw ApiException.invalidParameter("type: must be one of " + String.join(", ", List.copyOf(TYPES)));
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
        since = java.time.OffsetDateTime.parse(params.get("since")).toInstant();
      } catch (DateTimeParseException e) {
        throw ApiException.invalidParameter("since: must be an RFC 3339 timestamp with offset");
      }
    }
    int limit = QueryParams.limit(params.get("limit"), DEFAULT_LIMIT, MAX_LIMIT);
    Long cursorRaisedAt = null;
    String cursorAlertId = null;
    if (params.containsKey("cursor")) {
      try {
        String decoded = new String(Base64.getUrlDecoder().decode(params.get("cursor")), StandardCharsets.UTF_8);
        int at = decoded.indexOf(':');
        cursorRaisedAt = Long.parseLong(decoded.substring(0, at));
        cursorAlertId = decoded.substring(at + 1);
      } catch (RuntimeException e) {
        throw ApiException.invalidParameter("cursor: not a cursor returned by this API");
      }
    }
    return new AlertQuery(status, type, region, householdId, since, limit, cursorRaisedAt, cursorAlertId);
  }

  static String cursorOf(AlertView last) {
    String raw = last.raisedAt().toEpochMilli() + ":" + last.alertId();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }
}
