package cn.emon.export;

import java.util.Map;

/** The Chinese words of the exports for the API's codes (CONTRACT §4, DOMAIN.md). */
final class Labels {

  private static final Map<String, String> TYPES = Map.of(
      "ZERO_EMPLOYMENT", "零就业户",
      "PLACEMENT_LAPSED", "岗位中断",
      "NO_HELPER", "未落实帮扶责任人",
      "TRAINING_PENDING", "培训需求未落实");
  private static final Map<String, String> SEVERITIES = Map.of(
      "critical", "严重",
      "high", "高",
      "warning", "一般");
  private static final Map<String, String> STATUSES = Map.of(
      "open", "待处理",
      "acknowledged", "已确认",
      "resolved", "已解除");

  private Labels() {}

  static String type(String code) {
    return TYPES.getOrDefault(code, code);
  }

  static String severity(String code) {
    return SEVERITIES.getOrDefault(code, code);
  }

  static String status(String code) {
    return STATUSES.getOrDefault(code, code);
  }

  static String yesNo(boolean value) {
    return value ? "是" : "否";
  }
}
