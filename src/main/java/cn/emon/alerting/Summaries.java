package cn.emon.alerting;

import java.time.Duration;

/**
 * Human-readable alert summaries in Chinese and English. They name households, members and
 * placements only by their ids, never by a person's name.
 */
final class Summaries {

  private Summaries() {}

  static String zeroEmployment(long labourCapable) {
    return "零就业户：" + labourCapable + " 名劳动力均未就业 / Zero-employment household: none of "
        + labourCapable + " labour-capable member(s) is employed";
  }

  static String noHelper(Duration deadline) {
    return "未落实帮扶责任人：零就业预警已超过 " + days(deadline) + " 仍无帮扶责任人 / No helper assigned "
        + english(deadline) + " after the zero-employment alert was raised";
  }

  static String placementLapsed(String memberId, String placementId, PlacementStatus status,
      Duration interval) {
    String zh = switch (status) {
      case ENDED -> "已结束";
      case EXPIRED -> "已过预计结束日期且未核验";
      default -> "超过 " + days(interval) + " 未核验";
    };
    String en = switch (status) {
      case ENDED -> "ended";
      case EXPIRED -> "passed its expected end date without verification";
      default -> "unverified for " + english(interval);
    };
    return "岗位中断：成员 " + memberId + " 的岗位 " + placementId + " " + zh
        + "，目前无在岗就业 / Placement lapsed: placement " + placementId + " of member " + memberId
        + " " + en + " and the member holds no other job";
  }

  static String trainingPending(String memberId, Duration deadline) {
    return "培训需求未落实：成员 " + memberId + " 有培训意愿，" + days(deadline) + " 内未报名培训 / Training pending: member "
        + memberId + " wants training and has not enrolled within " + english(deadline);
  }

  private static String days(Duration d) {
    return d.toDays() >= 1 && d.toHours() % 24 == 0 ? d.toDays() + " 天" : d.toSeconds() + " 秒";
  }

  private static String english(Duration d) {
    return d.toDays() >= 1 && d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toSeconds() + " seconds";
  }
}
