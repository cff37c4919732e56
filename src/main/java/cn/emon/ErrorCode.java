package cn.emon;

import java.util.Locale;

/**
 * The stable, machine-readable reasons this server gives for refusing something (CONTRACT §9): the
 * {@code code} of every problem document and of every rejected batch result. A code never changes
 * meaning once released; new ones may be added. The wire form is the snake_case name.
 */
public enum ErrorCode {
  // problem documents
  TOKEN_MISSING,
  ROLE_FORBIDDEN,
  REGION_FORBIDDEN,
  BODY_NOT_JSON,
  BATCH_TOO_LARGE,
  BODY_TOO_LARGE,
  RATE_LIMITED,
  STORAGE_UNAVAILABLE,
  // rejected batch results
  UNKNOWN_TYPE,
  FIELD_MISSING,
  FIELD_INVALID,
  HOUSEHOLD_UNKNOWN,
  TIME_IN_FUTURE;

  /** The snake_case name clients see. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
