package cn.emon.export;

import static cn.emon.testing.Events.event;
import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The exports over HTTP (CONTRACT §8): content types, {@code Content-Disposition} with the Chinese
 * file name, the CSV's byte-order mark, the Chinese headers and one row per household or alert,
 * the xlsx read back with POI, the filters, and region scope (403 outside, filtered when wider).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExportApiContract {

  static final String READ = "dev-read-token";
  static final String COUNTY = "test-read-522701";
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZONE);
  static final String DEEP = "522701-deep";
  static final String HELPED = "522702-helped";
  static final String EMPLOYED = "522701-employed";
  static final String BEIJING = "110101-zero";

  TestServer server;
  ApiClient api;

  abstract TestServer start(Map<String, Object> settings) throws Exception;

  @BeforeAll
  void startServer() throws Exception {
    server = start(Map.of("emon.auth.tokens", List.of(
        TestServer.token("dev-ingest", "dev-ingest-token", "ingest", List.of()),
        TestServer.token("dev-read", READ, "read", List.of()),
        TestServer.token("county-522701", COUNTY, "read", List.of("522701")))));
    api = server.client();
    ingest(registered(DEEP, "522701101", true, member("m1", "ORDINARY", false) + "," + member("m2", "WEAK", false)));
    ingest(registered(HELPED, "522702", false, member("m1", "SKILLED", false)));
    ingest(event("helper.assigned", HELPED, "{\"helperId\":\"h-1\"}"));
    ingest(registered(EMPLOYED, "522701", false, member("m1", "ORDINARY", false)));
    ingest(cn.emon.testing.Events.placementStarted(EMPLOYED, "m1", "p-1", cn.emon.testing.Events.today()));
    ingest(registered(BEIJING, "110101", false, member("m1", "ORDINARY", false)));
    Await.until(Duration.ofSeconds(30), "the read model caught up", () ->
        api.get("/api/v1/alerts?status=open&type=ZERO_EMPLOYMENT", READ).json().get("alerts").size() == 3
            && api.get("/api/v1/alerts?status=resolved", READ).json().get("alerts").size() == 1
            && zeroCsv("", READ).size() == 3);
    // A typed "by" that a spreadsheet would run as a formula.
    String alert = alertOf(BEIJING);
    assertThat(api.post("/api/v1/alerts/" + alert + "/acknowledge", READ, "application/json",
        "{\"by\":\"=HYPERLINK(1)\",\"note\":\"called\"}").status()).isEqualTo(200);
    Await.until(Duration.ofSeconds(30), "the acknowledgement in the read model", () ->
        api.get("/api/v1/alerts/" + alert, READ).json().get("status").asText().equals("acknowledged")
            && api.get("/api/v1/alerts?status=acknowledged", READ).json().get("alerts").size() == 1);
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  void ingest(String event) {
    ApiClient.Response r = api.ingest(event);
    assertThat(r.json().get("accepted").asInt()).as(r.body()).isEqualTo(1);
  }

  JsonNode alertJson(String household) {
    return api.get("/api/v1/alerts?householdId=" + household + "&type=ZERO_EMPLOYMENT", READ).json().get("alerts").get(0);
  }

  String alertOf(String household) {
    return alertJson(household).get("alertId").asText();
  }

  /** The CSV's lines after the header; asserts the byte-order mark. */
  List<List<String>> zeroCsv(String query, String token) {
    return csvRows(api.get("/api/v1/exports/zero-employment?format=csv" + query, token));
  }

  static List<List<String>> csvRows(ApiClient.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    byte[] body = r.raw().body();
    assertThat(Arrays.copyOf(body, 3)).containsExactly(0xEF, 0xBB, 0xBF);
    List<List<String>> rows = new ArrayList<>();
    new String(body, 3, body.length - 3, StandardCharsets.UTF_8).lines().skip(1)
        .forEach(line -> rows.add(parseCsvLine(line)));
    return rows;
  }

  static List<String> parseCsvLine(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        cell.append('"');
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString());
    return out;
  }

  static String fileName(ApiClient.Response r) {
    String disposition = r.header("Content-Disposition");
    assertThat(disposition).startsWith("attachment;");
    Matcher star = Pattern.compile("filename\\*=UTF-8''([^;]+)").matcher(disposition);
    assertThat(star.find()).as(disposition).isTrue();
    assertThat(disposition).containsPattern("filename=\"[ -~]+\"");
    return URLDecoder.decode(star.group(1), StandardCharsets.UTF_8);
  }

  @Test
  void zeroEmploymentCsvHasTheBomTheChineseHeaderAndOneRowPerHousehold() {
    ApiClient.Response r = api.get("/api/v1/exports/zero-employment?format=csv", READ);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualToIgnoringCase("text/csv; charset=UTF-8");
    assertThat(fileName(r)).matches("零就业户_全部_\\d{8}-\\d{4}\\.csv");
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    String text = new String(r.raw().body(), StandardCharsets.UTF_8);
    assertThat(text.lines().findFirst().orElseThrow())
        .isEqualTo("\uFEFF户编号,区划代码,县,劳动力人数,零就业起始,是否已落实帮扶责任人,深度贫困地区,预警编号");
    List<List<String>> rows = csvRows(r);
    assertThat(rows).extracting(row -> row.get(0)).containsExactly(BEIJING, DEEP, HELPED);
    JsonNode deepAlert = alertJson(DEEP);
    assertThat(rows.get(1)).containsExactly(DEEP, "522701101", "都匀市", "2",
        TIME.format(Instant.parse(deepAlert.get("raisedAt").asText())), "否", "是", deepAlert.get("alertId").asText());
    assertThat(rows.get(2)).containsExactly(HELPED, "522702", "福泉市", "1",
        TIME.format(Instant.parse(alertJson(HELPED).get("raisedAt").asText())), "是", "否", alertOf(HELPED));
  }

  @Test
  void zeroEmploymentXlsxReadsBackWithPoiWithTimesAsDates() throws Exception {
    ApiClient.Response r = api.get("/api/v1/exports/zero-employment?region=5227&format=xlsx", READ);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assertThat(fileName(r)).matches("零就业户_5227_\\d{8}-\\d{4}\\.xlsx");
    try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(r.raw().body()))) {
      Sheet sheet = book.getSheetAt(0);
      assertThat(sheet.getSheetName()).isEqualTo("零就业户");
      assertThat(cells(sheet.getRow(0))).containsExactly("户编号", "区划代码", "县", "劳动力人数", "零就业起始",
          "是否已落实帮扶责任人", "深度贫困地区", "预警编号");
      assertThat(sheet.getLastRowNum()).isEqualTo(2);
      Row deep = sheet.getRow(1);
      assertThat(cells(deep).get(0)).isEqualTo(DEEP);
      assertThat(deep.getCell(3).getCellType()).isEqualTo(CellType.NUMERIC);
      assertThat(deep.getCell(3).getNumericCellValue()).isEqualTo(2.0);
      Cell since = deep.getCell(4);
      assertThat(DateUtil.isCellDateFormatted(since)).isTrue();
      Instant raised = Instant.parse(alertJson(DEEP).get("raisedAt").asText());
      assertThat(since.getLocalDateTimeCellValue()).isCloseTo(raised.atZone(ZONE).toLocalDateTime(),
          org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.SECONDS));
      assertThat(cells(sheet.getRow(2)).get(0)).isEqualTo(HELPED);
    }
  }

  @Test
  void alertsExportHasChineseLabelsAndFollowsTheFilters() {
    ApiClient.Response r = api.get("/api/v1/exports/alerts?format=csv", READ);
    assertThat(fileName(r)).matches("预警_全部_\\d{8}-\\d{4}\\.csv");
    assertThat(new String(r.raw().body(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow())
        .isEqualTo("\uFEFF预警编号,类型,级别,状态,户编号,区划代码,县,发生时间,确认时间,确认人,解除时间,说明");
    List<List<String>> all = csvRows(r);
    assertThat(all).hasSize(4);
    List<String> beijing = all.stream().filter(row -> row.get(4).equals(BEIJING)).findFirst().orElseThrow();
    assertThat(beijing.subList(0, 7)).containsExactly(alertOf(BEIJING), "零就业户", "高", "已确认", BEIJING, "110101", "东城区");
    assertThat(beijing.get(9)).as("a typed value is kept from running as a formula").isEqualTo("'=HYPERLINK(1)");
    assertThat(beijing.get(8)).isNotEmpty();
    assertThat(beijing.get(11)).startsWith("零就业户");
    List<String> deep = all.stream().filter(row -> row.get(4).equals(DEEP)).findFirst().orElseThrow();
    assertThat(deep.subList(1, 4)).containsExactly("零就业户", "严重", "待处理");
    List<String> employed = all.stream().filter(row -> row.get(4).equals(EMPLOYED)).findFirst().orElseThrow();
    assertThat(employed.get(3)).isEqualTo("已解除");
    assertThat(employed.get(10)).isNotEmpty();

    assertThat(csvRows(api.get("/api/v1/exports/alerts?format=csv&status=open&region=5227", READ)))
        .extracting(row -> row.get(4)).containsExactlyInAnyOrder(DEEP, HELPED);
    assertThat(csvRows(api.get("/api/v1/exports/alerts?format=csv&status=resolved", READ)))
        .extracting(row -> row.get(4)).containsExactly(EMPLOYED);
    assertThat(csvRows(api.get("/api/v1/exports/alerts?format=csv&type=NO_HELPER", READ))).isEmpty();
    String future = Instant.now().plus(Duration.ofDays(1)).toString();
    assertThat(csvRows(api.get("/api/v1/exports/alerts?format=csv&since=" + future, READ))).isEmpty();
  }

  @Test
  void aCountyTokenExportsOnlyItsCountyAndIsRefusedElsewhere() {
    assertThat(zeroCsv("", COUNTY)).extracting(row -> row.get(0)).containsExactly(DEEP);
    assertThat(zeroCsv("&region=52", COUNTY)).extracting(row -> row.get(0)).containsExactly(DEEP);
    assertThat(csvRows(api.get("/api/v1/exports/alerts?format=csv", COUNTY)))
        .extracting(row -> row.get(4)).containsExactlyInAnyOrder(DEEP, EMPLOYED);
    for (String path : List.of("/api/v1/exports/zero-employment?region=110101", "/api/v1/exports/alerts?region=5227022")) {
      ApiClient.Response refused = api.get(path, COUNTY);
      assertThat(refused.status()).as(path).isEqualTo(403);
      assertThat(refused.contentType()).isEqualTo("application/problem+json");
      assertThat(refused.json().get("detail").asText()).contains("region");
    }
  }

  @Test
  void badParametersAndTokensAreRefusedWithProblems() {
    Map<String, String> bad = Map.of(
        "/api/v1/exports/zero-employment?format=pdf", "format",
        "/api/v1/exports/zero-employment?region=52a", "region",
        "/api/v1/exports/alerts?status=closed", "status",
        "/api/v1/exports/alerts?since=yesterday", "since");
    bad.forEach((path, name) -> {
      ApiClient.Response r = api.get(path, READ);
      assertThat(r.status()).as(path).isEqualTo(400);
      assertThat(r.json().get("detail").asText()).as(path).startsWith(name + ":");
    });
    assertThat(api.get("/api/v1/exports/alerts", null).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/exports/alerts", "dev-ingest-token").status()).isEqualTo(403);
  }

  static List<String> cells(Row row) {
    DataFormatter format = new DataFormatter();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < row.getLastCellNum(); i++) {
      out.add(row.getCell(i) == null ? "" : format.formatCellValue(row.getCell(i)));
    }
    return out;
  }
}
