package cn.emon.console;

import static cn.emon.testing.Events.event;
import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.nextId;
import static cn.emon.testing.Events.placementStarted;
import static cn.emon.testing.Events.registered;
import static cn.emon.testing.Events.today;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.Browser;
import cn.emon.testing.MutableClock;
import cn.emon.testing.TestServer;
import cn.emon.testing.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The supervisor console in a real browser (Debian's headless Chromium) against a real server:
 * sign-in, the inbox with live updates and acknowledgement, the household page, region scope
 * enforced by the server, exports read back with POI, the regions charts, the admin's
 * subscriptions, a phone-sized window, and no request to any other host. Screenshots of each page
 * go to {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

  static final String READ = "dev-read-token";
  static final String ADMIN = "dev-admin-token";
  static final String COUNTY = "test-read-522701";
  static final Duration VISIBLE = Duration.ofSeconds(30);

  /** Raised three days ago and never handled: overdue. */
  static final String OLD = "522701-old01";
  /** Zero employment now, in a township of 都匀市 (522701). */
  static final String ZERO = "522701-zero01";
  /** Employed in a workshop, with a helper: its zero-employment alert was raised and resolved. */
  static final String WORKING = "522701-work01";
  /** Another county (东城区, 110101): the county token must never see it. */
  static final String ELSEWHERE = "110101-else01";

  final MutableClock clock = MutableClock.ticking();
  TestServer server;
  ApiClient api;
  Browser browser;
  String origin;
  WebhookReceiver receiver;
  String subscriptionId;

  @BeforeAll
  void start() throws Exception {
    Map<String, Object> settings = new HashMap<>(WebhookReceiver.serverSettings());
    settings.put("emon.auth.tokens", List.of(
        TestServer.token("dev-ingest", "dev-ingest-token", "ingest", List.of()),
        TestServer.token("dev-read", READ, "read", List.of()),
        TestServer.token("dev-admin", ADMIN, "admin", List.of()),
        TestServer.token("county-522701", COUNTY, "read", List.of("522701"))));
    clock.advance(Duration.ofDays(-3));
    server = TestServer.h2(settings, clock);
    api = server.client();
    String threeDaysAgo = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.ofHours(8)).withNano(0).toString();
    ingest(event(nextId(), "household.registered", OLD, threeDaysAgo,
        "{\"regionCode\":\"522701\",\"deepPovertyArea\":false,\"members\":[" + member("m1", "ORDINARY", false) + "]}"));
    awaitAlerts(OLD, 1);
    clock.advance(Duration.ofDays(3));

    ingest(registered(ZERO, "522701101", true, member("m1", "WEAK", true)));
    ingest(registered(WORKING, "522701101", false, member("m1", "ORDINARY", false) + "," + member("m2", "LOST", false)));
    ingest(placementStarted(WORKING, "m1", "p-77", today()));
    ingest(event("helper.assigned", WORKING, "{\"helperId\":\"h-9\"}"));
    ingest(registered(ELSEWHERE, "110101", false, member("m1", "SKILLED", false)));
    awaitAlerts(ZERO, 1);
    awaitAlerts(ELSEWHERE, 1);
    Await.until(VISIBLE, "the workshop household's alert resolved", () ->
        api.get("/api/v1/alerts?householdId=" + WORKING + "&status=resolved", READ).json().get("alerts").size() == 1);

    receiver = WebhookReceiver.start();
    subscriptionId = api.post("/api/v1/webhooks", ADMIN, "application/json",
        "{\"url\":\"" + receiver.url("/hook") + "\",\"format\":\"standard\",\"regions\":[\"52\"]}").json().get("id").asText();
    browser = Browser.start(1366, 768);
    origin = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
      if (receiver != null) {
        receiver.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  void ingest(String event) {
    ApiClient.Response r = api.ingest(event);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).as(r.body()).isEqualTo(1);
  }

  void awaitAlerts(String household, int n) {
    Await.until(VISIBLE, n + " alert(s) of " + household, () ->
        api.get("/api/v1/alerts?householdId=" + household, READ).json().get("alerts").size() == n);
  }

  String alertOf(String household) {
    return api.get("/api/v1/alerts?householdId=" + household, READ).json().get("alerts").get(0).get("alertId").asText();
  }

  void signIn(String token) {
    browser.requestedUrls(); // collects the performance log so far (Chrome keeps only what is not yet read)
    browser.open(origin + "/console/#/inbox");
    if (!browser.driver().findElements(By.id("sign-out")).isEmpty()
        && browser.driver().findElement(By.id("sign-out")).isDisplayed()) {
      browser.driver().findElement(By.id("sign-out")).click();
    }
    WebElement input = browser.find(By.id("token"));
    input.sendKeys(token, Keys.ENTER);
    browser.find(By.cssSelector("table#alerts tbody tr"));
  }

  WebElement rowOf(String household) {
    return browser.await("a row of " + household + " in the inbox", d -> d.findElements(
        By.cssSelector("table#alerts tbody tr")).stream()
        .filter(tr -> tr.getText().contains(household)).findFirst().orElse(null));
  }

  /** Reads the row of {@code household} in one go (the inbox redraws rows as news arrives). */
  <T> T fromRow(String household, java.util.function.Function<WebElement, T> read) {
    return browser.await("the row of " + household, d -> read.apply(rowOf(household)));
  }

  List<String> inboxHouseholds() {
    List<String> out = new ArrayList<>();
    for (WebElement a : browser.driver().findElements(By.cssSelector("table#alerts tbody tr a[href^='#/household/']"))) {
      out.add(a.getText());
    }
    return out;
  }

  @Test
  @Order(1)
  void signsInAndShowsTheInboxNewestFirstWithOverdueAlertsMarked() throws Exception {
    browser.open(origin + "/console/");
    assertThat(browser.find(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");
    WebElement token = browser.find(By.id("token"));
    assertThat(browser.driver().findElement(By.cssSelector("label[for='token']")).getText()).contains("访问令牌");
    browser.screenshot("signin");
    token.sendKeys(READ, Keys.ENTER);

    assertThat(this.<String>fromRow(OLD, tr -> tr.getAttribute("class"))).contains("overdue");
    assertThat(this.<String>fromRow(OLD, WebElement::getText)).contains("超时", "零就业户", "待处理");
    assertThat(this.<String>fromRow(ZERO, tr -> tr.getAttribute("class"))).doesNotContain("overdue");
    assertThat(this.<String>fromRow(ZERO, WebElement::getText)).contains("严重");
    List<String> order = browser.await("the inbox's households", d -> inboxHouseholds());
    assertThat(order.indexOf(ZERO)).isLessThan(order.indexOf(OLD));
    assertThat(order).doesNotContain(WORKING);
    browser.screenshot("inbox");
  }

  @Test
  @Order(2)
  void aNewAlertAppearsWithoutAReload() {
    signIn(READ);
    rowOf(ZERO);
    JavascriptExecutor js = browser.driver();
    js.executeScript("window.__sameDocument = 'yes'");
    String live = "522701-live01";
    ingest(registered(live, "522701", false, member("m1", "SKILLED", false)));

    assertThat(this.<String>fromRow(live, WebElement::getText)).contains("新", "零就业户");
    assertThat(js.executeScript("return window.__sameDocument")).isEqualTo("yes");
  }

  @Test
  @Order(3)
  void acknowledgesWithANoteByKeyboardAndTheRowShowsItAtOnce() {
    signIn(READ);
    String alertId = alertOf(ZERO);
    browser.await("the acknowledge button pressed", d -> {
      rowOf(ZERO).findElement(By.cssSelector("button.ack")).sendKeys(Keys.ENTER);
      return true;
    });
    WebElement note = browser.find(By.id("ack-note"));
    assertThat(browser.driver().switchTo().activeElement()).isEqualTo(note);
    note.sendKeys("已电话联系，推荐公益性岗位");
    browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
    browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
    assertThat(browser.driver().switchTo().activeElement().getText()).isEqualTo("确认预警");
    browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);

    browser.await("the row acknowledged", d -> "acknowledged".equals(rowOf(ZERO).getAttribute("data-status")));
    assertThat(this.<String>fromRow(ZERO, WebElement::getText)).contains("已确认", "dev-read");
    assertThat(this.<List<WebElement>>fromRow(ZERO, tr -> tr.findElements(By.cssSelector("button.ack")))).isEmpty();
    assertThat(api.get("/api/v1/alerts/" + alertId, READ).json().get("status").asText()).isEqualTo("acknowledged");
    JsonNode events = api.get("/api/v1/households/" + ZERO + "/events", READ).json().get("events");
    assertThat(events.findValuesAsText("note")).contains("已电话联系，推荐公益性岗位");
  }

  @Test
  @Order(4)
  void theHouseholdPageShowsMembersPlacementsAndTheAlertTimeline() throws Exception {
    signIn(READ);
    browser.open(origin + "/console/#/household/" + WORKING);
    WebElement placements = browser.find(By.xpath("//section[h2[@id='placements-title']]"));
    assertThat(placements.getText()).contains("p-77", "就业扶贫车间", "在岗", "乡（镇）外县内");
    String due = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(90).toString();
    assertThat(placements.getText()).contains(due + " 前");
    String members = browser.find(By.xpath("//section[h2[@id='members-title']]")).getText();
    assertThat(members).contains("普通劳动力", "丧失劳动力", "在岗");
    String timeline = browser.find(By.id("alert-timeline")).getText();
    assertThat(timeline).contains("产生预警", "已解除", "零就业户");
    String facts = browser.find(By.xpath("//section[h2[@id='facts-title']]")).getText();
    assertThat(facts).contains("h-9", "都匀市", "522701101");
    String history = browser.find(By.xpath("//section[h2[@id='events-title']]")).getText();
    assertThat(history).contains("建档登记", "开始就业", "落实帮扶责任人", "解除预警");
    browser.screenshot("household");
  }

  @Test
  @Order(5)
  void aCountyTokenSeesNeitherAnotherCountysAlertsNorItsHousehold() {
    signIn(COUNTY);
    rowOf(OLD);
    List<String> seen = browser.await("the inbox's households", d -> inboxHouseholds());
    assertThat(seen).contains(OLD, "522701-live01").allMatch(h -> h.startsWith("522701")).doesNotContain(ELSEWHERE);

    browser.open(origin + "/console/#/household/" + ELSEWHERE);
    assertThat(browser.find(By.id("household-error")).getText()).contains("无权查看");
    assertThat(browser.driver().findElements(By.id("members-title"))).isEmpty();
    assertThat(browser.driver().getPageSource()).doesNotContain("SKILLED", "技能劳动力");
  }

  @Test
  @Order(6)
  void exportsDownloadAsXlsxAndCsvMatchingTheInbox() throws Exception {
    signIn(READ);
    Set<String> open = new HashSet<>();
    api.get("/api/v1/alerts?status=open&limit=1000", READ).json().get("alerts")
        .forEach(a -> open.add(a.get("alertId").asText()));

    browser.find(By.id("export-alerts-xlsx")).click();
    Path xlsx = browser.awaitDownload(".xlsx");
    assertThat(xlsx.getFileName().toString()).startsWith("预警_全部_");
    try (XSSFWorkbook book = new XSSFWorkbook(Files.newInputStream(xlsx))) {
      Sheet sheet = book.getSheetAt(0);
      assertThat(cells(sheet.getRow(0))).containsExactly("预警编号", "类型", "级别", "状态", "户编号", "区划代码", "县",
          "发生时间", "确认时间", "确认人", "解除时间", "说明");
      Set<String> exported = new HashSet<>();
      for (int i = 1; i <= sheet.getLastRowNum(); i++) {
        exported.add(cells(sheet.getRow(i)).get(0));
        assertThat(cells(sheet.getRow(i)).get(3)).isEqualTo("待处理");
      }
      assertThat(exported).isEqualTo(open);
    }
    Files.delete(xlsx);

    browser.find(By.id("export-alerts-csv")).click();
    Path csv = browser.awaitDownload(".csv");
    byte[] bytes = Files.readAllBytes(csv);
    assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
    List<String> lines = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(0)).isEqualTo("预警编号,类型,级别,状态,户编号,区划代码,县,发生时间,确认时间,确认人,解除时间,说明");
    assertThat(lines).hasSize(open.size() + 1);
    Files.delete(csv);

    browser.open(origin + "/console/#/regions/5227");
    browser.find(By.cssSelector("#chart-channel canvas"));
    browser.find(By.id("export-zero-xlsx")).click();
    Path zero = browser.awaitDownload(".xlsx");
    assertThat(zero.getFileName().toString()).startsWith("零就业户_5227_");
    try (XSSFWorkbook book = new XSSFWorkbook(Files.newInputStream(zero))) {
      Sheet sheet = book.getSheetAt(0);
      assertThat(cells(sheet.getRow(0))).containsExactly("户编号", "区划代码", "县", "劳动力人数", "零就业起始",
          "是否已落实帮扶责任人", "深度贫困地区", "预警编号");
      Set<String> households = new HashSet<>();
      for (int i = 1; i <= sheet.getLastRowNum(); i++) {
        List<String> row = cells(sheet.getRow(i));
        households.add(row.get(0));
        assertThat(row.get(2)).isEqualTo("都匀市");
      }
      assertThat(households).contains(OLD, ZERO).doesNotContain(WORKING, ELSEWHERE);
    }
    Files.delete(zero);
  }

  static List<String> cells(Row row) {
    DataFormatter format = new DataFormatter();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < row.getLastCellNum(); i++) {
      out.add(row.getCell(i) == null ? "" : format.formatCellValue(row.getCell(i)));
    }
    return out;
  }

  @Test
  @Order(7)
  void theRegionsPageDrawsChartsAndTheNumbersAsATable() throws Exception {
    signIn(READ);
    browser.open(origin + "/console/#/regions/52");
    for (String chart : List.of("chart-channel", "chart-scope", "chart-worst", "chart-target")) {
      browser.find(By.cssSelector("#" + chart + " canvas"));
    }
    JsonNode guizhou = null;
    for (JsonNode r : api.get("/api/v1/stats/regions?level=province", READ).json().get("regions")) {
      guizhou = r.get("code").asText().equals("52") ? r : guizhou;
    }
    String overview = browser.find(By.id("region-overview")).getText();
    assertThat(overview).contains("贵州省", "监测户数", String.valueOf(guizhou.get("households").asLong()));
    WebElement prefectures = browser.find(By.cssSelector("#region-overview table"));
    assertThat(prefectures.getText()).contains("黔南布依族苗族自治州", "5227");
    assertThat(browser.find(By.id("chart-channel")).getAttribute("aria-label")).contains("就业扶贫车间 1");
    browser.screenshot("regions");
  }

  @Test
  @Order(8)
  void anAdminSeesSubscriptionsTestsOneAndReadsItsDeliveries() throws Exception {
    signIn(ADMIN);
    browser.find(By.cssSelector("#nav a[data-page='webhooks']")).click();
    WebElement row = browser.find(By.cssSelector("tr[data-webhook-id='" + subscriptionId + "']"));
    assertThat(row.getText()).contains(receiver.url("/hook"), "启用", "standard");
    browser.find(By.id("test-" + subscriptionId)).click();
    browser.await("the test delivery reported", d -> d.findElement(By.id("toast")).getText().contains("测试消息已送达"));
    assertThat(receiver.received()).anyMatch(r -> r.path().equals("/hook"));
    browser.find(By.id("deliveries-" + subscriptionId)).click();
    browser.await("the deliveries listed", d -> d.findElement(By.id("deliveries")).getText().contains("投递记录"));
    browser.screenshot("webhooks");
  }

  @Test
  @Order(9)
  void onAPhoneTheInboxFitsTheScreenAndStaysUsable() throws Exception {
    browser.resize(390, 844);
    try {
      signIn(READ);
      rowOf(OLD);
      JavascriptExecutor js = browser.driver();
      long scrollWidth = (Long) js.executeScript("return document.documentElement.scrollWidth");
      long viewport = (Long) js.executeScript("return window.innerWidth");
      assertThat(scrollWidth).isLessThanOrEqualTo(viewport);
      int right = fromRow(OLD, tr -> {
        WebElement ack = tr.findElement(By.cssSelector("button.ack"));
        return ack.isDisplayed() ? ack.getRect().getX() + ack.getRect().getWidth() : null;
      });
      assertThat(right).isLessThanOrEqualTo((int) viewport);
      browser.await("the acknowledge button clicked", d -> {
        rowOf(OLD).findElement(By.cssSelector("button.ack")).click();
        return true;
      });
      assertThat(browser.find(By.id("ack-note")).isDisplayed()).isTrue();
      browser.find(By.cssSelector("#ack-dialog button.secondary")).click();
      browser.screenshot("inbox-phone");
    } finally {
      browser.resize(1366, 768);
    }
  }

  @Test
  @Order(100)
  void noRequestLeftForAnotherHost() {
    List<String> urls = browser.requestedUrls();
    assertThat(urls).contains(origin + "/console/vendor/echarts.esm.min.js", origin + "/console/app.css");
    assertThat(urls).anyMatch(u -> u.startsWith(origin + "/api/v1/alerts"));
    assertThat(browser.foreignRequests(origin)).isEmpty();
  }
}
