package cn.emon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver by Selenium: nothing is
 * downloaded, and the flags keep Chromium from calling home on a closed network. A fresh profile
 * per browser; downloads go to its own folder; every request the page makes is recorded from
 * Chrome's performance log, so a test can prove none left for another host.
 */
public final class Browser implements AutoCloseable {

  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  /** A bound on waiting for the page, far above what it takes (it only catches a hang). */
  public static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;
  private final Path profile;
  private final Path downloads;
  private final List<String> requested = new ArrayList<>();

  private Browser(ChromeDriver driver, Path profile, Path downloads) {
    this.driver = driver;
    this.profile = profile;
    this.downloads = downloads;
  }

  /** Starts a browser whose window is {@code width} × {@code height}. */
  public static Browser start(int width, int height) throws IOException {
    Path profile = Files.createTempDirectory("emon-chromium-profile");
    Path downloads = Files.createTempDirectory("emon-chromium-downloads");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-default-browser-check", "--disable-extensions", "--disable-default-apps", "--no-pings",
        "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
        "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--lang=zh-CN");
    options.setExperimentalOption("prefs", Map.of(
        "download.default_directory", downloads.toString(),
        "download.prompt_for_download", false,
        "intl.accept_languages", "zh-CN,zh"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.executeCdpCommand("Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    return new Browser(driver, profile, downloads);
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Waits for {@code condition} to hold (non-null, non-false) within {@link #WAIT}. */
  public <T> T await(String what, ExpectedCondition<T> condition) {
    try {
      return new WebDriverWait(driver, WAIT).withMessage(what)
          .ignoring(StaleElementReferenceException.class).until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + WAIT + " waiting for " + what + " at " + driver.getCurrentUrl()
          + "\nbrowser console:\n" + String.join("\n", console()) + "\npage text:\n"
          + driver.findElement(By.tagName("body")).getText(), e);
    }
  }

  /** The browser console's messages since the last call (script errors, failed loads). */
  public List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(e -> e.getLevel() + " " + e.getMessage()).toList();
  }

  public WebElement find(By by) {
    return await("element " + by, d -> {
      List<WebElement> found = d.findElements(by);
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  /** A PNG of the whole page (not only the viewport) under {@code target/screenshots/NAME.png}. */
  public Path screenshot(String name) throws IOException {
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    @SuppressWarnings("unchecked")
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
        Map.of("format", "png", "captureBeyondViewport", true));
    Path file = dir.resolve(name + ".png");
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    return file;
  }

  /** Waits for a finished download whose name ends with {@code suffix}, and returns it. */
  public Path awaitDownload(String suffix) {
    Path[] found = new Path[1];
    Await.until(WAIT, "a downloaded *" + suffix + " in " + downloads, () -> {
      try (Stream<Path> files = Files.list(downloads)) {
        found[0] = files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
        return found[0] != null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return found[0];
  }

  /** Every URL the pages requested so far (documents, scripts, styles, fetches, images …). */
  public List<String> requestedUrls() {
    for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
      JsonNode message = json(entry.getMessage()).path("message");
      if ("Network.requestWillBeSent".equals(message.path("method").asText())) {
        requested.add(message.path("params").path("request").path("url").asText());
      }
    }
    return List.copyOf(requested);
  }

  /**
   * The requested URLs that went to the network (http, https, ws, wss) somewhere other than
   * {@code origin}; data:, blob: and the browser's own chrome:// pages never leave the machine.
   */
  public List<String> foreignRequests(String origin) {
    URI base = URI.create(origin);
    return requestedUrls().stream()
        .filter(u -> u.matches("(?i)^(https?|wss?)://.*"))
        .filter(u -> {
          URI uri = URI.create(u);
          return !(base.getScheme().equals(uri.getScheme()) && base.getHost().equals(uri.getHost())
              && base.getPort() == uri.getPort());
        })
        .toList();
  }

  private static JsonNode json(String text) {
    try {
      return ApiClient.JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      for (Path dir : List.of(profile, downloads)) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }
}
