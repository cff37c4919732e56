package cn.emon.imports;

import cn.emon.ErrorCode;
import cn.emon.auth.Principal;
import cn.emon.http.ApiException;
import cn.emon.ingest.Decoded;
import cn.emon.ingest.IngestResponse;
import cn.emon.ingest.IngestRoutes;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one import on an import worker: reads the file row by row into {@code import_rows}, then
 * reads the staged rows back household by household (so a household's rows may stand anywhere in
 * the file) and sends one {@code household.registered} per household through the decoder and the
 * ingest path of {@code POST /api/v1/events}, in batches. Idempotent by construction: the events'
 * {@code (source, id)} is {@code (/imports/<sha-256 of the file>, householdId)}.
 */
final class ImportRun implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ImportRun.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Rows staged per transaction. */
  private static final int STAGE_BATCH = 1000;
  /** Staged rows read back per query: more than the largest valid household (100 members). */
  private static final int PAGE = 2000;
  /** Rows before the header row that may be skipped (a title row, an export date …). */
  private static final int MAX_ROWS_BEFORE_HEADER = 10;
  private static final long MAX_RETRY_WAIT_MS = 30_000;
  static final String NOT_IMPORTED = "; the household is not imported";

  private final ImportJob job;
  private final Path file;
  private final Principal principal;
  private final ImportStore store;
  private final IngestRoutes ingest;
  private final ImportSettings settings;
  private final Clock clock;
  private final Runnable onEnd;

  private int rows;
  private int households;
  private int accepted;
  private int duplicates;
  private int rejected;
  private int errorCount;
  private int storedErrors;

  ImportRun(ImportJob job, Path file, Principal principal, ImportStore store, IngestRoutes ingest,
      ImportSettings settings, Clock clock, Runnable onEnd) {
    this.job = job;
    this.file = file;
    this.principal = principal;
    this.store = store;
    this.ingest = ingest;
    this.settings = settings;
    this.clock = clock;
    this.onEnd = onEnd;
  }

  @Override
  public void run() {
    try {
      execute();
      store.finish(job.importId(), ImportJob.Status.DONE, counts(), null, null, clock.instant());
    } catch (InterruptedException e) {
      fail(ErrorCode.IMPORT_INTERRUPTED, ImportStore.INTERRUPTED);
    } catch (RegisterFileException e) {
      fail(e.code(), e.getMessage());
    } catch (StorageRefused e) {
      fail(ErrorCode.STORAGE_UNAVAILABLE, e.getMessage());
    } catch (SQLException | IOException e) {
      log.warn("Import {} failed with {}", job.importId(), e.getClass().getSimpleName());
      fail(ErrorCode.STORAGE_UNAVAILABLE, "storage: the import could not be recorded; post the file again");
    } catch (RuntimeException e) {
      // The message may carry values of the file: log the type only.
      log.error("Import {} failed with {}", job.importId(), e.getClass().getName());
      fail(ErrorCode.INTERNAL_ERROR, "the import failed; see the server log");
    } finally {
      deleteFile();
      try {
        store.deleteRows(job.importId());
      } catch (SQLException e) {
        log.warn("Staged rows of import {} not deleted ({}); removed at the next start",
            job.importId(), e.getClass().getSimpleName());
      }
      onEnd.run();
    }
  }

  private void fail(ErrorCode code, String message) {
    try {
      store.finish(job.importId(), ImportJob.Status.FAILED, counts(), code, message, clock.instant());
    } catch (SQLException e) {
      // The heartbeat stops with this run: the job is reported interrupted once it is stale.
      log.warn("Import {} could not be marked failed ({})", job.importId(), e.getClass().getSimpleName());
    }
  }

  private ImportJob.Counts counts() {
    return new ImportJob.Counts(rows, households, accepted, duplicates, rejected, errorCount);
  }

  private void execute() throws RegisterFileException, IOException, SQLException, InterruptedException {
    store.phase(job.importId(), ImportJob.Phase.READING);
    stageFile();
    deleteFile();
    households = store.countHouseholds(job.importId());
    store.phase(job.importId(), ImportJob.Phase.IMPORTING);
    store.progress(job.importId(), counts());
    importHouseholds();
  }

  // ------------------------------------------------------------------------------ reading

  private void stageFile() throws RegisterFileException, IOException, SQLException, InterruptedException {
    List<StagedRow> staged = new ArrayList<>(STAGE_BATCH);
    List<RowError> orphans = new ArrayList<>();
    RegisterLayout[] layout = new RegisterLayout[1];
    int[] seen = new int[1];
    job.format().reader().read(file, (number, cells) -> {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (layout[0] == null) {
        if (cells.stream().anyMatch(RegisterLayout.Column.HOUSEHOLD::matches)) {
          layout[0] = RegisterLayout.fromHeader(cells);
        } else if (++seen[0] >= MAX_ROWS_BEFORE_HEADER) {
          throw noHeader();
        }
        return;
      }
      RegisterLayout.Parsed parsed = layout[0].parse(number, cells);
      if (parsed instanceof RegisterLayout.Orphan o) {
        rows++;
        orphans.add(o.error());
      } else if (parsed instanceof RegisterLayout.Member m) {
        rows++;
        staged.add(m.row());
      }
      if (staged.size() >= STAGE_BATCH) {
        store.stage(job.importId(), staged);
        staged.clear();
        record(orphans);
        orphans.clear();
        store.progress(job.importId(), counts());
      }
    });
    if (layout[0] == null) {
      throw noHeader();
    }
    store.stage(job.importId(), staged);
    record(orphans);
  }

  private static RegisterFileException noHeader() {
    return new RegisterFileException(ErrorCode.COLUMN_MISSING, "header: no row among the first "
        + MAX_ROWS_BEFORE_HEADER + " names the column 户编号; the header row names 户编号, 区划代码, 深度贫困地区, 成员编号, 劳动技能, 培训意愿");
  }

  // ------------------------------------------------------------------------------ importing

  /** One household ready to be sent: its event and the row errors are reported against. */
  private record Pending(Decoded event, String householdId, int firstRow) {}

  private void importHouseholds() throws SQLException, InterruptedException {
    List<Pending> batch = new ArrayList<>(settings.batchSize());
    String after = "";
    while (true) {
      List<StagedRow> page = store.page(job.importId(), after, PAGE);
      if (page.isEmpty()) {
        break;
      }
      List<List<StagedRow>> groups = byHousehold(page);
      if (page.size() == PAGE) {
        if (groups.size() == 1) {
          // One household fills a whole page: far more members than an event may list.
          List<StagedRow> huge = groups.get(0);
          reject(List.of(new RowError(huge.get(0).row(), huge.get(0).householdId(), ErrorCode.FIELD_INVALID,
              "成员编号: more than 100 members in one household" + NOT_IMPORTED)));
          after = huge.get(0).householdId();
          continue;
        }
        // The page's last household may go on in the next page: read it again from its start.
        groups.remove(groups.size() - 1);
      }
      for (List<StagedRow> household : groups) {
        Pending p = prepare(household);
        if (p != null) {
          batch.add(p);
          if (batch.size() >= settings.batchSize()) {
            send(batch);
            batch.clear();
          }
        }
      }
      after = groups.get(groups.size() - 1).get(0).householdId();
    }
    send(batch);
  }

  private static List<List<StagedRow>> byHousehold(List<StagedRow> page) {
    List<List<StagedRow>> groups = new ArrayList<>();
    for (StagedRow r : page) {
      List<StagedRow> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
      if (last == null || !last.get(0).householdId().equals(r.householdId())) {
        last = new ArrayList<>();
        groups.add(last);
      }
      last.add(r);
    }
    return groups;
  }

  /** The household's event, or null when its rows are invalid or disagree (then reported). */
  private Pending prepare(List<StagedRow> household) throws SQLException {
    List<RowError> errors = new ArrayList<>();
    StagedRow first = null;
    Map<String, Integer> members = new HashMap<>();
    for (StagedRow r : household) {
      if (!r.valid()) {
        errors.add(r.error());
        continue;
      }
      if (first == null) {
        first = r;
      } else if (!first.regionCode().equals(r.regionCode())) {
        errors.add(new RowError(r.row(), r.householdId(), ErrorCode.FIELD_INVALID,
            "区划代码: differs from row " + first.row() + " of the same household"));
        continue;
      } else if (first.deepPoverty() != r.deepPoverty()) {
        errors.add(new RowError(r.row(), r.householdId(), ErrorCode.FIELD_INVALID,
            "深度贫困地区: differs from row " + first.row() + " of the same household"));
        continue;
      }
      Integer earlier = members.putIfAbsent(r.memberId(), r.row());
      if (earlier != null) {
        errors.add(new RowError(r.row(), r.householdId(), ErrorCode.FIELD_INVALID,
            "成员编号: listed twice for this household (also row " + earlier + ")"));
      }
    }
    if (!errors.isEmpty()) {
      reject(errors.stream().map(e -> new RowError(e.row(), e.householdId(), e.code(), e.message() + NOT_IMPORTED)).toList());
      return null;
    }
    Decoded decoded = ingest.decode(event(household));
    if (!decoded.isValid()) {
      reject(List.of(new RowError(first.row(), first.householdId(), decoded.code(), decoded.error() + NOT_IMPORTED)));
      return null;
    }
    return new Pending(decoded, first.householdId(), first.row());
  }

  /** The household's rows as the {@code household.registered} event an integrator would post. */
  private ObjectNode event(List<StagedRow> household) {
    StagedRow first = household.get(0);
    ObjectNode e = JSON.objectNode();
    e.put("specversion", "1.0");
    e.put("id", first.householdId());
    e.put("source", "/imports/" + job.sha256());
    e.put("type", "household.registered");
    e.put("subject", first.householdId());
    e.put("time", job.createdAt().toString());
    ObjectNode data = e.putObject("data");
    data.put("regionCode", first.regionCode());
    data.put("deepPovertyArea", first.deepPoverty());
    ArrayNode members = data.putArray("members");
    for (StagedRow r : household) {
      members.addObject()
          .put("memberId", r.memberId())
          .put("laborCapacity", r.capacity().name())
          .put("wantsTraining", r.wantsTraining());
    }
    return e;
  }

  private void reject(List<RowError> errors) throws SQLException {
    rejected++;
    record(errors);
  }

  private void record(List<RowError> errors) throws SQLException {
    errorCount += errors.size();
    int room = Math.max(0, settings.maxErrors() - storedErrors);
    List<RowError> kept = errors.size() <= room ? errors : errors.subList(0, room);
    store.addErrors(job.importId(), storedErrors, kept);
    storedErrors += kept.size();
  }

  private void send(List<Pending> batch) throws SQLException, InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    IngestResponse response = ingestWithRetry(batch.stream().map(Pending::event).toList());
    List<RowError> errors = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      IngestResponse.Result r = response.results().get(i);
      switch (r.status()) {
        case "accepted" -> accepted++;
        case "duplicate" -> duplicates++;
        default -> {
          rejected++;
          errors.add(new RowError(batch.get(i).firstRow(), batch.get(i).householdId(),
              ErrorCode.valueOf(r.code().toUpperCase(Locale.ROOT)), r.error()));
        }
      }
    }
    record(errors);
    store.progress(job.importId(), counts());
  }

  /** Thrown when storage kept refusing a batch for {@code emon.imports.retry-for}. */
  private static final class StorageRefused extends RuntimeException {
    StorageRefused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Sends a batch until storage takes it: a 503 (storage unavailable, or too many requests in
   * progress) is retried with growing pauses for {@code emon.imports.retry-for}. A retry is safe:
   * events the failed attempt stored then answer duplicate.
   */
  private IngestResponse ingestWithRetry(List<Decoded> events) throws InterruptedException {
    long deadline = System.nanoTime() + settings.retryFor().toNanos();
    long pause = 500;
    while (true) {
      RuntimeException failure;
      try {
        return ingest.ingest(events, principal).toCompletableFuture().get();
      } catch (ExecutionException e) {
        failure = e.getCause() instanceof RuntimeException re ? re : new CompletionException(e.getCause());
      } catch (ApiException e) {
        failure = e;
      }
      if (!(failure instanceof ApiException api && api.status() == 503)) {
        throw failure;
      }
      if (System.nanoTime() + pause * 1_000_000 > deadline) {
        throw new StorageRefused("storage: events could not be stored for " + settings.retryFor().toSeconds()
            + " s; post the file again (households already imported answer duplicate)");
      }
      Thread.sleep(pause);
      pause = Math.min(pause * 2, MAX_RETRY_WAIT_MS);
    }
  }

  private void deleteFile() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Upload of import {} not deleted ({})", job.importId(), e.getClass().getSimpleName());
    }
  }
}
