package cn.emon.alerting;

import cn.emon.region.RegionCode;

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
        || householdRegion.length() < RegionCode.COUNTY || workRegion.length() < RegionCode.COUNTY) {
      return UNKNOWN;
    }
    RegionCode home = RegionCode.of(householdRegion);
    RegionCode work = RegionCode.of(workRegion);
    if (!home.sharesPrefix(work, RegionCode.PROVINCE)) {
      return OUT_OF_PROVINCE;
    }
    if (!home.sharesPrefix(work, RegionCode.COUNTY)) {
      return IN_PROVINCE;
    }
    return home.sharesPrefix(work, RegionCode.TOWNSHIP) ? IN_TOWNSHIP : IN_COUNTY;
  }
}
