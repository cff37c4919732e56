package cn.emon.load;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CloudEvents of CONTRACT §3 as JSON text, for the Gatling simulations and the benchmark alike.
 * Built with a StringBuilder, not Jackson, so the generator costs little CPU next to the server it
 * measures. Households are {@code <county>-<n>}: the county is chosen from {@link #COUNTIES} by
 * {@code n}, so a household always lies in the same county, and a run spreads over all of them.
 */
public final class Events {

  /** 48 county codes (GB/T 2260) of Guizhou, Yunnan, Gansu and Sichuan: dozens of counties. */
  public static final List<String> COUNTIES = List.of(
      "522701", "522702", "522722", "522723", "522725", "522726", "522727", "522728",
      "522729", "522730", "522731", "522732", "520221", "520222", "520423", "520424",
      "520425", "520521", "520522", "520523", "520524", "520525", "520526", "520527",
      "530621", "530622", "530623", "530624", "530625", "530626", "530627", "530628",
      "530629", "530630", "621121", "621122", "621123", "621124", "621125", "621126",
      "513321", "513322", "513323", "513324", "513325", "513326", "513327", "513328");

  /** Channels of placements, weighted by how often each occurs in the programme. */
  private static final String[] CHANNELS = {
      "WORKSHOP", "WORKSHOP", "COMMUNITY_FACTORY", "LOCAL_ENTERPRISE", "LOCAL_ENTERPRISE",
      "AGRICULTURE", "PUBLIC_WELFARE_POST", "PUBLIC_WELFARE_POST", "LABOR_COOPERATION",
      "LABOR_COOPERATION", "OTHER_MIGRANT", "HOME_BASED", "ENTREPRENEURSHIP"};

  private static final String[] END_REASONS = {"CONTRACT_ENDED", "DISMISSED", "QUIT", "SEASONAL", "OTHER"};

  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final ZoneOffset CST = ZoneOffset.ofHours(8);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final String source;
  private final String runId;

  /**
   * @param source the integrator's CloudEvents source, e.g. {@code /integrators/bench}
   * @param runId makes event ids unique across runs against the same database
   */
  public Events(String source, String runId) {
    this.source = source;
    this.runId = runId;
  }

  /** The household id of number {@code n}: {@code <county>-<prefix><n>}. */
  public static String household(String prefix, long n) {
    return county(n) + "-" + prefix + n;
  }

  public static String county(long n) {
    return COUNTIES.get((int) Math.floorMod(n, (long) COUNTIES.size()));
  }

  /** A registration with 1–4 members, most labour-capable; some want training. */
  public String registered(String householdId, long n) {
    int members = 1 + (int) Math.floorMod(n * 7919, 4L);
    StringBuilder data = new StringBuilder(256)
        .append("{\"regionCode\":\"").append(householdId, 0, 6)
        .append("\",\"deepPovertyArea\":").append(n % 3 == 0)
        .append(",\"members\":[");
    for (int m = 1; m <= members; m++) {
      String capacity = m == 4 ? "LOST" : m == 3 ? "WEAK" : (n + m) % 2 == 0 ? "SKILLED" : "ORDINARY";
      data.append(m == 1 ? "" : ",").append("{\"memberId\":\"m").append(m)
          .append("\",\"laborCapacity\":\"").append(capacity).append('"');
      if (m == 2 && n % 5 == 0) {
        data.append(",\"wantsTraining\":true");
      }
      data.append('}');
    }
    data.append("]}");
    return event("household.registered", householdId, data);
  }

  public String placementStarted(String householdId, String memberId, String placementId) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    LocalDate start = today().minusDays(r.nextInt(1, 60));
    StringBuilder data = new StringBuilder(256)
        .append("{\"memberId\":\"").append(memberId)
        .append("\",\"placementId\":\"").append(placementId)
        .append("\",\"channel\":\"").append(CHANNELS[r.nextInt(CHANNELS.length)])
        .append("\",\"employer\":\"workshop ").append(r.nextInt(1000))
        .append("\",\"workRegionCode\":\"").append(householdId, 0, 6)
        .append("\",\"startDate\":\"").append(start)
        .append("\",\"expectedEndDate\":\"").append(start.plusMonths(6))
        .append("\",\"monthlyIncomeYuan\":").append(1500 + r.nextInt(3000)).append('}');
    return event("placement.started", householdId, data);
  }

  public String placementVerified(String householdId, String placementId) {
    StringBuilder data = new StringBuilder(96)
        .append("{\"placementId\":\"").append(placementId)
        .append("\",\"verifiedOn\":\"").append(today()).append("\"}");
    return event("placement.verified", householdId, data);
  }

  public String placementEnded(String householdId, String placementId) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder data = new StringBuilder(128)
        .append("{\"placementId\":\"").append(placementId)
        .append("\",\"endDate\":\"").append(today())
        .append("\",\"reason\":\"").append(END_REASONS[r.nextInt(END_REASONS.length)]).append("\"}");
    return event("placement.ended", householdId, data);
  }

  public String trainingEnrolled(String householdId, String memberId, String programId) {
    StringBuilder data = new StringBuilder(128)
        .append("{\"memberId\":\"").append(memberId)
        .append("\",\"programId\":\"").append(programId)
        .append("\",\"startDate\":\"").append(today()).append("\"}");
    return event("training.enrolled", householdId, data);
  }

  public String trainingCompleted(String householdId, String memberId, String programId) {
    StringBuilder data = new StringBuilder(128)
        .append("{\"memberId\":\"").append(memberId)
        .append("\",\"programId\":\"").append(programId)
        .append("\",\"endDate\":\"").append(today())
        .append("\",\"certified\":").append(ThreadLocalRandom.current().nextBoolean()).append('}');
    return event("training.completed", householdId, data);
  }

  public String helperAssigned(String householdId, String helperId) {
    StringBuilder data = new StringBuilder(96)
        .append("{\"helperId\":\"").append(helperId).append("\"}");
    return event("helper.assigned", householdId, data);
  }

  /** A JSON array of the given events: the body of a batch request. */
  public static String batch(List<String> events) {
    StringBuilder b = new StringBuilder(events.size() * 400 + 2).append('[');
    for (int i = 0; i < events.size(); i++) {
      b.append(i == 0 ? "" : ",").append(events.get(i));
    }
    return b.append(']').toString();
  }

  private String event(String type, String subject, CharSequence data) {
    return new StringBuilder(data.length() + 220)
        .append("{\"specversion\":\"1.0\",\"id\":\"").append(runId).append('-').append(SEQUENCE.incrementAndGet())
        .append("\",\"source\":\"").append(source)
        .append("\",\"type\":\"").append(type)
        .append("\",\"subject\":\"").append(subject)
        .append("\",\"time\":\"").append(OffsetDateTime.now(CST).minusSeconds(1).format(TIME))
        .append("\",\"data\":").append(data).append('}')
        .toString();
  }

  private static LocalDate today() {
    return LocalDate.now(CST);
  }
}
