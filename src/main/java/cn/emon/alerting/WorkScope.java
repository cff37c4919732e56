package cn.emon.alerting;

/** 务工所在地: where a placement is, relative to the household's own region. */
public enum WorkScope {
  /** 乡镇内 */
  IN_TOWNSHIP,
  /** 乡镇外县内 */
  IN_COUNTY,
  /** 县外省内 */
  IN_PROVINCE,
  /** 省外 */
  OUT_OF_PROVINCE,
  UNKNOWN;

  /**
   * Compares GB/T 2260 codes: 2 digits province, 6 county, 9 township. A township comparison
   * needs 9-digit codes on both sides; otherwise a same-county placement counts as IN_COUNTY.
   */
  public static WorkScope of(String householdRegion, String workRegion) {
    if (householdRegion == null || workRegion == null
        || householdRegion.length() < 6 || workRegion.length() < 6) {
      return UNKNOWN;
    }
    if (!householdRegion.regionMatches(0, workRegion, 0, 2)) {
      return OUT_OF_PROVINCE;
    }
    if (!householdRegion.regionMatches(0, workRegion, 0, 6)) {
      return IN_PROVINCE;
    }
    if (householdRegion.length() >= 9 && workRegion.length() >= 9
        && householdRegion.regionMatches(0, workRegion, 0, 9)) {
      return IN_TOWNSHIP;
    }
    return IN_COUNTY;
  }
}
