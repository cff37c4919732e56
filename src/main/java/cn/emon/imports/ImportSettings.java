package cn.emon.imports;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/** Limits and pacing of the register import ({@code emon.imports}). */
public record ImportSettings(
    long maxFileBytes,
    Duration uploadTimeout,
    int batchSize,
    int maxConcurrent,
    int maxErrors,
    Duration heartbeatInterval,
    Duration staleAfter,
    Duration retryFor,
    Path tempDir) {

  public static ImportSettings from(Config imports) {
    String dir = imports.getString("temp-dir");
    ImportSettings s = new ImportSettings(
        imports.getBytes("max-file-bytes"),
        imports.getDuration("upload-timeout"),
        imports.getInt("batch-size"),
        imports.getInt("max-concurrent"),
        imports.getInt("max-errors"),
        imports.getDuration("heartbeat-interval"),
        imports.getDuration("stale-after"),
        imports.getDuration("retry-for"),
        Path.of(dir.isEmpty() ? System.getProperty("java.io.tmpdir") : dir));
    if (s.batchSize < 1 || s.batchSize > 1000) {
      throw new IllegalArgumentException("emon.imports.batch-size must be from 1 to 1000");
    }
    if (s.maxConcurrent < 1) {
      throw new IllegalArgumentException("emon.imports.max-concurrent must be at least 1");
    }
    if (s.staleAfter.compareTo(s.heartbeatInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("emon.imports.stale-after must be at least twice heartbeat-interval");
    }
    return s;
  }
}
