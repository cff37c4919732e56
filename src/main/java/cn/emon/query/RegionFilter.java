package cn.emon.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Which region-code prefixes a read may see: the caller's requested region intersected with its
 * token's scope, as SQL range predicates. Region codes are fixed-width digit strings (a county's
 * six digits lead every code), so "starts with p" is the range {@code [p, next(p))}; unlike
 * {@code LIKE ?}, a range can use a btree under PostgreSQL's generic plans and any collation.
 * The county code is a column of its own, so a prefix of six digits or more is an equality on it,
 * which an index on (status, county_code, raised_at) serves in page order.
 */
public record RegionFilter(Kind kind, List<String> prefixes) {

  /** Everything, nothing, or the rows under one of {@link #prefixes}. */
  public enum Kind { ALL, NONE, PREFIXES }

  private static final int COUNTY_DIGITS = 6;

  /**
   * The intersection of {@code region} (null: any) with {@code scope} (empty: all regions): a
   * region inside the scope narrows it, a region wider than some scope prefixes keeps those, a
   * region outside it leaves nothing.
   */
  public static RegionFilter of(String region, List<String> scope) {
    List<String> narrowest = minimal(scope);
    if (region == null || region.isEmpty()) {
      return narrowest.isEmpty() ? new RegionFilter(Kind.ALL, List.of()) : new RegionFilter(Kind.PREFIXES, narrowest);
    }
    if (narrowest.isEmpty() || narrowest.stream().anyMatch(region::startsWith)) {
      return new RegionFilter(Kind.PREFIXES, List.of(region));
    }
    List<String> inside = narrowest.stream().filter(s -> s.startsWith(region)).toList();
    return inside.isEmpty() ? new RegionFilter(Kind.NONE, List.of()) : new RegionFilter(Kind.PREFIXES, inside);
  }

  /** Whether no row can match: the caller asked for a region wholly outside its scope. */
  public boolean isEmpty() {
    return kind == Kind.NONE;
  }

  /**
   * Appends {@code AND (…)} restricting {@code regionColumn} (and its leading six digits,
   * {@code countyColumn}) to the prefixes; nothing for {@link Kind#ALL}. Call only when not
   * {@link #isEmpty()}.
   */
  public void appendTo(StringBuilder sql, List<Object> args, String regionColumn, String countyColumn) {
    if (kind == Kind.NONE) {
      throw new IllegalStateException("an empty region filter has no predicate");
    }
    if (kind == Kind.ALL) {
      return;
    }
    sql.append(" AND (");
    for (int i = 0; i < prefixes.size(); i++) {
      String p = prefixes.get(i);
      List<String> conditions = new ArrayList<>();
      if (p.length() >= COUNTY_DIGITS) {
        conditions.add(countyColumn + " = ?");
        args.add(p.substring(0, COUNTY_DIGITS));
        if (p.length() > COUNTY_DIGITS) {
          range(conditions, args, regionColumn, p);
        }
      } else {
        range(conditions, args, countyColumn, p);
      }
      sql.append(i == 0 ? "(" : " OR (").append(String.join(" AND ", conditions)).append(")");
    }
    sql.append(")");
  }

  private static void range(List<String> conditions, List<Object> args, String column, String prefix) {
    conditions.add(column + " >= ?");
    args.add(prefix);
    String upper = next(prefix);
    if (upper != null) {
      conditions.add(column + " < ?");
      args.add(upper);
    }
  }

  /**
   * The smallest digit string above every string that starts with {@code prefix}: "5227" → "5228",
   * "5299" → "53"; null when there is none ("99").
   */
  static String next(String prefix) {
    int end = prefix.length();
    while (end > 0 && prefix.charAt(end - 1) == '9') {
      end--;
    }
    if (end == 0) {
      return null;
    }
    return prefix.substring(0, end - 1) + (char) (prefix.charAt(end - 1) + 1);
  }

  /** The prefixes without those another one already covers ("52" covers "5227"). */
  private static List<String> minimal(List<String> scope) {
    List<String> out = new ArrayList<>();
    for (String s : scope) {
      boolean covered = scope.stream().anyMatch(o -> !o.equals(s) && s.startsWith(o));
      if (!covered && !out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
