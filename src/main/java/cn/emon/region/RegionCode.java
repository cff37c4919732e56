package cn.emon.region;

import java.util.List;

/**
 * A GB/T 2260 administrative division code as the register writes it (行政区划代码): 2 digits name
 * the province, 4 the prefecture, 6 the county, 9 the township, 12 the village. A region code of a
 * household is 6, 9 or 12 digits, county first; a scope is a list of prefixes of any length.
 * Knowledge of the digit layout lives here and nowhere else.
 */
public record RegionCode(String code) {

  public static final int PROVINCE = 2;
  public static final int PREFECTURE = 4;
  public static final int COUNTY = 6;
  public static final int TOWNSHIP = 9;

  public RegionCode {
    if (code == null || code.isEmpty()) {
      throw new IllegalArgumentException("region code: empty");
    }
  }

  public static RegionCode of(String code) {
    return new RegionCode(code);
  }

  /** The county (6 digits), or the whole code when it is shorter. */
  public String county() {
    return prefix(COUNTY);
  }

  public String prefecture() {
    return prefix(PREFECTURE);
  }

  public String province() {
    return prefix(PROVINCE);
  }

  /** The first {@code digits} digits, or the whole code when it is shorter. */
  public String prefix(int digits) {
    return code.length() >= digits ? code.substring(0, digits) : code;
  }

  /** Whether this region lies inside the region {@code prefix} names. */
  public boolean within(String prefix) {
    return code.startsWith(prefix);
  }

  /** Whether this region lies inside a scope of prefixes; an empty scope is every region. */
  public boolean within(List<String> scope) {
    return inScope(code, scope);
  }

  /** {@link #within(List)} for a code held as text. */
  public static boolean inScope(String code, List<String> scope) {
    if (scope.isEmpty()) {
      return true;
    }
    for (String prefix : scope) {
      if (code.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Whether two codes share their first {@code digits} digits (both must have that many). */
  public boolean sharesPrefix(RegionCode other, int digits) {
    return code.length() >= digits && other.code.length() >= digits
        && code.regionMatches(0, other.code, 0, digits);
  }

  @Override
  public String toString() {
    return code;
  }
}
