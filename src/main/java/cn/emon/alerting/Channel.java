package cn.emon.alerting;

/** 就业渠道: the way a placement came about. */
public enum Channel {
  /** 就业扶贫车间 */
  WORKSHOP,
  /** 社区工厂/卫星工厂 */
  COMMUNITY_FACTORY,
  LOCAL_ENTERPRISE,
  /** 家庭农场/合作社/龙头企业 */
  AGRICULTURE,
  /** 创业 */
  ENTREPRENEURSHIP,
  /** 居家灵活就业/来料加工 */
  HOME_BASED,
  /** 公益性岗位 */
  PUBLIC_WELFARE_POST,
  /** 劳务协作转移就业 */
  LABOR_COOPERATION,
  /** 其他外出务工 */
  OTHER_MIGRANT,
  OTHER
}
