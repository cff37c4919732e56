package cn.emon.backup;

import com.typesafe.config.Config;
import java.nio.file.Path;

/** Where backups of the embedded database go ({@code emon.backup}). */
public record BackupSettings(Path directory) {

  public static BackupSettings from(Config backup) {
    return new BackupSettings(Path.of(backup.getString("directory")));
  }
}
