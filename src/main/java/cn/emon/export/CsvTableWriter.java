package cn.emon.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * RFC 4180 CSV in UTF-8 with a byte-order mark (Excel needs it to read Chinese text as UTF-8),
 * CRLF line ends, times as {@code yyyy-MM-dd HH:mm:ss} in the export's zone.
 */
final class CsvTableWriter implements TableWriter {

  static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final Writer out;
  private final List<Column> columns;
  private final ZoneId zone;

  CsvTableWriter(OutputStream stream, List<Column> columns, ZoneId zone) throws IOException {
    stream.write(BOM);
    this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
    this.columns = columns;
    this.zone = zone;
    Object[] header = columns.stream().map(Column::header).toArray();
    line(header, true);
  }

  @Override
  public void row(Object[] values) throws IOException {
    line(values, false);
  }

  private void line(Object[] values, boolean header) throws IOException {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.write(',');
      }
      Column.Kind kind = header ? Column.Kind.TEXT : columns.get(i).kind();
      out.write(field(values[i], kind));
    }
    out.write("\r\n");
  }

  private String field(Object value, Column.Kind kind) {
    if (value == null) {
      return "";
    }
    String text = value instanceof Instant t ? TIME.format(t.atZone(zone)) : value.toString();
    if (kind == Column.Kind.FREE_TEXT && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      // A typed value starting like a formula is shown as text by spreadsheets (OWASP CSV injection).
      text = "'" + text;
    }
    boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
        || text.indexOf('\r') >= 0;
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }

  @Override
  public void finish() throws IOException {
    out.flush();
  }

  @Override
  public void close() {
    // Nothing held: the output belongs to the caller.
  }
}
