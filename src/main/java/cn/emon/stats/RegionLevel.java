package cn.emon.stats;

import java.util.Locale;

/**
 * The levels region statistics roll up to: GB/T 2260 code prefixes of a county code (2 digits
 * province, 4 prefecture, 6 county), and the whole country as {@code CN}.
 */
enum RegionLevel {
  NATIONAL(0),
  PROVINCE(2),
  PREFECTURE(4),
  COUNTY(6);

  /** The code of the national row. */
  static final String NATIONAL_CODE = "CN";
  static final String NATIONAL_NAME = "全国";

  final int digits;

  RegionLevel(int digits) {
    this.digits = digits;
  }

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The code of the region at this level that contains {@code county}. */
  String codeOf(String county) {
    return this == NATIONAL ? NATIONAL_CODE : county.substring(0, digits);
  }

  static RegionLevel fromWireName(String s) {
    for (RegionLevel l : values()) {
      if (l.wireName().equals(s)) {
        return l;
      }
    }
    return null;
  }
}
