-- The events each read-model slice has folded, counted in the transaction that folds them, so the
-- reconciliation compares what the journal holds with what was folded (every kind of event, now
-- that one row carries an input and everything derived from it). Slices folded by the previous
-- release count from where they stood at this migration (counted_from).
ALTER TABLE readmodel_applied ADD COLUMN IF NOT EXISTS events_applied BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE readmodel_applied ADD COLUMN IF NOT EXISTS counted_from BIGINT DEFAULT 0 NOT NULL;
UPDATE readmodel_applied SET counted_from = applied_through;
