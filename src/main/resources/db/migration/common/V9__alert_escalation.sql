-- Escalation (CONTRACT §7): how far an alert left open and unacknowledged has climbed
-- (county | prefecture | province) and when; null until escalated.
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS escalation VARCHAR(16);
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS escalated_at BIGINT;
