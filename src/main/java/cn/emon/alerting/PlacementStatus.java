package cn.emon.alerting;

/** Where a placement stands at one instant. Only ACTIVE makes its member employed. */
public enum PlacementStatus {
  /** starts in the future */
  PENDING,
  /** started, not ended, not lapsed */
  ACTIVE,
  /** its end date has come */
  ENDED,
  /** its expected end date passed with no verification on or after that date */
  EXPIRED,
  /** unverified for longer than the verification interval */
  UNVERIFIED;

  public boolean isLapsed() {
    return this == ENDED || this == EXPIRED || this == UNVERIFIED;
  }
}
