-- The newest journal offset each read-model slice has folded, read and moved in every projection
-- transaction. pekko-projection stores its own offset before the handler runs (same transaction),
-- so the handler cannot see the previous one there; this row can. When a hand-over lets one slice
-- run on two nodes at once, the instance that lags waits on this row, then finds its group already
-- applied and fails instead of counting it twice.
CREATE TABLE IF NOT EXISTS readmodel_applied (
  slice           VARCHAR(64)     PRIMARY KEY,
  applied_through BIGINT          NOT NULL
);
