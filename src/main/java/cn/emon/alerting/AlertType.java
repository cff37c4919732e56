package cn.emon.alerting;

/** The four alert rules of the contract. */
public enum AlertType {
  /** 零就业户 */
  ZERO_EMPLOYMENT,
  /** 岗位中断 */
  PLACEMENT_LAPSED,
  /** 未落实帮扶责任人 */
  NO_HELPER,
  /** 培训需求未落实 */
  TRAINING_PENDING
}
