package cn.emon.export;

import cn.emon.auth.Authenticator;
import cn.emon.auth.Principal;
import cn.emon.http.ApiDirectives;
import cn.emon.http.ApiException;
import cn.emon.query.AlertFilter;
import cn.emon.query.AlertRepository;
import cn.emon.query.RegionFilter;
import cn.emon.stats.Regions;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/v1/exports/zero-employment} and {@code /exports/alerts} (read role, CONTRACT §8):
 * the zero-employment households and the alerts of the caller's regions as xlsx or CSV, streamed
 * from the database as the client reads. Headers are Chinese, one row per household or alert; no
 * personal names. A region wholly outside the token's regions is 403; one wider than them exports
 * what lies inside them.
 */
public final class ExportRoutes extends ApiDirectives {

  private static final Pattern REGION = Pattern.compile("[0-9]{1,12}");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm");

  static final List<Column> ZERO_EMPLOYMENT_COLUMNS = List.of(
      Column.text("户编号", 24), Column.text("区划代码", 14), Column.text("县", 14), Column.number("劳动力人数"),
      Column.time("零就业起始"), Column.text("是否已落实帮扶责任人", 20), Column.text("深度贫困地区", 12),
      Column.text("预警编号", 28));
  static final List<Column> ALERT_COLUMNS = List.of(
      Column.text("预警编号", 28), Column.text("类型", 16), Column.text("级别", 8), Column.text("状态", 8),
      Column.text("户编号", 24), Column.text("区划代码", 14), Column.text("县", 14), Column.time("发生时间"),
      Column.time("确认时间"), Column.freeText("确认人", 16), Column.time("解除时间"), Column.text("说明", 60));

  private final AlertRepository alerts;
  private final ZeroEmploymentRows zeroEmployment;
  private final Regions regions;
  private final ExportSettings settings;
  private final Clock clock;
  private final Executor executor;

  public ExportRoutes(ActorSystem<?> system, Authenticator authenticator, DataSource dataSource,
      AlertRepository alerts, Regions regions, ExportSettings settings, Clock clock) {
    super(authenticator);
    this.alerts = alerts;
    this.zeroEmployment = new ZeroEmploymentRows(dataSource);
    this.regions = regions;
    this.settings = settings;
    this.clock = clock;
    // Its own few threads: each export holds one read-model connection while it reads, so this
    // bounds how many run at once (more wait their turn) and keeps the pool for everything else.
    this.executor = system.dispatchers().lookup(DispatcherSelector.fromConfig("emon.exports.dispatcher"));
  }

  public Route route() {
    return pathPrefix("exports", () -> concat(
        path("zero-employment", () -> get(() -> reader(p -> parameterMap(q -> complete(zeroEmployment(q, p)))))),
        path("alerts", () -> get(() -> reader(p -> parameterMap(q -> complete(alerts(q, p))))))));
  }

  private Route reader(Function<Principal, Route> inner) {
    return authorized(Principal::mayRead, "read", inner);
  }

  private HttpResponse zeroEmployment(Map<String, String> q, Principal p) {
    ExportFormat format = format(q);
    String region = q.get("region");
    if (region != null && !REGION.matcher(region).matches()) {
      throw ApiException.invalidParameter("region: must be a region-code prefix of 1-12 digits");
    }
    RegionFilter scope = scoped(region, p);
    ExportStream.Body body = out -> {
      try (TableWriter table = TableWriter.open(format, out, "零就业户", ZERO_EMPLOYMENT_COLUMNS, settings.zone())) {
        zeroEmployment.stream(scope, settings.fetchSize(), r -> table.row(new Object[] {
            r.householdId(), r.regionCode(), regions.name(r.countyCode()), r.labourCapable(), r.zeroSince(),
            Labels.yesNo(r.helperAssigned()), Labels.yesNo(r.deepPoverty()), r.alertId()}));
        table.finish();
      }
    };
    return attachment(format, body, "零就业户", "zero-employment", region);
  }

  private HttpResponse alerts(Map<String, String> q, Principal p) {
    ExportFormat format = format(q);
    AlertFilter filter = AlertFilter.from(q);
    scoped(filter.region(), p);
    ExportStream.Body body = out -> {
      try (TableWriter table = TableWriter.open(format, out, "预警", ALERT_COLUMNS, settings.zone())) {
        alerts.stream(filter, p.scope(), settings.fetchSize(), a -> table.row(new Object[] {
            a.alertId(), Labels.type(a.type()), Labels.severity(a.severity()), Labels.status(a.status()),
            a.householdId(), a.regionCode(), regions.name(a.countyCode()), a.raisedAt(), a.acknowledgedAt(),
            a.acknowledgedBy(), a.resolvedAt(), a.summary()}));
        table.finish();
      }
    };
    return attachment(format, body, "预警", "alerts", filter.region());
  }

  private static ExportFormat format(Map<String, String> q) {
    ExportFormat format = ExportFormat.of(q.get("format"));
    if (format == null) {
      throw ApiException.invalidParameter("format: must be xlsx or csv");
    }
    return format;
  }

  /** The caller's part of {@code region}; 403 when {@code region} lies wholly outside its regions. */
  private static RegionFilter scoped(String region, Principal p) {
    RegionFilter filter = RegionFilter.of(region, p.scope());
    if (filter.isEmpty()) {
      throw ApiException.regionForbidden("region: outside the token's regions");
    }
    return filter;
  }

  private HttpResponse attachment(ExportFormat format, ExportStream.Body body, String name, String asciiName,
      String region) {
    String stamp = STAMP.format(clock.instant().atZone(settings.zone()));
    String where = region == null ? "" : "_" + region;
    String fileName = name + (region == null ? "_全部" : where) + "_" + stamp + "." + format.extension;
    String fallback = asciiName + (region == null ? "_all" : where) + "_" + stamp + "." + format.extension;
    return HttpResponse.create()
        .addHeader(Attachment.header(fileName, fallback))
        .addHeader(HttpHeader.parse("Cache-Control", "no-store"))
        .withEntity(HttpEntities.createChunked(format.contentType,
            ExportStream.of(body, executor, settings.writeTimeout(), asciiName)));
  }
}
