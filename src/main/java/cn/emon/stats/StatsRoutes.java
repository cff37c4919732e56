package cn.emon.stats;

import cn.emon.ErrorCode;
import cn.emon.auth.Authenticator;
import cn.emon.auth.Principal;
import cn.emon.http.ApiDirectives;
import cn.emon.http.ApiException;
import cn.emon.http.QueryParams;
import cn.emon.http.JsonSupport;
import cn.emon.query.AlertRepository;
import cn.emon.query.AlertView;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Supervisor statistics: region aggregates rolled up from the county rows of the read model,
 * JSON lists for Grafana tables (open alerts, zero-employment households by county), and annual
 * targets. Every read is limited to the counties inside the caller's regions; a region above
 * county level sums only those counties.
 */
public final class StatsRoutes extends ApiDirectives {

  static final int MAX_LIST = 5000;
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,12}");
  private static final Pattern COUNTY = Pattern.compile("[0-9]{6}");
  private static final Pattern YEAR = Pattern.compile("[0-9]{4}");
  private static final long MAX_TARGET = 100_000_000L;

  private final StatsRepository stats;
  private final AlertRepository alerts;
  private final Regions regions;
  private final StatsSettings settings;
  private final Clock clock;
  private final Executor jdbc;

  public StatsRoutes(ActorSystem<?> system, Authenticator authenticator, StatsRepository stats,
      AlertRepository alerts, Regions regions, StatsSettings settings, Clock clock) {
    super(authenticator);
    this.stats = stats;
    this.alerts = alerts;
    this.regions = regions;
    this.settings = settings;
    this.clock = clock;
    this.jdbc = system.dispatchers().lookup(DispatcherSelector.fromConfig("emon.blocking-dispatcher"));
  }

  public Route route() {
    return concat(
        pathPrefix("stats", () -> concat(
            path("regions", () -> get(() -> reader(p -> parameterMap(q -> blocking(() -> regionPage(q, p)))))),
            path("open-alerts", () -> get(() -> reader(p -> parameterMap(q -> blocking(() -> openAlerts(q, p)))))),
            path("zero-employment", () -> get(() -> reader(p ->
                parameterMap(q -> blocking(() -> zeroEmployment(q, p)))))))),
        pathPrefix("targets", () -> concat(
            pathEnd(() -> get(() -> reader(p -> parameterMap(q -> blocking(() -> targets(q, p)))))),
            pathPrefix(county -> path(year -> put(() -> authorized(Principal::isAdmin, "set targets", p ->
                entity(Unmarshaller.entityToString(), body -> blocking(() -> putTarget(county, year, body, p)))))))))
    );
  }

  private Route reader(Function<Principal, Route> inner) {
    return authorized(Principal::mayRead, "read", inner);
  }

  private Route blocking(Callable<Object> work) {
    CompletionStage<HttpResponse> response = CompletableFuture.supplyAsync(() -> {
      try {
        return JsonSupport.ok(work.call());
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, jdbc);
    return completeWithFuture(response);
  }

  // ------------------------------------------------------------------------------ region stats

  private StatsViews.RegionPage regionPage(Map<String, String> q, Principal p) throws Exception {
    String levelParam = q.getOrDefault("level", "province");
    RegionLevel level = RegionLevel.fromWireName(levelParam);
    if (level == null) {
      throw ApiException.invalidParameter("level: must be national, province, prefecture or county");
    }
    String parent = q.get("parent");
    if (parent != null && (!DIGITS.matcher(parent).matches() || parent.length() >= level.digits
        || (parent.length() != 2 && parent.length() != 4))) {
      throw ApiException.invalidParameter("parent: must be a province (2 digits) or prefecture (4 digits) code"
          + " above the level asked for");
    }
    int year = year(q.get("year"));
    Map<String, RegionTotals> rows = rollUp(visibleCounties(parent == null ? "" : parent, p), level);
    List<StatsViews.RegionRow> out = new ArrayList<>();
    rows.forEach((code, t) -> out.add(row(code, level, t, year)));
    return new StatsViews.RegionPage(level.wireName(), parent, year, out);
  }

  /** The counties under {@code prefix} that have data and lie inside the caller's regions. */
  private Map<String, RegionTotals> visibleCounties(String prefix, Principal p) throws Exception {
    Map<String, RegionTotals> counties = stats.counties(prefix);
    counties.entrySet().removeIf(e -> !p.mayTouch(e.getKey()) || !e.getValue().hasData());
    return counties;
  }

  static Map<String, RegionTotals> rollUp(Map<String, RegionTotals> counties, RegionLevel level) {
    Map<String, RegionTotals> out = new TreeMap<>();
    counties.forEach((county, t) -> out.computeIfAbsent(level.codeOf(county), k -> new RegionTotals()).add(t));
    return out;
  }

  private StatsViews.RegionRow row(String code, RegionLevel level, RegionTotals t, int year) {
    String name = level == RegionLevel.NATIONAL ? RegionLevel.NATIONAL_NAME : regions.name(code);
    Long target = t.targets.get(year);
    long achieved = t.achieved(year);
    return new StatsViews.RegionRow(code, name, t.households, t.labourCapable, t.employed(),
        t.zeroEmployment, withAll(t.openAlertsByType(), StatsMetrics.ALERT_TYPES),
        withAll(t.employedByChannel(), StatsMetrics.CHANNELS), withAll(t.employedByScope(), StatsMetrics.SCOPES),
        target, achieved, StatsViews.progress(target, achieved));
  }

  /** The counts with every known key present (0 when absent), so tables keep their columns. */
  private static Map<String, Long> withAll(Map<String, Long> counts, List<String> keys) {
    Map<String, Long> out = new TreeMap<>(counts);
    keys.forEach(k -> out.putIfAbsent(k, 0L));
    return out;
  }

  private int year(String param) {
    if (param == null) {
      return LocalDate.now(clock.withZone(settings.zone())).getYear();
    }
    if (!YEAR.matcher(param).matches() || Integer.parseInt(param) < 2000 || Integer.parseInt(param) > 2100) {
      throw ApiException.invalidParameter("year: must be a year from 2000 to 2100");
    }
    return Integer.parseInt(param);
  }

  // ------------------------------------------------------------------------- lists for Grafana

  private StatsViews.OpenAlertPage openAlerts(Map<String, String> q, Principal p) throws Exception {
    String region = q.get("region");
    if (region != null && !DIGITS.matcher(region).matches()) {
      throw ApiException.invalidParameter("region: must be a region-code prefix of 1-12 digits");
    }
    int limit = QueryParams.limit(q.get("limit"), 1000, MAX_LIST);
    Instant now = clock.instant();
    List<StatsViews.OpenAlert> out = new ArrayList<>();
    for (AlertView a : alerts.findOpen(region, p.scope(), limit)) {
      String province = a.countyCode().substring(0, Math.min(2, a.countyCode().length()));
      out.add(new StatsViews.OpenAlert(a.alertId(), a.type(), a.severity(), a.status(), a.householdId(),
          a.memberId(), a.placementId(), a.regionCode(), a.countyCode(), regions.name(a.countyCode()), province,
          regions.name(province), a.raisedAt(), Duration.between(a.raisedAt(), now).toHours(),
          a.acknowledgedAt(), a.acknowledgedBy(), a.summary()));
    }
    return new StatsViews.OpenAlertPage(out);
  }

  private StatsViews.ZeroEmploymentPage zeroEmployment(Map<String, String> q, Principal p) throws Exception {
    String parent = q.get("parent");
    if (parent != null && !DIGITS.matcher(parent).matches()) {
      throw ApiException.invalidParameter("parent: must be a region-code prefix of 1-6 digits");
    }
    String county = q.get("county");
    if (county != null && !COUNTY.matcher(county).matches()) {
      throw ApiException.invalidParameter("county: must be a county code of 6 digits");
    }
    if (county != null && !p.mayTouch(county)) {
      throw ApiException.regionForbidden("county: outside the token's regions");
    }
    int limit = QueryParams.limit(q.get("limit"), 1000, MAX_LIST);
    String prefix = county != null ? county : parent != null ? parent : "";
    List<StatsViews.ZeroEmploymentCounty> counties = new ArrayList<>();
    visibleCounties(prefix, p).forEach((code, t) -> {
      if (t.households > 0) {
        String prefecture = code.substring(0, 4);
        String province = code.substring(0, 2);
        counties.add(new StatsViews.ZeroEmploymentCounty(code, regions.name(code), prefecture,
            regions.name(prefecture), province, regions.name(province), t.households, t.zeroEmployment,
            Math.round(t.zeroEmployment * 10000.0 / t.households) / 10000.0));
      }
    });
    counties.sort(Comparator.comparingLong(StatsViews.ZeroEmploymentCounty::zeroEmploymentHouseholds).reversed()
        .thenComparing(StatsViews.ZeroEmploymentCounty::countyCode));
    List<StatsViews.ZeroEmploymentCounty> page = counties.subList(0, Math.min(limit, counties.size()));
    return new StatsViews.ZeroEmploymentPage(page,
        county == null ? null : stats.zeroEmploymentHouseholds(county, limit));
  }

  // ----------------------------------------------------------------------------------- targets

  private StatsViews.TargetPage targets(Map<String, String> q, Principal p) throws Exception {
    Integer year = q.containsKey("year") ? year(q.get("year")) : null;
    String parent = q.get("parent");
    if (parent != null && !DIGITS.matcher(parent).matches()) {
      throw ApiException.invalidParameter("parent: must be a region-code prefix of 1-6 digits");
    }
    List<StatsViews.TargetRow> out = new ArrayList<>();
    visibleCounties(parent == null ? "" : parent, p).forEach((county, t) -> t.targets.forEach((y, target) -> {
      if (year == null || year.equals(y)) {
        String province = county.substring(0, 2);
        long achieved = t.achieved(y);
        out.add(new StatsViews.TargetRow(county, regions.name(county), province, regions.name(province), y,
            target, achieved, StatsViews.progress(target, achieved)));
      }
    }));
    return new StatsViews.TargetPage(out);
  }

  private StatsViews.StoredTarget putTarget(String county, String yearParam, String body, Principal p)
      throws Exception {
    if (!COUNTY.matcher(county).matches()) {
      throw ApiException.invalidParameter("countyCode: must be a county code of 6 digits");
    }
    if (!YEAR.matcher(yearParam).matches()) {
      throw ApiException.invalidParameter("year: must be a year from 2000 to 2100");
    }
    int year = year(yearParam);
    JsonNode json = JsonSupport.parse(body.getBytes(StandardCharsets.UTF_8));
    JsonNode target = json.isObject() ? json.get("target") : null;
    if (target == null || !target.isIntegralNumber() || target.asLong() < 0 || target.asLong() > MAX_TARGET) {
      throw ApiException.invalidField("target: must be a whole number from 0 to " + MAX_TARGET);
    }
    if (!regions.isCounty(county)) {
      throw ApiException.unprocessable(ErrorCode.REGION_UNKNOWN, "countyCode: not a county of the region table");
    }
    StatsRepository.Target stored = stats.putTarget(county, year, target.asLong(), p.name(), clock.millis());
    return new StatsViews.StoredTarget(county, regions.name(county), year, stored.target(),
        Instant.ofEpochMilli(stored.updatedAt()), stored.updatedBy());
  }
}
