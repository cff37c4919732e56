package cn.emon.imports;

import java.util.Locale;
import java.util.Optional;

/** The file formats a register import takes, by the Content-Type they are posted with. */
enum RegisterFormat {
  /** {@code text/csv}, UTF-8, a byte-order mark allowed. */
  CSV("text/csv"),
  /** An Office Open XML workbook; the first worksheet is read. */
  XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

  final String mediaType;

  RegisterFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<RegisterFormat> ofMediaType(String mainAndSubType) {
    for (RegisterFormat f : values()) {
      if (f.mediaType.equalsIgnoreCase(mainAndSubType)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  static RegisterFormat ofWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  RegisterReader reader() {
    return this == CSV ? new CsvRegisterReader() : new XlsxRegisterReader();
  }
}
