// Fills a running Employment Monitor with a simulated province, so the dashboards show life.
// JDK 17, no dependencies:   java load-tests/demo/Demo.java --help
// See load-tests/demo/README.md.

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulates a province's registered poor households over past weeks: registrations, placements
 * across channels and work scopes, verifications, ends, trainings, helpers, a few closures and a
 * few integrator mistakes (rejected events, repeated events) — posted as CloudEvent batches with
 * event times in the past. Then sets each county's target for this year and acknowledges some of
 * the open alerts. Deterministic for a given seed; running it twice with the same seed posts the
 * same event ids, which the server answers as duplicates.
 */
public class Demo {

  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  static final String[] CHANNELS = {"WORKSHOP", "COMMUNITY_FACTORY", "LOCAL_ENTERPRISE", "AGRICULTURE",
      "ENTREPRENEURSHIP", "HOME_BASED", "PUBLIC_WELFARE_POST", "LABOR_COOPERATION", "OTHER_MIGRANT", "OTHER"};
  static final int[] CHANNEL_WEIGHTS = {15, 8, 12, 15, 3, 7, 15, 12, 10, 3};
  static final String[] CAPACITIES = {"SKILLED", "ORDINARY", "WEAK", "LOST", "NONE"};
  static final int[] CAPACITY_WEIGHTS = {15, 45, 15, 10, 15};
  static final String[] END_REASONS = {"CONTRACT_ENDED", "DISMISSED", "QUIT", "SEASONAL", "OTHER"};
  static final int[] END_WEIGHTS = {35, 10, 25, 25, 5};
  /** Provinces that receive East–West labour cooperation (Guangdong, Zhejiang, Jiangsu, Fujian). */
  static final String[] DESTINATIONS = {"440106", "440306", "330106", "320106", "350102"};

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    if (opt.containsKey("help")) {
      System.out.println("""
          java load-tests/demo/Demo.java [options]
            --url URL            server (default http://127.0.0.1:8080)
            --token T            ingest token (default dev-ingest-token)
            --admin-token T      admin token for targets (default dev-admin-token)
            --read-token T       read token for acknowledgements (default dev-read-token)
            --regions FILE       region table (default config/regions/regions.csv)
            --province CODE      2-digit province (default 52, 贵州省)
            --counties N         counties of the province to fill (default 24)
            --households N       households in all (default 3000)
            --weeks N            simulated weeks, ending today (default 12)
            --batch N            events per request, at most 1000 (default 500)
            --seed N             random seed (default 42)""");
      return;
    }
    Demo demo = new Demo(opt);
    demo.run();
  }

  final String url;
  final String token;
  final String adminToken;
  final String readToken;
  final int batch;
  final int weeks;
  final Random random;
  final String seed;
  final List<String> counties;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final List<Household> households = new ArrayList<>();
  /** Events of one simulated day, in order. */
  List<String> pending = new ArrayList<>();
  long eventCounter;
  int accepted;
  int duplicates;
  int rejected;

  Demo(Map<String, String> opt) throws IOException {
    url = opt.getOrDefault("url", "http://127.0.0.1:8080");
    token = opt.getOrDefault("token", "dev-ingest-token");
    adminToken = opt.getOrDefault("admin-token", "dev-admin-token");
    readToken = opt.getOrDefault("read-token", "dev-read-token");
    batch = Math.min(1000, Integer.parseInt(opt.getOrDefault("batch", "500")));
    weeks = Integer.parseInt(opt.getOrDefault("weeks", "12"));
    seed = opt.getOrDefault("seed", "42");
    random = new Random(Long.parseLong(seed));
    String province = opt.getOrDefault("province", "52");
    int countyCount = Integer.parseInt(opt.getOrDefault("counties", "24"));
    Path regions = Path.of(opt.getOrDefault("regions", "config/regions/regions.csv"));
    List<String> all = new ArrayList<>();
    for (String line : Files.readAllLines(regions, StandardCharsets.UTF_8)) {
      String[] f = line.split(",", -1);
      if (f.length == 4 && f[1].equals("county") && f[0].startsWith(province)) {
        all.add(f[0]);
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no counties of province " + province + " in " + regions);
    }
    // Spread the chosen counties over the province's prefectures: every k-th county.
    counties = new ArrayList<>();
    int step = Math.max(1, all.size() / countyCount);
    for (int i = 0; i < all.size() && counties.size() < countyCount; i += step) {
      counties.add(all.get(i));
    }
    int n = Integer.parseInt(opt.getOrDefault("households", "3000"));
    for (int i = 0; i < n; i++) {
      String county = counties.get(i % counties.size());
      households.add(new Household(county + "-" + String.format("%05d", i / counties.size() + 1), county,
          county + String.format("%03d", 100 + random.nextInt(12)), Math.floorMod(county.hashCode(), 3) == 0));
    }
  }

  /** One simulated household and what the simulation remembers of it. */
  static final class Household {
    final String id;
    final String county;
    final String township;
    final boolean deep;
    final List<Member> members = new ArrayList<>();
    boolean helper;
    boolean closed;
    int placements;

    Household(String id, String county, String township, boolean deep) {
      this.id = id;
      this.county = county;
      this.township = township;
      this.deep = deep;
    }
  }

  /** One member; {@code placement} is the id of the job held, or null. */
  static final class Member {
    final String id;
    final String capacity;
    final boolean wantsTraining;
    String placement;
    LocalDate lastVerified;
    LocalDate expectedEnd;
    boolean enrolled;
    String programId;

    Member(String id, String capacity, boolean wantsTraining) {
      this.id = id;
      this.capacity = capacity;
      this.wantsTraining = wantsTraining;
    }

    boolean labourCapable() {
      return capacity.equals("SKILLED") || capacity.equals("ORDINARY") || capacity.equals("WEAK");
    }
  }

  void run() throws Exception {
    long started = System.nanoTime();
    LocalDate today = LocalDate.now(ZONE);
    LocalDate first = today.minusWeeks(weeks);
    System.out.printf("Simulating %d households in %d counties (%s…), %d weeks from %s%n",
        households.size(), counties.size(), counties.get(0), weeks, first);
    for (LocalDate day = first; !day.isAfter(today.minusDays(1)); day = day.plusDays(1)) {
      simulate(day, (int) (day.toEpochDay() - first.toEpochDay()));
      if (pending.size() >= batch) {
        flush();
      }
    }
    flush();
    System.out.printf("Events: %d accepted, %d duplicates, %d rejected in %.1f s%n",
        accepted, duplicates, rejected, (System.nanoTime() - started) / 1e9);
    setTargets(today.getYear());
    acknowledgeSome();
  }

  void simulate(LocalDate day, int dayIndex) {
    for (Household h : households) {
      if (h.closed) {
        continue;
      }
      if (dayIndex == Math.floorMod(h.id.hashCode(), 7)) {
        register(h, day);
        continue;
      }
      if (h.members.isEmpty()) {
        continue; // not registered yet
      }
      // About one action per household every ten days.
      if (random.nextInt(10) != 0) {
        continue;
      }
      act(h, day);
    }
  }

  void register(Household h, LocalDate day) {
    int size = 1 + random.nextInt(5);
    StringBuilder members = new StringBuilder();
    for (int i = 1; i <= size; i++) {
      Member m = new Member("m" + i, pick(CAPACITIES, CAPACITY_WEIGHTS), random.nextInt(5) == 0);
      h.members.add(m);
      members.append(i == 1 ? "" : ",").append("{\"memberId\":\"").append(m.id).append("\",\"laborCapacity\":\"")
          .append(m.capacity).append("\",\"wantsTraining\":").append(m.wantsTraining).append('}');
    }
    event(h, "household.registered", day, "{\"regionCode\":\"" + h.township + "\",\"deepPovertyArea\":" + h.deep
        + ",\"members\":[" + members + "]}");
  }

  void act(Household h, LocalDate day) {
    Member m = h.members.get(random.nextInt(h.members.size()));
    int roll = random.nextInt(100);
    if (roll < 2 && h.placements > 0) {
      // An integrator mistake: a placement id that does not exist (rejected by the server).
      event(h, "placement.verified", day, "{\"placementId\":\"unknown-" + random.nextInt(1000)
          + "\",\"verifiedOn\":\"" + day + "\"}");
    } else if (roll == 2 && random.nextInt(3) == 0) {
      h.closed = true;
      event(h, "household.closed", day, "{\"reason\":\"moved\"}");
    } else if (roll < 20 && !h.helper) {
      h.helper = true;
      event(h, "helper.assigned", day, "{\"helperId\":\"helper-" + h.county + "-" + random.nextInt(200) + "\"}");
    } else if (m.wantsTraining && !m.enrolled && roll < 60) {
      m.enrolled = true;
      m.programId = "prog-" + random.nextInt(30);
      event(h, "training.enrolled", day, "{\"memberId\":\"" + m.id + "\",\"programId\":\"" + m.programId
          + "\",\"startDate\":\"" + day + "\"}");
    } else if (m.enrolled && m.programId != null && roll < 65) {
      event(h, "training.completed", day, "{\"memberId\":\"" + m.id + "\",\"programId\":\"" + m.programId
          + "\",\"endDate\":\"" + day + "\",\"certified\":" + random.nextBoolean() + "}");
      m.programId = null;
    } else if (m.labourCapable() && m.placement == null) {
      if (random.nextInt(3) > 0) {
        start(h, m, day);
      }
    } else if (m.placement != null) {
      if (random.nextInt(100) < 12) {
        event(h, "placement.ended", day, "{\"placementId\":\"" + m.placement + "\",\"endDate\":\"" + day
            + "\",\"reason\":\"" + pick(END_REASONS, END_WEIGHTS) + "\"}");
        m.placement = null;
      } else if (m.lastVerified == null || m.lastVerified.plusDays(20).isBefore(day)) {
        m.lastVerified = day;
        event(h, "placement.verified", day, "{\"placementId\":\"" + m.placement + "\",\"verifiedOn\":\"" + day + "\"}");
      }
    }
  }

  void start(Household h, Member m, LocalDate day) {
    String channel = pick(CHANNELS, CHANNEL_WEIGHTS);
    String work = switch (channel) {
      case "LABOR_COOPERATION", "OTHER_MIGRANT" -> random.nextInt(4) == 0
          ? counties.get(random.nextInt(counties.size())) : DESTINATIONS[random.nextInt(DESTINATIONS.length)];
      case "WORKSHOP", "COMMUNITY_FACTORY", "HOME_BASED", "PUBLIC_WELFARE_POST", "AGRICULTURE" ->
          random.nextInt(3) > 0 ? h.township : h.county + String.format("%03d", 100 + random.nextInt(12));
      default -> random.nextInt(2) == 0 ? h.county : counties.get(random.nextInt(counties.size()));
    };
    h.placements++;
    m.placement = "p" + h.placements;
    m.lastVerified = null;
    // Seasonal agriculture and public-welfare posts have an expected end; most jobs do not.
    m.expectedEnd = channel.equals("AGRICULTURE") || channel.equals("PUBLIC_WELFARE_POST")
        ? day.plusMonths(6 + random.nextInt(7)) : null;
    event(h, "placement.started", day, "{\"memberId\":\"" + m.id + "\",\"placementId\":\"" + m.placement
        + "\",\"channel\":\"" + channel + "\",\"workRegionCode\":\"" + work + "\",\"startDate\":\"" + day + "\""
        + (m.expectedEnd == null ? "" : ",\"expectedEndDate\":\"" + m.expectedEnd + "\"")
        + ",\"monthlyIncomeYuan\":" + (1500 + random.nextInt(30) * 100) + "}");
  }

  void event(Household h, String type, LocalDate day, String data) {
    String time = String.format("%sT%02d:%02d:%02d+08:00", day, 8 + random.nextInt(10), random.nextInt(60),
        random.nextInt(60));
    String json = "{\"specversion\":\"1.0\",\"id\":\"demo-" + seed + "-" + (++eventCounter)
        + "\",\"source\":\"/demo/" + h.county + "\",\"type\":\"" + type + "\",\"subject\":\"" + h.id
        + "\",\"time\":\"" + time + "\",\"data\":" + data + "}";
    pending.add(json);
    // An integrator that retries now and then: the repeat is answered as a duplicate.
    if (random.nextInt(100) == 0) {
      pending.add(json);
    }
  }

  void flush() throws Exception {
    for (int from = 0; from < pending.size(); from += batch) {
      List<String> chunk = pending.subList(from, Math.min(pending.size(), from + batch));
      String body = "[" + String.join(",", chunk) + "]";
      HttpResponse<String> r = send("POST", "/api/v1/events", token, body, 20);
      accepted += count(r.body(), "accepted");
      duplicates += count(r.body(), "duplicates");
      rejected += count(r.body(), "rejected");
    }
    pending = new ArrayList<>();
  }

  /** Sends with retries on 429/503 (honouring Retry-After) and on connection failures. */
  HttpResponse<String> send(String method, String path, String bearer, String body, int tries) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path))
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if ((r.statusCode() == 429 || r.statusCode() == 503) && attempt < tries) {
          long wait = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
          Thread.sleep(Math.min(10, wait) * 1000);
          continue;
        }
        if (r.statusCode() >= 300) {
          throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
      } catch (IOException e) {
        if (attempt >= tries) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }

  void setTargets(int year) throws Exception {
    Map<String, Integer> labourers = new LinkedHashMap<>();
    for (Household h : households) {
      for (Member m : h.members) {
        if (m.labourCapable()) {
          labourers.merge(h.county, 1, Integer::sum);
        }
      }
    }
    for (String county : counties) {
      int target = (int) Math.round(labourers.getOrDefault(county, 0) * (0.6 + random.nextInt(40) / 100.0));
      send("PUT", "/api/v1/targets/" + county + "/" + year, adminToken, "{\"target\":" + target + "}", 5);
    }
    System.out.printf("Targets for %d set for %d counties%n", year, counties.size());
  }

  /** Case workers acknowledge about a third of the open alerts (the read model may lag a moment). */
  void acknowledgeSome() throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/alerts?status=open&limit=1000", readToken, null, 5);
    Matcher m = Pattern.compile("\"alertId\":\"([^\"]+)\"").matcher(r.body());
    int acknowledged = 0;
    while (m.find()) {
      if (random.nextInt(3) == 0) {
        send("POST", "/api/v1/alerts/" + m.group(1) + "/acknowledge", readToken,
            "{\"by\":\"caseworker-" + random.nextInt(40) + "\",\"note\":\"visit planned\"}", 5);
        acknowledged++;
      }
    }
    System.out.printf("Acknowledged %d open alerts%n", acknowledged);
  }

  static int count(String body, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(body);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  <T> T pick(T[] values, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int r = random.nextInt(total);
    for (int i = 0; i < values.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String key = args[i].substring(2);
      if (key.equals("help")) {
        opt.put(key, "");
      } else if (i + 1 < args.length) {
        opt.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + key + " needs a value");
      }
    }
    return opt;
  }
}
