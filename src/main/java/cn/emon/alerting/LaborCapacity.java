package cn.emon.alerting;

/** The register's 劳动技能 field. SKILLED, ORDINARY and WEAK members are labour-capable. */
public enum LaborCapacity {
  /** 技能劳动力 */
  SKILLED,
  /** 普通劳动力 */
  ORDINARY,
  /** 弱劳动力或半劳动力 */
  WEAK,
  /** 丧失劳动力 */
  LOST,
  /** 无劳动力 */
  NONE;

  public boolean isLabourCapable() {
    return this == SKILLED || this == ORDINARY || this == WEAK;
  }
}
