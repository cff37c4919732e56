package cn.emon.query;

import cn.emon.http.ApiException;
import cn.emon.http.QueryParams;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * One page of {@code GET /api/v1/alerts}: the filters, the page size and where the page starts.
 * The cursor is opaque to clients: it encodes the (raisedAt, alertId) of the last alert of the
 * previous page.
 */
record AlertQuery(AlertFilter filter, int limit, Long cursorRaisedAt, String cursorAlertId) {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  static AlertQuery from(Map<String, String> params) {
    AlertFilter filter = AlertFilter.from(params);
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
    return new AlertQuery(filter, limit, cursorRaisedAt, cursorAlertId);
  }

  static String cursorOf(AlertView last) {
    String raw = last.raisedAt().toEpochMilli() + ":" + last.alertId();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }
}
