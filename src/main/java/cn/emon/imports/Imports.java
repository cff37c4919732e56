package cn.emon.imports;

import cn.emon.ErrorCode;
import cn.emon.auth.Authenticator;
import cn.emon.auth.Principal;
import cn.emon.http.ApiException;
import cn.emon.http.JsonSupport;
import cn.emon.ingest.IngestRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Register imports (CONTRACT §9): takes an uploaded file onto disk while hashing it, records the
 * job, and runs it on one of {@code emon.imports.max-concurrent} workers. While a job runs, its
 * node refreshes the job's heartbeat; a job whose heartbeat stopped (the node died) is reported
 * {@code failed} with {@code import_interrupted}, and a graceful shutdown says so at once.
 */
public final class Imports {

  private static final Logger log = LoggerFactory.getLogger(Imports.class);
  private static final Pattern IMPORT_ID = Pattern.compile("imp_[0-9a-f]{24}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ImportStore store;
  private final ImportSettings settings;
  private final IngestRoutes ingest;
  private final Clock clock;
  private final Materializer materializer;
  private final java.util.concurrent.Executor jdbc;
  private final ExecutorService workers;
  private final ScheduledExecutorService heartbeat;
  /** Imports this node runs or has queued. */
  private final Set<String> running = ConcurrentHashMap.newKeySet();

  private Imports(ActorSystem<?> system, ImportStore store, ImportSettings settings, IngestRoutes ingest, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.ingest = ingest;
    this.clock = clock;
    this.materializer = Materializer.matFromSystem(system);
    this.jdbc = system.dispatchers().lookup(DispatcherSelector.fromConfig("emon.blocking-dispatcher"));
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(settings.maxConcurrent(), r -> daemon(r, "emon-import-" + n.incrementAndGet()));
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "emon-import-heartbeat"));
  }

  /** Starts the import workers and returns the {@code /imports} routes. */
  public static Route init(ActorSystem<?> system, DataSource dataSource, Clock clock, ImportSettings settings,
      Authenticator authenticator, IngestRoutes ingest) {
    Imports imports = new Imports(system, new ImportStore(dataSource), settings, ingest, clock);
    imports.start(system);
    return new ImportRoutes(authenticator, imports, settings).route();
  }

  private void start(ActorSystem<?> system) {
    try {
      int stale = store.interrupt(List.of(), System.currentTimeMillis() - settings.staleAfter().toMillis(), clock.instant());
      int leftovers = store.deleteRowsOfEndedImports();
      if (stale > 0 || leftovers > 0) {
        log.info("Imports: {} interrupted import(s) marked failed, {} staged row(s) removed", stale, leftovers);
      }
    } catch (SQLException e) {
      log.warn("Imports: interrupted imports not checked at start ({})", e.getClass().getSimpleName());
    }
    long every = settings.heartbeatInterval().toMillis();
    heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-imports", () -> {
      stop();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }

  private void beat() {
    try {
      store.heartbeat(List.copyOf(running), System.currentTimeMillis());
    } catch (SQLException e) {
      log.debug("Imports: heartbeat not stored ({})", e.getClass().getSimpleName());
    }
  }

  /** Interrupts the workers and records every import of this node as interrupted. */
  private void stop() {
    heartbeat.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
      List<String> ids = List.copyOf(running);
      if (!ids.isEmpty()) {
        store.interrupt(ids, 0, clock.instant());
        log.info("Imports: {} running import(s) interrupted by shutdown", ids.size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      log.warn("Imports: interrupted imports not recorded at shutdown ({}); reported once stale",
          e.getClass().getSimpleName());
    }
  }

  Materializer materializer() {
    return materializer;
  }

  /** Stores the upload, records the job and queues it; answers 202 with the job's status. */
  CompletionStage<HttpResponse> submit(HttpEntity entity, RegisterFormat format, Principal principal) {
    Path upload;
    try {
      Files.createDirectories(settings.tempDir());
      upload = Files.createTempFile(settings.tempDir(), "emon-import-", ".upload");
    } catch (IOException e) {
      log.warn("Imports: no temporary file for an upload ({})", e.getClass().getSimpleName());
      throw ApiException.unavailable("storage: the upload cannot be stored, retry", 5);
    }
    MessageDigest sha256 = sha256();
    return entity.withSizeLimit(settings.maxFileBytes()).getDataBytes()
        .map(bytes -> {
          sha256.update(bytes.asByteBuffer());
          return bytes;
        })
        .completionTimeout(settings.uploadTimeout())
        .runWith(FileIO.toPath(upload), materializer)
        .handleAsync((io, failure) -> {
          if (failure != null) {
            delete(upload);
            throw refusal(failure);
          }
          if (io.count() == 0) {
            delete(upload);
            throw ApiException.invalidBody("body: empty, expected a CSV or xlsx file");
          }
          ImportJob job = new ImportJob(newId(), ImportJob.Status.RUNNING, ImportJob.Phase.QUEUED, format,
              HexFormat.of().formatHex(sha256.digest()), io.count(), principal.name(), principal.scope(),
              clock.instant(), null, ImportJob.Counts.NONE, null, null);
          try {
            store.create(job, System.currentTimeMillis());
          } catch (SQLException e) {
            delete(upload);
            throw ApiException.unavailable("storage: the import could not be recorded, retry", 5);
          }
          running.add(job.importId());
          try {
            workers.execute(new ImportRun(job, upload, principal, store, ingest, settings, clock,
                () -> running.remove(job.importId())));
          } catch (RejectedExecutionException e) {
            running.remove(job.importId());
            delete(upload);
            throw ApiException.unavailable("imports: the server is stopping, retry", 5);
          }
          log.info("Import {} queued: {} bytes of {}", job.importId(), io.count(), format.wireName());
          return JsonSupport.json(202, ImportStatus.of(job, List.of()))
              .addHeader(HttpHeader.parse("Location", "/api/v1/imports/" + job.importId()));
        }, jdbc);
  }

  /** The status of one import, for a caller whose regions cover the poster's. */
  CompletionStage<HttpResponse> status(String importId, Principal principal) {
    return CompletableFuture.supplyAsync(() -> {
      if (!IMPORT_ID.matcher(importId).matches()) {
        throw ApiException.notFound("import: no such import");
      }
      try {
        if (!running.contains(importId)) {
          store.interruptIfStale(importId, System.currentTimeMillis() - settings.staleAfter().toMillis(),
              clock.instant());
        }
        ImportJob job = store.find(importId).orElseThrow(() -> ApiException.notFound("import: no such import"));
        if (!covers(principal, job.scope())) {
          throw ApiException.regionForbidden("import: outside the token's regions");
        }
        return JsonSupport.ok(ImportStatus.of(job, store.errors(importId, settings.maxErrors())));
      } catch (SQLException e) {
        throw ApiException.unavailable("storage: the import could not be read, retry", 5);
      }
    }, jdbc);
  }

  /** Admins see every import; others those posted with regions inside theirs. */
  static boolean covers(Principal caller, List<String> jobScope) {
    List<String> mine = caller.scope();
    if (mine.isEmpty()) {
      return true;
    }
    return !jobScope.isEmpty() && jobScope.stream().allMatch(p -> mine.stream().anyMatch(p::startsWith));
  }

  private static RuntimeException refusal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof EntityStreamSizeException) {
        return new ApiException(413, ErrorCode.BODY_TOO_LARGE, "Content Too Large",
            "body: larger than emon.imports.max-file-bytes");
      }
      if (t instanceof TimeoutException) {
        return new ApiException(408, ErrorCode.REQUEST_TIMEOUT, "Request Timeout", "body: not received in time");
      }
      if (t instanceof ApiException api) {
        return api;
      }
    }
    log.warn("Imports: upload failed with {}", failure.getClass().getSimpleName());
    return ApiException.unavailable("storage: the upload could not be stored, retry", 5);
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Imports: upload not deleted ({})", e.getClass().getSimpleName());
    }
  }

  private static String newId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return "imp_" + HexFormat.of().formatHex(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
