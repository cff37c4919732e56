package cn.emon.backup;

import cn.emon.ErrorCode;
import cn.emon.auth.Authenticator;
import cn.emon.auth.Principal;
import cn.emon.http.ApiDirectives;
import cn.emon.http.ApiException;
import cn.emon.http.JsonSupport;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/backups} (admin): a backup of the embedded H2 database into
 * {@code emon.backup.directory} while the server runs. The caller chooses nothing on the server's
 * disk: the directory is configured and the file name is the time. One backup runs at a time. On
 * PostgreSQL the answer is 409: {@code pg_dump} backs that database up, with no help from here.
 */
public final class BackupRoutes extends ApiDirectives {

  private static final Logger log = LoggerFactory.getLogger(BackupRoutes.class);

  /** Longer than pekko-http's request-timeout: copying a large database takes minutes. */
  private static final Duration TIMEOUT = Duration.ofHours(1);

  /** The answer to a backup: where it is and how large. */
  record BackupView(String file, String path, long bytes, Instant finishedAt) {}

  private final H2Backup backup;
  private final boolean embedded;
  private final Clock clock;
  private final Executor jdbc;
  private final AtomicBoolean running = new AtomicBoolean();

  /**
   * @param embedded whether the database is the embedded H2 one (the only one this endpoint backs up)
   */
  public BackupRoutes(ActorSystem<?> system, Authenticator authenticator, DataSource dataSource,
      boolean embedded, BackupSettings settings, Clock clock) {
    super(authenticator);
    this.backup = new H2Backup(dataSource, settings.directory(), clock);
    this.embedded = embedded;
    this.clock = clock;
    this.jdbc = system.dispatchers().lookup(DispatcherSelector.fromConfig("emon.blocking-dispatcher"));
  }

  public Route route() {
    return path("backups", () -> post(() -> authorized(Principal::isAdmin, "take backups", p ->
        withRequestTimeout(TIMEOUT, () -> completeWithFuture(start(p))))));
  }

  private CompletableFuture<HttpResponse> start(Principal p) {
    if (!embedded) {
      return CompletableFuture.failedFuture(new ApiException(409, ErrorCode.BACKUP_UNSUPPORTED, "Conflict",
          "backup: the database is PostgreSQL; back it up with pg_dump (README: Backups)"));
    }
    if (!running.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(new ApiException(409, ErrorCode.BACKUP_IN_PROGRESS, "Conflict",
          "backup: another backup is running; retry when it has finished"));
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        H2Backup.Written written = backup.write();
        log.info("Backup by {} written: {} ({} bytes)", p.name(), written.file().getFileName(), written.bytes());
        return JsonSupport.json(201, new BackupView(written.file().getFileName().toString(),
            written.file().toString(), written.bytes(), clock.instant()));
      } catch (IOException e) {
        // File errors name a path and a reason (no space left, permission denied), never stored values.
        log.error("Backup failed: {}", e.toString());
        throw failed(e);
      } catch (SQLException e) {
        log.error("Backup failed: {} (SQL state {}, H2 error {})", e.getClass().getName(), e.getSQLState(),
            e.getErrorCode());
        throw failed(e);
      } finally {
        running.set(false);
      }
    }, jdbc);
  }

  private static CompletionException failed(Exception e) {
    return new CompletionException(new ApiException(500, ErrorCode.INTERNAL_ERROR, "Internal Server Error",
        "backup: writing the backup failed (" + e.getClass().getSimpleName() + "); see the server log"));
  }
}
