package cn.emon;

import java.util.Locale;

/**
 * The stable, machine-readable reasons this server gives for refusing something (CONTRACT §9): the
 * {@code code} of every problem document, of every rejected batch result and of every row error
 * of a register import. A code never changes meaning once released; new ones may be added. The
 * wire form is the snake_case name; {@code openapi.yaml} lists every one (a test keeps it so).
 */
public enum ErrorCode {
  // ------------------------------------------------------------------ problem documents (CONTRACT §9)
  /** 401: no bearer token, or one the server does not know. */
  TOKEN_MISSING,
  /** 403: the token's role may not do this. */
  ROLE_FORBIDDEN,
  /** 403, or a rejected result: the household, alert or region lies outside the token's regions. */
  REGION_FORBIDDEN,
  /** 400: the body is not JSON (malformed, empty, duplicate keys, over the nesting limits). */
  BODY_NOT_JSON,
  /** 413: more events in one batch than {@code emon.ingest.max-batch}. */
  BATCH_TOO_LARGE,
  /** 413: the body is larger than the endpoint accepts. */
  BODY_TOO_LARGE,
  /** 429: the token's request rate is used up; retry after {@code Retry-After}. */
  RATE_LIMITED,
  /** 503: the journal or the read model could not be reached in time; retry after {@code Retry-After}. */
  STORAGE_UNAVAILABLE,
  // ------------------------------------------------------------------ further problems
  /** 400: JSON, but not of the shape the endpoint takes (an array where one object is expected …). */
  BODY_INVALID,
  /** 400: a query or path parameter is malformed or out of range; the detail names it. */
  INVALID_PARAMETER,
  /** 400: the request is not well-formed HTTP, or malformed in a way no other code names. */
  MALFORMED_REQUEST,
  /** 404: no such resource (unknown path, or an id that does not exist). */
  NOT_FOUND,
  /** 405: the path exists, the method does not; see {@code Allow}. */
  METHOD_NOT_ALLOWED,
  /** 408: the body was not received within the endpoint's upload timeout. */
  REQUEST_TIMEOUT,
  /** 414: the URI is longer than the server accepts. */
  URI_TOO_LONG,
  /** 415: a Content-Type or Content-Encoding the endpoint does not take. */
  UNSUPPORTED_MEDIA_TYPE,
  /** 422: a webhook URL whose host may not be reached (loopback, private, metadata …). */
  TARGET_REFUSED,
  /** 422: a region code that is well-formed but not in the region table. */
  REGION_UNKNOWN,
  /** 409: a backup was asked of a database this server does not back up (PostgreSQL: use pg_dump). */
  BACKUP_UNSUPPORTED,
  /** 409: another backup is being written; retry when it has finished. */
  BACKUP_IN_PROGRESS,
  /** 431: the request headers are too large or too many. */
  HEADERS_TOO_LARGE,
  /** 500: an unexpected failure; the server log has the exception class. */
  INTERNAL_ERROR,
  /** 503: too many requests in progress on this node; retry after {@code Retry-After}. */
  OVERLOADED,
  /** 503: {@code /health/ready} while journal, read model or HTTP are not up yet. */
  NOT_READY,
  // ------------------------------------------------------------------ rejected batch results (CONTRACT §9)
  /** The event's {@code type} is none of the documented event types. */
  UNKNOWN_TYPE,
  /** A required attribute, field or column is absent (or null, or empty in a spreadsheet). */
  FIELD_MISSING,
  /** An attribute, field or column is present but malformed, of the wrong type or out of range. */
  FIELD_INVALID,
  /** An event other than {@code household.registered} for a household that is not registered. */
  HOUSEHOLD_UNKNOWN,
  /** The event's {@code time} (or a date in {@code data}) lies further in the future than {@code emon.ingest.max-clock-skew}. */
  TIME_IN_FUTURE,
  // ------------------------------------------------------------------ register imports that fail as a whole
  /** The file's header row lacks a required column. */
  COLUMN_MISSING,
  /** The file cannot be read as the format it was sent as (not UTF-8 text, not an xlsx workbook, no sheet). */
  FILE_INVALID,
  /** The server stopped while the import ran; post the file again (rows already imported answer duplicate). */
  IMPORT_INTERRUPTED;

  /** The snake_case name clients see. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
