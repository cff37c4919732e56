package cn.emon.auth;

/** What a token may do (CONTRACT §2). */
public enum Role {
  /** POST /api/v1/events within its regions */
  INGEST,
  /** every GET of /api/v1 within its regions, and acknowledging alerts */
  READ,
  /** everything */
  ADMIN
}
