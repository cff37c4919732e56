-- Read model kept by the household projections. Times are epoch milliseconds (UTC).

-- Every alert ever raised, as the entities hold it. raised_ordering is the journal ordering of
-- the AlertRaised event, used by the journal-vs-read-model reconciliation.
CREATE TABLE IF NOT EXISTS alerts (
  alert_id        VARCHAR(100) PRIMARY KEY,
  household_id    VARCHAR(64)  NOT NULL,
  alert_type      VARCHAR(32)  NOT NULL,
  severity        VARCHAR(16)  NOT NULL,
  status          VARCHAR(16)  NOT NULL,
  member_id       VARCHAR(64),
  placement_id    VARCHAR(64),
  region_code     VARCHAR(12)  NOT NULL,
  county_code     VARCHAR(6)   NOT NULL,
  raised_at       BIGINT       NOT NULL,
  acknowledged_at BIGINT,
  acknowledged_by VARCHAR(128),
  resolved_at     BIGINT,
  summary         VARCHAR(1000) NOT NULL,
  raised_ordering BIGINT       NOT NULL,
  updated_at      BIGINT       NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_raised_idx ON alerts (raised_at DESC, alert_id DESC);
CREATE INDEX IF NOT EXISTS alerts_status_idx ON alerts (status, raised_at DESC);
CREATE INDEX IF NOT EXISTS alerts_household_idx ON alerts (household_id);
CREATE INDEX IF NOT EXISTS alerts_region_idx ON alerts (region_code);
CREATE INDEX IF NOT EXISTS alerts_ordering_idx ON alerts (raised_ordering);

-- The durable deadline index: when each household next needs its time-based rules evaluated.
CREATE TABLE IF NOT EXISTS deadlines (
  household_id VARCHAR(64) PRIMARY KEY,
  slice        INT    NOT NULL,
  due_at       BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS deadlines_due_idx ON deadlines (slice, due_at);
