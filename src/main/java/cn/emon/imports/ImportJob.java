package cn.emon.imports;

import cn.emon.ErrorCode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What is stored of one import: its file, who posted it, where it stands and how it ended. */
record ImportJob(
    String importId,
    Status status,
    Phase phase,
    RegisterFormat format,
    String sha256,
    long fileBytes,
    String createdBy,
    List<String> scope,
    Instant createdAt,
    Instant finishedAt,
    Counts counts,
    ErrorCode failureCode,
    String failureMessage) {

  /** The contract's status of an import. */
  enum Status {
    RUNNING, DONE, FAILED;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where a running import is: waiting for a worker, reading the file, importing households. */
  enum Phase {
    QUEUED, READING, IMPORTING, FINISHED;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Progress so far: rows read, households found, their outcomes, row errors found. */
  record Counts(int rows, int households, int accepted, int duplicates, int rejected, int errors) {
    static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);
  }

  /** The region prefixes of the scope column: space-separated, '' = all regions. */
  static List<String> scopeOf(String column) {
    return column.isBlank() ? List.of() : Arrays.asList(column.trim().split(" +"));
  }

  static String scopeColumn(List<String> scope) {
    return String.join(" ", scope);
  }
}
