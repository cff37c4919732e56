package cn.emon.export;

import java.util.Locale;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.MediaTypes;

/** The file formats of the exports (CONTRACT §8). */
enum ExportFormat {
  XLSX("xlsx", ContentTypes.create(MediaTypes.APPLICATION_VND_OPENXMLFORMATS_OFFICEDOCUMENT_SPREADSHEETML_SHEET)),
  /** UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly. */
  CSV("csv", ContentTypes.create(MediaTypes.TEXT_CSV, HttpCharsets.UTF_8));

  final String extension;
  final ContentType contentType;

  ExportFormat(String extension, ContentType contentType) {
    this.extension = extension;
    this.contentType = contentType;
  }

  /** The format of the {@code format} parameter (default xlsx), or null when it names none. */
  static ExportFormat of(String param) {
    if (param == null) {
      return XLSX;
    }
    for (ExportFormat f : values()) {
      if (f.extension.equals(param.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    return null;
  }
}
