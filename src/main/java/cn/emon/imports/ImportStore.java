package cn.emon.imports;

import cn.emon.ErrorCode;
import cn.emon.alerting.LaborCapacity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The import tables ({@code import_jobs}, {@code import_rows}, {@code import_errors}). Blocking
 * JDBC: call from the import workers or the blocking dispatcher.
 */
final class ImportStore {

  private static final String JOB_COLUMNS = "import_id, status, phase, file_format, file_sha256, file_bytes,"
      + " created_by, scope, created_at, finished_at, row_count, households, accepted, duplicates, rejected,"
      + " error_count, failure_code, failure_message";
  private static final String ROW_COLUMNS = "row_no, household_id, region_code, deep_poverty, member_id,"
      + " labor_capacity, wants_training, error_code, error_message";
  static final String INTERRUPTED =
      "interrupted: the server stopped while this import ran; post the file again (households already imported answer duplicate)";

  private final DataSource dataSource;

  ImportStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void create(ImportJob job, long heartbeatAt) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO import_jobs (" + JOB_COLUMNS + ", heartbeat_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, NULL, NULL, ?)")) {
      ps.setString(1, job.importId());
      ps.setString(2, job.status().wireName());
      ps.setString(3, job.phase().wireName());
      ps.setString(4, job.format().wireName());
      ps.setString(5, job.sha256());
      ps.setLong(6, job.fileBytes());
      ps.setString(7, job.createdBy());
      ps.setString(8, ImportJob.scopeColumn(job.scope()));
      ps.setLong(9, job.createdAt().toEpochMilli());
      ps.setNull(10, Types.BIGINT);
      ps.setLong(11, heartbeatAt);
      ps.executeUpdate();
    }
  }

  Optional<ImportJob> find(String importId) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT " + JOB_COLUMNS + " FROM import_jobs WHERE import_id = ?")) {
      ps.setString(1, importId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(job(rs)) : Optional.empty();
      }
    }
  }

  /** The first {@code limit} row errors of an import, in the order they were found. */
  List<RowError> errors(String importId, int limit) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT row_no, household_id, error_code, error_message FROM import_errors WHERE import_id = ?"
            + " ORDER BY seq FETCH FIRST ? ROWS ONLY")) {
      ps.setString(1, importId);
      ps.setInt(2, limit);
      List<RowError> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new RowError(rs.getInt("row_no"), rs.getString("household_id"),
              ErrorCode.valueOf(rs.getString("error_code")), rs.getString("error_message")));
        }
      }
      return out;
    }
  }

  void phase(String importId, ImportJob.Phase phase) throws SQLException {
    update("UPDATE import_jobs SET phase = ? WHERE import_id = ? AND status = ?",
        phase.wireName(), importId, ImportJob.Status.RUNNING.wireName());
  }

  void progress(String importId, ImportJob.Counts n) throws SQLException {
    update("UPDATE import_jobs SET row_count = ?, households = ?, accepted = ?, duplicates = ?, rejected = ?,"
            + " error_count = ? WHERE import_id = ? AND status = ?",
        n.rows(), n.households(), n.accepted(), n.duplicates(), n.rejected(), n.errors(), importId,
        ImportJob.Status.RUNNING.wireName());
  }

  /** Ends a running import; a job that already ended (interrupted meanwhile) stays as it is. */
  void finish(String importId, ImportJob.Status status, ImportJob.Counts n, ErrorCode failureCode,
      String failureMessage, Instant at) throws SQLException {
    update("UPDATE import_jobs SET status = ?, phase = ?, row_count = ?, households = ?, accepted = ?,"
            + " duplicates = ?, rejected = ?, error_count = ?, failure_code = ?, failure_message = ?,"
            + " finished_at = ? WHERE import_id = ? AND status = ?",
        status.wireName(), ImportJob.Phase.FINISHED.wireName(), n.rows(), n.households(), n.accepted(),
        n.duplicates(), n.rejected(), n.errors(), failureCode == null ? null : failureCode.name(),
        failureMessage, at.toEpochMilli(), importId, ImportJob.Status.RUNNING.wireName());
  }

  /** Marks running imports interrupted: those given, or (ids empty) those whose heartbeat is older than {@code staleBefore}. */
  int interrupt(Collection<String> importIds, long staleBefore, Instant at) throws SQLException {
    String where = importIds.isEmpty() ? " AND heartbeat_at < ?"
        : " AND import_id IN (" + String.join(", ", importIds.stream().map(i -> "?").toList()) + ")";
    List<Object> args = new ArrayList<>(List.of(ImportJob.Status.FAILED.wireName(),
        ImportJob.Phase.FINISHED.wireName(), ErrorCode.IMPORT_INTERRUPTED.name(), INTERRUPTED,
        at.toEpochMilli(), ImportJob.Status.RUNNING.wireName()));
    if (importIds.isEmpty()) {
      args.add(staleBefore);
    } else {
      args.addAll(importIds);
    }
    return update("UPDATE import_jobs SET status = ?, phase = ?, failure_code = ?, failure_message = ?,"
        + " finished_at = ? WHERE status = ?" + where, args.toArray());
  }

  /** Marks one running import interrupted when its heartbeat is older than {@code staleBefore}. */
  void interruptIfStale(String importId, long staleBefore, Instant at) throws SQLException {
    update("UPDATE import_jobs SET status = ?, phase = ?, failure_code = ?, failure_message = ?, finished_at = ?"
            + " WHERE import_id = ? AND status = ? AND heartbeat_at < ?",
        ImportJob.Status.FAILED.wireName(), ImportJob.Phase.FINISHED.wireName(),
        ErrorCode.IMPORT_INTERRUPTED.name(), INTERRUPTED, at.toEpochMilli(), importId,
        ImportJob.Status.RUNNING.wireName(), staleBefore);
  }

  void heartbeat(Collection<String> importIds, long now) throws SQLException {
    if (importIds.isEmpty()) {
      return;
    }
    List<Object> args = new ArrayList<>();
    args.add(now);
    args.add(ImportJob.Status.RUNNING.wireName());
    args.addAll(importIds);
    update("UPDATE import_jobs SET heartbeat_at = ? WHERE status = ? AND import_id IN ("
        + String.join(", ", importIds.stream().map(i -> "?").toList()) + ")", args.toArray());
  }

  /** Stages member rows in one transaction. */
  void stage(String importId, List<StagedRow> rows) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO import_rows (import_id, " + ROW_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (StagedRow r : rows) {
          ps.setString(1, importId);
          ps.setInt(2, r.row());
          ps.setString(3, r.householdId());
          ps.setString(4, r.regionCode());
          ps.setBoolean(5, r.deepPoverty());
          ps.setString(6, r.memberId());
          ps.setString(7, r.capacity() == null ? null : r.capacity().name());
          ps.setBoolean(8, r.wantsTraining());
          ps.setString(9, r.errorCode() == null ? null : r.errorCode().name());
          ps.setString(10, r.errorMessage());
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Up to {@code limit} staged rows of the households after {@code afterHousehold}, ordered by
   * household and row: the next page of households, the last of which may be cut off.
   */
  List<StagedRow> page(String importId, String afterHousehold, int limit) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT " + ROW_COLUMNS + " FROM import_rows WHERE import_id = ? AND household_id > ?"
            + " ORDER BY household_id, row_no FETCH FIRST ? ROWS ONLY")) {
      ps.setString(1, importId);
      ps.setString(2, afterHousehold);
      ps.setInt(3, limit);
      List<StagedRow> out = new ArrayList<>(limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String capacity = rs.getString("labor_capacity");
          String code = rs.getString("error_code");
          out.add(new StagedRow(rs.getInt("row_no"), rs.getString("household_id"), rs.getString("region_code"),
              rs.getBoolean("deep_poverty"), rs.getString("member_id"),
              capacity == null ? null : LaborCapacity.valueOf(capacity), rs.getBoolean("wants_training"),
              code == null ? null : ErrorCode.valueOf(code), rs.getString("error_message")));
        }
      }
      return out;
    }
  }

  int countHouseholds(String importId) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT COUNT(DISTINCT household_id) FROM import_rows WHERE import_id = ?")) {
      ps.setString(1, importId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Stores errors numbered from {@code firstSeq}. */
  void addErrors(String importId, int firstSeq, List<RowError> errors) throws SQLException {
    if (errors.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO import_errors (import_id, seq, row_no, household_id, error_code, error_message)"
            + " VALUES (?, ?, ?, ?, ?, ?)")) {
      int seq = firstSeq;
      for (RowError e : errors) {
        ps.setString(1, importId);
        ps.setInt(2, seq++);
        ps.setInt(3, e.row());
        ps.setString(4, e.householdId());
        ps.setString(5, e.code().name());
        ps.setString(6, e.message().length() > 500 ? e.message().substring(0, 500) : e.message());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  void deleteRows(String importId) throws SQLException {
    update("DELETE FROM import_rows WHERE import_id = ?", importId);
  }

  /** Removes staged rows left behind by imports that no longer run (a crash mid-import). */
  int deleteRowsOfEndedImports() throws SQLException {
    return update("DELETE FROM import_rows WHERE import_id IN (SELECT import_id FROM import_jobs WHERE status <> ?)",
        ImportJob.Status.RUNNING.wireName());
  }

  private int update(String sql, Object... args) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] == null) {
          ps.setNull(i + 1, Types.VARCHAR);
        } else {
          ps.setObject(i + 1, args[i]);
        }
      }
      return ps.executeUpdate();
    }
  }

  private static ImportJob job(ResultSet rs) throws SQLException {
    long finished = rs.getLong("finished_at");
    boolean hasFinished = !rs.wasNull();
    String failure = rs.getString("failure_code");
    return new ImportJob(
        rs.getString("import_id"),
        ImportJob.Status.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)),
        ImportJob.Phase.valueOf(rs.getString("phase").toUpperCase(java.util.Locale.ROOT)),
        RegisterFormat.ofWireName(rs.getString("file_format")),
        rs.getString("file_sha256"),
        rs.getLong("file_bytes"),
        rs.getString("created_by"),
        ImportJob.scopeOf(rs.getString("scope")),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        hasFinished ? Instant.ofEpochMilli(finished) : null,
        new ImportJob.Counts(rs.getInt("row_count"), rs.getInt("households"), rs.getInt("accepted"),
            rs.getInt("duplicates"), rs.getInt("rejected"), rs.getInt("error_count")),
        failure == null ? null : ErrorCode.valueOf(failure),
        rs.getString("failure_message"));
  }
}
