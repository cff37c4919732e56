-- Register imports (CONTRACT §9): one row per import job with its progress, the file's rows staged
-- until its households are imported, and the row errors a client reads back. Times are epoch
-- milliseconds (UTC). The same portable SQL serves PostgreSQL and H2.

-- One import. status: running | done | failed; phase: queued | reading | importing | finished.
-- scope is the posting token's region prefixes, space-separated ('' = all regions): who may read
-- the job. heartbeat_at is refreshed by the node running the job; a running job whose heartbeat
-- stopped is reported failed (interrupted). failure_code and failure_message say why a job failed.
CREATE TABLE IF NOT EXISTS import_jobs (
  import_id        VARCHAR(40)   PRIMARY KEY,
  status           VARCHAR(16)   NOT NULL,
  phase            VARCHAR(16)   NOT NULL,
  file_format      VARCHAR(8)    NOT NULL,
  file_sha256      VARCHAR(64)   NOT NULL,
  file_bytes       BIGINT        NOT NULL,
  created_by       VARCHAR(200)  NOT NULL,
  scope            VARCHAR(2000) NOT NULL,
  created_at       BIGINT        NOT NULL,
  heartbeat_at     BIGINT        NOT NULL,
  finished_at      BIGINT,
  row_count        INT           NOT NULL,
  households       INT           NOT NULL,
  accepted         INT           NOT NULL,
  duplicates       INT           NOT NULL,
  rejected         INT           NOT NULL,
  error_count      INT           NOT NULL,
  failure_code     VARCHAR(40),
  failure_message  VARCHAR(500)
);
CREATE INDEX IF NOT EXISTS import_jobs_status_idx ON import_jobs (status, heartbeat_at);

-- The rows of a file being imported, so that a household's rows are read together wherever they
-- stand in the file (ordered by household_id, row_no) without holding the file in memory. Values
-- are the validated register values; error_code/error_message hold the row's first problem.
-- Rows are deleted when their import ends. Columns the register carries besides these (names,
-- ID numbers …) are never stored.
CREATE TABLE IF NOT EXISTS import_rows (
  import_id        VARCHAR(40)   NOT NULL,
  household_id     VARCHAR(64)   NOT NULL,
  row_no           INT           NOT NULL,
  region_code      VARCHAR(12),
  deep_poverty     BOOLEAN       NOT NULL,
  member_id        VARCHAR(64),
  labor_capacity   VARCHAR(16),
  wants_training   BOOLEAN       NOT NULL,
  error_code       VARCHAR(40),
  error_message    VARCHAR(300),
  PRIMARY KEY (import_id, household_id, row_no)
);

-- The row errors of an import, in the order they were found (seq), at most emon.imports.max-errors.
CREATE TABLE IF NOT EXISTS import_errors (
  import_id        VARCHAR(40)   NOT NULL,
  seq              INT           NOT NULL,
  row_no           INT           NOT NULL,
  household_id     VARCHAR(64),
  error_code       VARCHAR(40)   NOT NULL,
  error_message    VARCHAR(500)  NOT NULL,
  PRIMARY KEY (import_id, seq)
);
