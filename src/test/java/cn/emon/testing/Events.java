package cn.emon.testing;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** Builds CloudEvent JSON for tests. */
public final class Events {

  private static final AtomicLong IDS = new AtomicLong();

  private Events() {}

  public static String nextId() {
    return "t-" + System.nanoTime() + "-" + IDS.incrementAndGet();
  }

  public static String now() {
    return OffsetDateTime.now(ZoneOffset.ofHours(8)).withNano(0).toString();
  }

  public static String event(String type, String household, String data) {
    return event(nextId(), type, household, now(), data);
  }

  public static String event(String id, String type, String household, String time, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/test\",\"type\":\"" + type
        + "\",\"subject\":\"" + household + "\",\"time\":\"" + time + "\",\"data\":" + data + "}";
  }

  public static String registered(String household, String region, boolean deep, String members) {
    return event("household.registered", household,
        "{\"regionCode\":\"" + region + "\",\"deepPovertyArea\":" + deep + ",\"members\":[" + members + "]}");
  }

  public static String member(String id, String capacity, boolean wantsTraining) {
    return "{\"memberId\":\"" + id + "\",\"laborCapacity\":\"" + capacity + "\",\"wantsTraining\":" + wantsTraining + "}";
  }

  public static String placementStarted(String household, String member, String placement, String startDate) {
    return event("placement.started", household, "{\"memberId\":\"" + member + "\",\"placementId\":\""
        + placement + "\",\"channel\":\"WORKSHOP\",\"workRegionCode\":\"522701\",\"startDate\":\"" + startDate + "\"}");
  }

  public static String placementEnded(String household, String placement, String endDate) {
    return event("placement.ended", household, "{\"placementId\":\"" + placement + "\",\"endDate\":\""
        + endDate + "\",\"reason\":\"CONTRACT_ENDED\"}");
  }

  public static String today() {
    return java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
  }
}
