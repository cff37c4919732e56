package cn.emon.imports;

import cn.emon.ErrorCode;
import cn.emon.alerting.LaborCapacity;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The register's layout (CONTRACT §9): which column of the file holds which field, read from the
 * header row, and the validation of one member row. Columns are found by their Chinese header in
 * any order; other columns (names, ID numbers …) are ignored and never read further. Messages name
 * the column and the rule, never the value.
 */
final class RegisterLayout {

  /** The register's columns. */
  enum Column {
    HOUSEHOLD("户编号", true),
    REGION("区划代码", true),
    DEEP_POVERTY("深度贫困地区", false),
    MEMBER("成员编号", true),
    CAPACITY("劳动技能", true),
    TRAINING("培训意愿", false);

    final String header;
    final boolean required;

    Column(String header, boolean required) {
      this.header = header;
      this.required = required;
    }

    /** A header cell names this column when it is the name, optionally followed by a note in brackets: 深度贫困地区（是/否）. */
    boolean matches(String cell) {
      String c = cell.strip();
      if (!c.startsWith(header)) {
        return false;
      }
      String rest = c.substring(header.length()).strip();
      return rest.isEmpty() || rest.startsWith("(") || rest.startsWith("（");
    }
  }

  /** 劳动技能 as the register writes it, to the API's enum; the enum names are accepted too. */
  static final Map<String, LaborCapacity> CAPACITIES = Map.ofEntries(
      Map.entry("技能劳动力", LaborCapacity.SKILLED),
      Map.entry("普通劳动力", LaborCapacity.ORDINARY),
      Map.entry("弱劳动力或半劳动力", LaborCapacity.WEAK),
      Map.entry("弱劳动力", LaborCapacity.WEAK),
      Map.entry("半劳动力", LaborCapacity.WEAK),
      Map.entry("丧失劳动力", LaborCapacity.LOST),
      Map.entry("无劳动力", LaborCapacity.NONE),
      Map.entry("SKILLED", LaborCapacity.SKILLED),
      Map.entry("ORDINARY", LaborCapacity.ORDINARY),
      Map.entry("WEAK", LaborCapacity.WEAK),
      Map.entry("LOST", LaborCapacity.LOST),
      Map.entry("NONE", LaborCapacity.NONE));

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern REGION = Pattern.compile("[0-9]{6}|[0-9]{9}|[0-9]{12}");

  /** One row of the file, validated. */
  sealed interface Parsed {}

  /** A row with no register value at all (Excel's trailing blank rows): skipped, not counted. */
  record Blank() implements Parsed {}

  /** A row that names no valid household: reported, and belongs to no household. */
  record Orphan(RowError error) implements Parsed {}

  /** A member row of a household, with its first problem if it has one. */
  record Member(StagedRow row) implements Parsed {}

  private final Map<Column, Integer> index;

  private RegisterLayout(Map<Column, Integer> index) {
    this.index = index;
  }

  /** The layout the header row gives; a missing or doubled required column fails the file. */
  static RegisterLayout fromHeader(List<String> header) throws RegisterFileException {
    Map<Column, Integer> index = new EnumMap<>(Column.class);
    for (int i = 0; i < header.size(); i++) {
      for (Column c : Column.values()) {
        if (c.matches(header.get(i)) && index.put(c, i) != null) {
          throw new RegisterFileException(ErrorCode.FILE_INVALID, "header: column " + c.header + " appears twice");
        }
      }
    }
    for (Column c : Column.values()) {
      if (c.required && !index.containsKey(c)) {
        throw new RegisterFileException(ErrorCode.COLUMN_MISSING, "header: column " + c.header
            + " missing; the first row must name the columns 户编号, 区划代码, 深度贫困地区, 成员编号, 劳动技能, 培训意愿");
      }
    }
    return new RegisterLayout(index);
  }

  Parsed parse(int row, List<String> cells) {
    if (index.keySet().stream().allMatch(c -> cell(cells, c).isEmpty())) {
      return new Blank();
    }
    String household = cell(cells, Column.HOUSEHOLD);
    if (household.isEmpty()) {
      return new Orphan(new RowError(row, null, ErrorCode.FIELD_MISSING, "户编号: required"));
    }
    if (!ID.matcher(household).matches()) {
      return new Orphan(new RowError(row, null, ErrorCode.FIELD_INVALID,
          "户编号: must be 1-64 characters of A-Z a-z 0-9 _ . -"));
    }
    String region = cell(cells, Column.REGION);
    String member = cell(cells, Column.MEMBER);
    Optional<Boolean> deep = yesNo(cell(cells, Column.DEEP_POVERTY));
    LaborCapacity capacity = CAPACITIES.get(cell(cells, Column.CAPACITY));
    Optional<Boolean> training = yesNo(cell(cells, Column.TRAINING));
    RowError error = null;
    if (region.isEmpty()) {
      error = new RowError(row, household, ErrorCode.FIELD_MISSING, "区划代码: required");
    } else if (!REGION.matcher(region).matches()) {
      error = new RowError(row, household, ErrorCode.FIELD_INVALID,
          "区划代码: must be a GB/T 2260 code of 6, 9 or 12 digits");
    } else if (deep.isEmpty()) {
      error = new RowError(row, household, ErrorCode.FIELD_INVALID, "深度贫困地区: must be 是 or 否 (blank = 否)");
    } else if (member.isEmpty()) {
      error = new RowError(row, household, ErrorCode.FIELD_MISSING, "成员编号: required");
    } else if (!ID.matcher(member).matches()) {
      error = new RowError(row, household, ErrorCode.FIELD_INVALID,
          "成员编号: must be 1-64 characters of A-Z a-z 0-9 _ . -");
    } else if (cell(cells, Column.CAPACITY).isEmpty()) {
      error = new RowError(row, household, ErrorCode.FIELD_MISSING, "劳动技能: required");
    } else if (capacity == null) {
      error = new RowError(row, household, ErrorCode.FIELD_INVALID,
          "劳动技能: must be one of 技能劳动力, 普通劳动力, 弱劳动力或半劳动力, 丧失劳动力, 无劳动力");
    } else if (training.isEmpty()) {
      error = new RowError(row, household, ErrorCode.FIELD_INVALID, "培训意愿: must be 是 or 否 (blank = 否)");
    }
    if (error != null) {
      return new Member(StagedRow.invalid(row, household, error));
    }
    return new Member(new StagedRow(row, household, region, deep.get(), member, capacity, training.get(), null, null));
  }

  private String cell(List<String> cells, Column c) {
    Integer i = index.get(c);
    return i == null || i >= cells.size() ? "" : cells.get(i).strip();
  }

  /** 是 / 否, blank = 否; empty when the cell says anything else. */
  private static Optional<Boolean> yesNo(String cell) {
    return switch (cell) {
      case "是" -> Optional.of(true);
      case "否", "" -> Optional.of(false);
      default -> Optional.empty();
    };
  }
}
