-- Region statistics kept by the read-model projection, in the same transaction as its offset,
-- so they equal the fold of the journal after any crash. Times are epoch milliseconds (UTC).
--
-- Counter tables carry the tag slice in their key: each slice's projection owns its rows, so the
-- eight slice projections never wait for or race each other on a county's row. Readers sum over
-- slices (at most 8 rows per county and key); the slice comes last in each key, so a GROUP BY over
-- the other key columns follows the primary-key index.

-- The last summary of each household, so that a new one applies as a delta (old → new).
-- employed: one "CHANNEL/SCOPE/START_YEAR" entry per employed member, comma-separated.
CREATE TABLE IF NOT EXISTS household_summary (
  household_id    VARCHAR(64)     PRIMARY KEY,
  slice           INT             NOT NULL,
  region_code     VARCHAR(12)     NOT NULL,
  county_code     VARCHAR(6)      NOT NULL,
  deep_poverty    BOOLEAN         NOT NULL,
  closed          BOOLEAN         NOT NULL,
  labour_capable  INT             NOT NULL,
  zero_employment BOOLEAN         NOT NULL,
  employed        VARCHAR(100000) NOT NULL,
  updated_at      BIGINT          NOT NULL
);
CREATE INDEX IF NOT EXISTS household_summary_county_idx ON household_summary (county_code);

-- Households under monitoring (not closed), their labour-capable members and zero-employment
-- households, per county.
CREATE TABLE IF NOT EXISTS region_households (
  county_code     VARCHAR(6) NOT NULL,
  slice           INT        NOT NULL,
  households      BIGINT     NOT NULL,
  labour_capable  BIGINT     NOT NULL,
  zero_employment BIGINT     NOT NULL,
  PRIMARY KEY (county_code, slice)
);

-- Employed members of open households per county, channel and work scope.
CREATE TABLE IF NOT EXISTS region_employment (
  county_code VARCHAR(6)  NOT NULL,
  slice       INT         NOT NULL,
  channel     VARCHAR(32) NOT NULL,
  work_scope  VARCHAR(32) NOT NULL,
  members     BIGINT      NOT NULL,
  PRIMARY KEY (county_code, channel, work_scope, slice)
);

-- Employed members of open households per county and the year their active placement started
-- (what an annual target counts as achieved).
CREATE TABLE IF NOT EXISTS region_employment_years (
  county_code VARCHAR(6) NOT NULL,
  slice       INT        NOT NULL,
  start_year  INT        NOT NULL,
  members     BIGINT     NOT NULL,
  PRIMARY KEY (county_code, start_year, slice)
);

-- Alerts per county (of the alert's region), type and severity: open now (open or
-- acknowledged), acknowledged now, and running totals raised / acknowledged / resolved, with the
-- summed raise-to-resolve time of the resolved ones.
CREATE TABLE IF NOT EXISTS region_alerts (
  county_code          VARCHAR(6)  NOT NULL,
  slice                INT         NOT NULL,
  alert_type           VARCHAR(32) NOT NULL,
  severity             VARCHAR(16) NOT NULL,
  open_count           BIGINT      NOT NULL,
  acknowledged_count   BIGINT      NOT NULL,
  raised_total         BIGINT      NOT NULL,
  acknowledged_total   BIGINT      NOT NULL,
  resolved_total       BIGINT      NOT NULL,
  resolve_millis_total BIGINT      NOT NULL,
  PRIMARY KEY (county_code, alert_type, severity, slice)
);

-- Annual employment targets per county (PUT /api/v1/targets/{countyCode}/{year}).
CREATE TABLE IF NOT EXISTS region_targets (
  county_code VARCHAR(6)   NOT NULL,
  target_year INT          NOT NULL,
  target      BIGINT       NOT NULL,
  updated_at  BIGINT       NOT NULL,
  updated_by  VARCHAR(128) NOT NULL,
  PRIMARY KEY (county_code, target_year)
);
