package cn.emon.testing;

/**
 * Personal-looking values that tests submit where the server accepts free text or ignores the
 * content, to prove they never come out where they must not (logs, metrics, alerts, webhooks,
 * error bodies). Both are invented: a common name and an ID number of the right shape.
 */
public final class Canary {

  /** A person's name. */
  public static final String NAME = "王小明";
  /** An 18-digit resident ID number (region 522701, born 1990-01-01). */
  public static final String ID_NUMBER = "522701199001011234";

  private Canary() {}

  /** A CloudEvent {@code source} naming a county office and the person (free text the server stores). */
  public static String source() {
    return "/county/522701/" + NAME + "/" + ID_NUMBER;
  }

  /**
   * A CloudEvent with the canaries in the envelope: {@link #source()}, and the extension
   * attributes {@code residentname} and {@code residentidnumber}, which the server ignores.
   * The id stays first, as an identifier: the ingest reply echoes it by design.
   */
  public static String event(String type, String household, String data) {
    return "{\"id\":\"" + Events.nextId() + "\",\"specversion\":\"1.0\",\"source\":\"" + source()
        + "\",\"type\":\"" + type + "\",\"subject\":\"" + household + "\",\"time\":\"" + Events.now()
        + "\",\"residentname\":\"" + NAME + "\",\"residentidnumber\":\"" + ID_NUMBER + "\",\"data\":" + data + "}";
  }

  /** Unknown data fields ({@code name}, {@code idNumber}), which the server ignores. */
  private static String personFields() {
    return "\"name\":\"" + NAME + "\",\"idNumber\":\"" + ID_NUMBER + "\"";
  }

  /** A member with the canaries as unknown fields. */
  public static String member(String id, String capacity) {
    return "{\"memberId\":\"" + id + "\",\"laborCapacity\":\"" + capacity + "\",\"wantsTraining\":false,"
        + personFields() + "}";
  }

  /** A registration with the canaries in the envelope, on the household and on each member. */
  public static String registered(String household, String region, String... members) {
    return event("household.registered", household, "{\"regionCode\":\"" + region
        + "\",\"deepPovertyArea\":false," + personFields() + ",\"members\":[" + String.join(",", members) + "]}");
  }

  /** A placement whose employer (stored free text) and unknown fields carry the canaries. */
  public static String placementStarted(String household, String member, String placement, String startDate) {
    return event("placement.started", household, "{\"memberId\":\"" + member + "\",\"placementId\":\"" + placement
        + "\",\"channel\":\"WORKSHOP\",\"employer\":\"" + NAME + "的合作社 " + ID_NUMBER
        + "\",\"workRegionCode\":\"522701\",\"startDate\":\"" + startDate + "\"," + personFields() + "}");
  }
}
