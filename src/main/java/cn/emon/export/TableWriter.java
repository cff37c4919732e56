package cn.emon.export;

import java.io.IOException;
import java.io.OutputStream;
import java.time.ZoneId;
import java.util.List;

/**
 * Writes one table, a header row then one row at a time, as a file of one export format. Rows
 * are never collected: a CSV goes straight to the output, a workbook keeps a small window of rows
 * in memory and the rest in a compressed temporary file until {@link #finish()}.
 */
sealed interface TableWriter extends AutoCloseable permits CsvTableWriter, XlsxTableWriter {

  /** Writes the cells of one row, one value per column. */
  void row(Object[] values) throws IOException;

  /** Completes the file on the output; nothing is written after it. */
  void finish() throws IOException;

  /** Releases what the writer holds (temporary files); does not close the output. */
  @Override
  void close() throws IOException;

  static TableWriter open(ExportFormat format, OutputStream out, String sheetName, List<Column> columns,
      ZoneId zone) throws IOException {
    return switch (format) {
      case CSV -> new CsvTableWriter(out, columns, zone);
      case XLSX -> new XlsxTableWriter(out, sheetName, columns, zone);
    };
  }
}
