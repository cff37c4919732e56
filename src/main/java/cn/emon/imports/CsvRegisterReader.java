package cn.emon.imports;

import cn.emon.ErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a register saved as CSV (RFC 4180, comma-separated, UTF-8 with or without a byte-order
 * mark) with Commons CSV, one record at a time. Empty lines are records too, so record numbers
 * stay the row numbers a spreadsheet program shows.
 */
final class CsvRegisterReader implements RegisterReader {

  private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
      .setIgnoreEmptyLines(false)
      .setTrim(true)
      .get();
  private static final int BOM = '\uFEFF';

  @Override
  public void read(Path file, RowSink sink)
      throws RegisterFileException, IOException, SQLException, InterruptedException {
    // Strict UTF-8: a file saved in GBK fails loudly instead of importing garbled text.
    Reader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)));
    try (reader) {
      reader.mark(1);
      if (reader.read() != BOM) {
        reader.reset();
      }
      CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
      try {
        for (CSVRecord record : parser) {
          sink.row(Math.toIntExact(record.getRecordNumber()), record.toList());
        }
      } catch (UncheckedIOException e) {
        throw unreadable(e.getCause(), parser.getCurrentLineNumber());
      }
    } catch (CharacterCodingException | CSVException e) {
      throw unreadable(e, 1);
    }
  }

  /** The file-level failure for what the parser could not read; other I/O failures stay I/O failures. */
  private static RegisterFileException unreadable(IOException cause, long line) throws IOException {
    String near = " near line " + Math.max(1, line);
    if (cause instanceof CharacterCodingException) {
      return new RegisterFileException(ErrorCode.FILE_INVALID,
          "file: not UTF-8 text" + near + "; save the sheet as \"CSV UTF-8\"");
    }
    if (cause instanceof CSVException) {
      // The parser's message quotes the input: name the problem without it.
      return new RegisterFileException(ErrorCode.FILE_INVALID,
          "file: malformed CSV" + near + " (a quote not closed, or text after a closing quote)");
    }
    throw cause;
  }
}
