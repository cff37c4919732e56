package cn.emon.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Proves that the {@link Canary} values a test submitted came out nowhere they must not: server
 * logs, {@code /metrics}, the alerts API and webhook requests (bodies and headers). Collect what
 * to scan, then {@link #assertClean()}: it fails naming every place found (file and line, endpoint
 * and line, webhook request and header), with a short masked excerpt, never the whole text.
 */
public final class CanaryScan {

  private static final int MAX_REPORTED = 20;
  private static final int EXCERPT = 60;

  private final List<String> hits = new ArrayList<>();
  private final List<String> scanned = new ArrayList<>();
  private int hitCount;

  private CanaryScan() {}

  public static CanaryScan create() {
    return new CanaryScan();
  }

  /**
   * The scan of one server process: its log, its {@code /metrics} and every alert of
   * {@code region}, after checking that {@code household}'s canary values were stored.
   */
  public static CanaryScan ofServer(ServerProcess server, String household, String region) {
    return create().stored(server.client(), household).logs(List.of(server)).metrics(List.of(server))
        .alerts(server.client(), region);
  }

  /**
   * The canaries reached the server: the household's read view (an authorised read of stored data,
   * where the employer is shown by design) holds them. Without this a clean scan could mean only
   * that nothing was sent.
   */
  public CanaryScan stored(ApiClient api, String household) {
    ApiClient.Response r = api.get("/api/v1/households/" + household, "dev-read-token");
    assertThat(r.status()).as("household view of " + household).isEqualTo(200);
    assertThat(r.body()).as("the canaries were stored (the employer of " + household + ")")
        .contains(Canary.NAME).contains(Canary.ID_NUMBER);
    return this;
  }

  /** Every line of each process's log file (all its runs: restarts append). */
  public CanaryScan logs(List<ServerProcess> servers) {
    for (int i = 0; i < servers.size(); i++) {
      logFile("node " + i + " log " + servers.get(i).log(), servers.get(i).log());
    }
    return this;
  }

  /** Every line of one log file, read as UTF-8 (undecodable bytes replaced, not fatal). */
  public CanaryScan logFile(String label, Path file) {
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    int lines = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines++;
        line(label + ":" + lines, line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot scan " + label, e);
    }
    scanned.add(label + " (" + lines + " lines)");
    return this;
  }

  /** {@code GET /metrics} of each server, line by line. */
  public CanaryScan metrics(List<ServerProcess> live) {
    for (ServerProcess s : live) {
      ApiClient.Response r = s.client().get("/metrics", null);
      assertThat(r.status()).as("GET /metrics of port " + s.port()).isEqualTo(200);
      text("GET /metrics of port " + s.port(), r.body());
    }
    scanned.add(live.size() + " × /metrics");
    return this;
  }

  /** Every page of {@code GET /api/v1/alerts?region=…} (all statuses), raw bodies. */
  public CanaryScan alerts(ApiClient api, String region) {
    int alerts = 0;
    int pages = 0;
    for (ApiClient.Response page : api.alertPages("region=" + region + "&limit=1000", "dev-read-token")) {
      pages++;
      text("GET /api/v1/alerts?region=" + region + " page " + pages, page.body());
      alerts += page.json().get("alerts").size();
    }
    scanned.add(alerts + " alerts in " + pages + " page(s)");
    return this;
  }

  /** Every request the receiver got: each header (name and values) and the body. */
  public CanaryScan webhooks(WebhookReceiver receiver) {
    List<WebhookReceiver.Received> received = receiver.received();
    for (int i = 0; i < received.size(); i++) {
      WebhookReceiver.Received r = received.get(i);
      String where = "webhook request #" + i + " (webhook-id " + r.id() + ")";
      for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
        line(where + " header " + h.getKey() + " name", h.getKey());
        for (String v : h.getValue()) {
          line(where + " header " + h.getKey(), v);
        }
      }
      line(where + " path", r.path());
      text(where + " body", r.bodyText());
    }
    scanned.add(received.size() + " webhook requests");
    return this;
  }

  /** Any text, line by line. */
  public CanaryScan text(String where, String text) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      line(lines.length == 1 ? where : where + " line " + (i + 1), lines[i]);
    }
    return this;
  }

  /**
   * What to look for: each value as text, and as the hex of its UTF-8 bytes, as a bytea or byte
   * array would be rendered into an exception message.
   */
  private static final Map<String, String> NEEDLES = Map.of(
      Canary.NAME, "the name",
      Canary.ID_NUMBER, "the ID number",
      HexFormat.of().formatHex(Canary.NAME.getBytes(StandardCharsets.UTF_8)), "the name in hex",
      HexFormat.of().formatHex(Canary.ID_NUMBER.getBytes(StandardCharsets.UTF_8)), "the ID number in hex");

  private void line(String where, String line) {
    String lower = null;
    for (Map.Entry<String, String> needle : NEEDLES.entrySet()) {
      int at = line.indexOf(needle.getKey());
      if (at < 0 && needle.getValue().endsWith("hex")) {
        lower = lower == null ? line.toLowerCase(java.util.Locale.ROOT) : lower;
        at = lower.indexOf(needle.getKey());
      }
      if (at >= 0) {
        hitCount++;
        if (hits.size() < MAX_REPORTED) {
          hits.add(where + ": " + needle.getValue() + " in «" + excerpt(line, at) + "»");
        }
      }
    }
  }

  /** A short piece of the line around the hit, the canaries masked. */
  private static String excerpt(String line, int at) {
    String piece = line.substring(Math.max(0, at - EXCERPT), Math.min(line.length(), at + EXCERPT));
    for (Map.Entry<String, String> needle : NEEDLES.entrySet()) {
      piece = piece.replace(needle.getKey(), "<" + needle.getValue() + ">");
    }
    return piece;
  }

  /** Fails naming where a canary was found; prints what was scanned when clean. */
  public void assertClean() {
    if (hitCount > 0) {
      throw new AssertionError("personal data leaked: " + hitCount + " occurrence(s) of the canary values"
          + (hitCount > hits.size() ? " (first " + hits.size() + " shown)" : "") + ":\n  " + String.join("\n  ", hits));
    }
    System.out.println("canary scan clean: " + String.join(", ", scanned));
  }
}
