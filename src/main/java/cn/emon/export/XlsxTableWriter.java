package cn.emon.export;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * An xlsx workbook of one sheet through POI's streaming writer: {@value #WINDOW} rows in memory,
 * the rest in a gzip-compressed temporary file, strings inline (no shared-strings table that would
 * grow with the rows). Times are date cells in the export's zone; the header row is frozen and
 * carries an auto-filter.
 */
final class XlsxTableWriter implements TableWriter {

  static final int WINDOW = 100;

  private final OutputStream out;
  private final List<Column> columns;
  private final ZoneId zone;
  private final SXSSFWorkbook workbook;
  private final SXSSFSheet sheet;
  private final CellStyle timeStyle;
  private int rows;

  XlsxTableWriter(OutputStream out, String sheetName, List<Column> columns, ZoneId zone) {
    this.out = out;
    this.columns = columns;
    this.zone = zone;
    this.workbook = new SXSSFWorkbook(null, WINDOW, true, false);
    this.sheet = workbook.createSheet(sheetName);
    this.timeStyle = workbook.createCellStyle();
    timeStyle.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
    CellStyle headerStyle = workbook.createCellStyle();
    Font bold = workbook.createFont();
    bold.setBold(true);
    headerStyle.setFont(bold);
    Row header = sheet.createRow(rows++);
    for (int i = 0; i < columns.size(); i++) {
      Cell cell = header.createCell(i);
      cell.setCellValue(columns.get(i).header());
      cell.setCellStyle(headerStyle);
      sheet.setColumnWidth(i, columns.get(i).width() * 256);
    }
    sheet.createFreezePane(0, 1);
  }

  @Override
  public void row(Object[] values) {
    Row row = sheet.createRow(rows++);
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) {
        continue;
      }
      Cell cell = row.createCell(i);
      if (v instanceof Instant t) {
        cell.setCellValue(t.atZone(zone).toLocalDateTime());
        cell.setCellStyle(timeStyle);
      } else if (v instanceof Number n && columns.get(i).kind() == Column.Kind.NUMBER) {
        cell.setCellValue(n.doubleValue());
      } else {
        cell.setCellValue(v.toString());
      }
    }
  }

  @Override
  public void finish() throws IOException {
    sheet.setAutoFilter(new CellRangeAddress(0, Math.max(0, rows - 1), 0, columns.size() - 1));
    workbook.write(out);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    workbook.close();
  }
}
