package cn.emon.imports;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads a register file row by row, streamed: nothing but the current row (and, for xlsx, the
 * workbook's shared-strings table) is held in memory.
 */
sealed interface RegisterReader permits CsvRegisterReader, XlsxRegisterReader {

  /** Receives the rows in file order. */
  @FunctionalInterface
  interface RowSink {
    /**
     * One row: its number as a spreadsheet program shows it (the first row of the file is 1) and
     * its cells as text in column order, blank cells as "".
     */
    void row(int number, List<String> cells) throws RegisterFileException, SQLException, InterruptedException;
  }

  void read(Path file, RowSink sink)
      throws RegisterFileException, IOException, SQLException, InterruptedException;
}
