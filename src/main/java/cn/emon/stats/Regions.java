package cn.emon.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * GB/T 2260 region names (名称 beside 代码): provinces (2 digits), prefectures (4) and counties
 * (6), read from {@code /regions.csv} on the classpath — the build copies it from
 * {@code config/regions/regions.csv}, the one source, which says where it comes from.
 */
public final class Regions {

  /** One row of the table; {@code parent} is empty for provinces. */
  public record Region(String code, String level, String name, String parent) {}

  private final Map<String, Region> byCode;

  private Regions(Map<String, Region> byCode) {
    this.byCode = byCode;
  }

  /** Loads the table shipped on the classpath; fails when it is missing or malformed. */
  public static Regions load() {
    try (InputStream in = Regions.class.getResourceAsStream("/regions.csv")) {
      if (in == null) {
        throw new IllegalStateException("regions.csv missing from the classpath");
      }
      return parse(in);
    } catch (IOException e) {
      throw new IllegalStateException("regions.csv unreadable", e);
    }
  }

  static Regions parse(InputStream in) throws IOException {
    Map<String, Region> rows = new HashMap<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String header = reader.readLine();
    if (!"code,level,name,parent".equals(header)) {
      throw new IllegalStateException("regions.csv: unexpected header");
    }
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 4) {
        throw new IllegalStateException("regions.csv: malformed row for code " + f[0]);
      }
      rows.put(f[0], new Region(f[0], f[1], f[2], f[3]));
    }
    return new Regions(Map.copyOf(rows));
  }

  public Optional<Region> get(String code) {
    return Optional.ofNullable(byCode.get(code));
  }

  /** The name of a code, or null when the table does not know it (codes change every year). */
  public String name(String code) {
    Region r = byCode.get(code);
    return r == null ? null : r.name();
  }

  public boolean isCounty(String code) {
    Region r = byCode.get(code);
    return r != null && r.level().equals("county");
  }

  public int size() {
    return byCode.size();
  }
}
