package cn.emon.imports;

import cn.emon.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JRuntimeException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Reads the first worksheet of an xlsx register with Apache POI's streaming reader
 * ({@link XSSFReader} and {@link XSSFSheetXMLHandler} over SAX): the sheet's XML is parsed as it is
 * unzipped, row by row. Only the workbook's shared-strings table is held in memory, as POI's
 * event API requires (about the size of the file's distinct texts).
 */
final class XlsxRegisterReader implements RegisterReader {

  @Override
  public void read(Path file, RowSink sink)
      throws RegisterFileException, IOException, SQLException, InterruptedException {
    OPCPackage pkg;
    try {
      pkg = OPCPackage.open(file.toFile(), PackageAccess.READ);
    } catch (OpenXML4JException | OpenXML4JRuntimeException | IllegalArgumentException e) {
      // NotOfficeXmlFileException (a zip that is no workbook, or no zip at all) is an IllegalArgumentException.
      throw notAWorkbook();
    }
    try {
      XSSFReader reader = new XSSFReader(pkg);
      ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
      Iterator<InputStream> sheets = reader.getSheetsData();
      if (!sheets.hasNext()) {
        throw new RegisterFileException(ErrorCode.FILE_INVALID, "file: the workbook has no worksheet");
      }
      RowCollector rows = new RowCollector(sink);
      try (InputStream sheet = sheets.next()) {
        XMLReader parser = XMLHelper.newXMLReader();
        parser.setContentHandler(new XSSFSheetXMLHandler(reader.getStylesTable(), null, strings, rows,
            new PlainNumbers(), false));
        parser.parse(new InputSource(sheet));
      } catch (SinkFailure f) {
        f.rethrow();
      }
    } catch (OpenXML4JException | OpenXML4JRuntimeException | SAXException
        | javax.xml.parsers.ParserConfigurationException e) {
      throw notAWorkbook();
    } catch (IOException e) {
      // POI's zip-bomb and entry-size guards fail as IOExceptions: the file is refused, not the server.
      throw new RegisterFileException(ErrorCode.FILE_INVALID,
          "file: the workbook cannot be read (" + e.getClass().getSimpleName() + ")");
    } finally {
      pkg.revert();
    }
  }

  private static RegisterFileException notAWorkbook() {
    return new RegisterFileException(ErrorCode.FILE_INVALID, "file: not an xlsx workbook");
  }

  /** Carries a sink's checked exception through the SAX parser, which only passes SAXException. */
  private static final class SinkFailure extends RuntimeException {
    SinkFailure(Exception cause) {
      super(cause);
    }

    void rethrow() throws RegisterFileException, SQLException, InterruptedException {
      if (getCause() instanceof RegisterFileException e) {
        throw e;
      }
      if (getCause() instanceof SQLException e) {
        throw e;
      }
      throw (InterruptedException) getCause();
    }
  }

  /** Turns the handler's cells into whole rows, blank cells as "". */
  private static final class RowCollector implements XSSFSheetXMLHandler.SheetContentsHandler {
    private final RowSink sink;
    private final List<String> cells = new ArrayList<>();

    RowCollector(RowSink sink) {
      this.sink = sink;
    }

    @Override
    public void startRow(int rowNum) {
      cells.clear();
    }

    @Override
    public void cell(String reference, String formattedValue, XSSFComment comment) {
      // Cells without a reference follow the previous one; blank cells in between are absent.
      int column = reference == null ? cells.size() : new CellReference(reference).getCol();
      while (cells.size() < column) {
        cells.add("");
      }
      cells.add(formattedValue == null ? "" : formattedValue.trim());
    }

    @Override
    public void endRow(int rowNum) {
      try {
        sink.row(rowNum + 1, List.copyOf(cells));
      } catch (RegisterFileException | SQLException | InterruptedException e) {
        throw new SinkFailure(e);
      }
    }
  }

  /**
   * Shows whole numbers in General format as all their digits: Excel keeps region codes and ids
   * typed as numbers, and General would show 522701000042 as 5.22701E+11.
   */
  private static final class PlainNumbers extends DataFormatter {
    @Override
    public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904Windowing) {
      boolean general = formatIndex == 0 || "General".equalsIgnoreCase(formatString);
      if (general && value == Math.rint(value) && Math.abs(value) < 1e15) {
        return new BigDecimal(value).toPlainString();
      }
      return super.formatRawCellContents(value, formatIndex, formatString, use1904Windowing);
    }
  }
}
