package cn.emon.export;

/**
 * One column of an export: its Chinese header and what its cells hold. {@code FREE_TEXT} is text a
 * caller typed (who acknowledged), which a CSV must keep from being read as a spreadsheet formula.
 */
record Column(String header, Kind kind, int width) {

  /** The cell values of a column: String, Long, Instant (shown in the export's zone) or null. */
  enum Kind { TEXT, FREE_TEXT, NUMBER, TIME }

  static Column text(String header, int width) {
    return new Column(header, Kind.TEXT, width);
  }

  static Column freeText(String header, int width) {
    return new Column(header, Kind.FREE_TEXT, width);
  }

  static Column number(String header) {
    return new Column(header, Kind.NUMBER, 12);
  }

  static Column time(String header) {
    return new Column(header, Kind.TIME, 20);
  }
}
