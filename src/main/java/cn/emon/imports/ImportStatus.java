package cn.emon.imports;

import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET /api/v1/imports/{importId}} (and of the {@code 202} that started it):
 * where the import stands, its outcome per household and its row errors.
 */
record ImportStatus(
    String importId,
    String status,
    String phase,
    String format,
    String sha256,
    long fileBytes,
    String createdBy,
    Instant createdAt,
    Instant finishedAt,
    int rows,
    int households,
    int accepted,
    int duplicates,
    int rejected,
    int errorCount,
    List<ErrorView> errors,
    FailureView failure) {

  /** One row error: the row as a spreadsheet numbers it, the household when the row names one. */
  record ErrorView(int row, String householdId, String code, String error) {}

  /** Why a failed import stopped. */
  record FailureView(String code, String error) {}

  static ImportStatus of(ImportJob job, List<RowError> errors) {
    ImportJob.Counts n = job.counts();
    return new ImportStatus(job.importId(), job.status().wireName(), job.phase().wireName(),
        job.format().wireName(), job.sha256(), job.fileBytes(), job.createdBy(), job.createdAt(),
        job.finishedAt(), n.rows(), n.households(), n.accepted(), n.duplicates(), n.rejected(), n.errors(),
        errors.stream().map(e -> new ErrorView(e.row(), e.householdId(), e.code().wireName(), e.message())).toList(),
        job.failureCode() == null ? null : new FailureView(job.failureCode().wireName(), job.failureMessage()));
  }
}
