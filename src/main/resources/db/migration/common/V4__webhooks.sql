-- Webhooks (CONTRACT §5): subscriptions, the durable outbox of deliveries with every attempt,
-- and the open alerts the alertmanager-api format re-sends. Times are epoch milliseconds (UTC).
-- The same portable SQL serves PostgreSQL and H2.

-- Who receives alert changes. types and regions are comma-separated lists, empty = all.
-- failing_since is the first failed attempt since the last success (null while healthy).
CREATE TABLE IF NOT EXISTS webhook_subscriptions (
  id              VARCHAR(40)   PRIMARY KEY,
  url             VARCHAR(2000) NOT NULL,
  secret          VARCHAR(200)  NOT NULL,
  format          VARCHAR(32)   NOT NULL,
  types           VARCHAR(200)  NOT NULL,
  regions         VARCHAR(2000) NOT NULL,
  min_severity    VARCHAR(16),
  enabled         BOOLEAN       NOT NULL,
  disabled_reason VARCHAR(200),
  disabled_at     BIGINT,
  failing_since   BIGINT,
  created_at      BIGINT        NOT NULL
);

-- One row per alert change and matching subscription, written by the webhook-outbox projection
-- in the transaction that stores its offset. seq is the household's event sequence number: the
-- dispatcher sends the pending deliveries of one (subscription, household) in seq order, one at
-- a time. payload is the alert JSON as it stood at the change.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  delivery_id      VARCHAR(40)   PRIMARY KEY,
  message_id       VARCHAR(40)   NOT NULL,
  subscription_id  VARCHAR(40)   NOT NULL,
  slice            INT           NOT NULL,
  household_id     VARCHAR(64)   NOT NULL,
  seq              BIGINT        NOT NULL,
  alert_id         VARCHAR(100)  NOT NULL,
  event_type       VARCHAR(32)   NOT NULL,
  event_at         BIGINT        NOT NULL,
  payload          VARCHAR(4000) NOT NULL,
  status           VARCHAR(16)   NOT NULL,
  attempts         INT           NOT NULL,
  schedule_step    INT           NOT NULL,
  next_attempt_at  BIGINT        NOT NULL,
  created_at       BIGINT        NOT NULL,
  finished_at      BIGINT
);
CREATE UNIQUE INDEX IF NOT EXISTS webhook_deliveries_message_idx ON webhook_deliveries (subscription_id, message_id);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due_idx ON webhook_deliveries (status, slice, next_attempt_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_chain_idx ON webhook_deliveries (subscription_id, household_id, status, seq);
CREATE INDEX IF NOT EXISTS webhook_deliveries_created_idx ON webhook_deliveries (subscription_id, created_at);

-- Every attempt of a delivery: HTTP status or error class, and latency.
CREATE TABLE IF NOT EXISTS webhook_attempts (
  delivery_id  VARCHAR(40)  NOT NULL,
  attempt_no   INT          NOT NULL,
  attempted_at BIGINT       NOT NULL,
  status_code  INT,
  error        VARCHAR(200),
  latency_ms   BIGINT       NOT NULL,
  PRIMARY KEY (delivery_id, attempt_no)
);

-- Alerts open (or acknowledged) as the webhook-outbox projection has seen them, so the periodic
-- alertmanager-api re-send never re-fires an alert whose resolution it has already queued.
CREATE TABLE IF NOT EXISTS webhook_open_alerts (
  alert_id     VARCHAR(100)  PRIMARY KEY,
  slice        INT           NOT NULL,
  household_id VARCHAR(64)   NOT NULL,
  payload      VARCHAR(4000) NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_open_alerts_slice_idx ON webhook_open_alerts (slice);
