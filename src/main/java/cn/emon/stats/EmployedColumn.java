package cn.emon.stats;

import cn.emon.alerting.Channel;
import cn.emon.alerting.WorkScope;
import cn.emon.household.HouseholdSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The text form of a summary's employed members in {@code household_summary.employed}: one
 * {@code CHANNEL/SCOPE/START_YEAR} entry per employed member, comma-separated (member ids are not
 * kept: the counters need only these three). Text at this edge only; the code works with records.
 */
final class EmployedColumn {

  private EmployedColumn() {}

  static String format(List<HouseholdSummary.Employment> employed) {
    StringBuilder b = new StringBuilder();
    for (HouseholdSummary.Employment e : employed) {
      b.append(b.length() == 0 ? "" : ",").append(e.channel().name()).append('/').append(e.scope().name())
          .append('/').append(e.startYear());
    }
    return b.toString();
  }

  static List<HouseholdSummary.Employment> parse(String column) {
    List<HouseholdSummary.Employment> out = new ArrayList<>();
    if (column == null || column.isEmpty()) {
      return out;
    }
    for (String entry : column.split(",")) {
      String[] parts = entry.split("/");
      out.add(new HouseholdSummary.Employment(null, Channel.valueOf(parts[0]), WorkScope.valueOf(parts[1]),
          Integer.parseInt(parts[2])));
    }
    return out;
  }
}
