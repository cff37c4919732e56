package cn.emon.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.sql.DataSource;

/**
 * A consistent copy of the running embedded H2 database, taken with H2's {@code BACKUP TO}: the
 * live file is locked by this process, so only a connection of this process can copy it. H2 copies
 * under MVCC, without blocking writers, so the zip holds one transactionally consistent state of
 * journal and read model together. It is written under a temporary name and renamed when complete,
 * so a file named {@code emon-*.zip} is always a whole backup.
 */
final class H2Backup {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** A finished backup. */
  record Written(Path file, long bytes) {}

  private final DataSource dataSource;
  private final Path directory;
  private final Clock clock;

  H2Backup(DataSource dataSource, Path directory, Clock clock) {
    this.dataSource = dataSource;
    this.directory = directory;
    this.clock = clock;
  }

  /** Writes {@code emon-<UTC time>.zip} into the directory; callers run one at a time. */
  Written write() throws IOException, SQLException {
    Files.createDirectories(directory);
    String stamp = STAMP.format(clock.instant());
    Path target = directory.resolve("emon-" + stamp + ".zip");
    for (int n = 2; Files.exists(target); n++) {
      target = directory.resolve("emon-" + stamp + "-" + n + ".zip");
    }
    Path part = directory.resolve(target.getFileName() + ".part");
    Files.deleteIfExists(part);
    try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement("BACKUP TO ?")) {
      st.setString(1, part.toAbsolutePath().toString());
      st.execute();
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(part);
    }
    return new Written(target.toAbsolutePath().normalize(), Files.size(target));
  }
}
