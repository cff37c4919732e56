package cn.emon.webhook;

import cn.emon.http.JsonSupport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code standard}: one POST per alert change to the subscription's URL with the body
 * {@code {"type": "alert.raised|alert.acknowledged|alert.resolved", "timestamp", "data": <alert JSON>}}.
 * {@code timestamp} is when the change happened, so the body is the same on every retry.
 */
final class StandardFormat implements PayloadFormat {

  static final String NAME = "standard";

  @Override
  public String wireName() {
    return NAME;
  }

  @Override
  public byte[] body(String subscriptionId, AlertChange change, Instant now) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", change.type());
    body.put("timestamp", change.at());
    body.put("data", change.alert());
    return JsonSupport.write(body);
  }

  @Override
  public byte[] testBody(String subscriptionId, Instant now) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("subscriptionId", subscriptionId);
    data.put("message", "Test delivery from Employment Monitor; verify its signature with your secret.");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "webhook.test");
    body.put("timestamp", now);
    body.put("data", data);
    return JsonSupport.write(body);
  }
}
