-- Whether a household has its one-on-one helper (一对一帮扶责任人), for the zero-employment export
-- (是否已落实帮扶责任人). Summaries stored before this column existed do not say; a household has a
-- helper once any helper.assigned was stored for it (a helper is never unassigned), so fill the
-- column from the journal once, here.
ALTER TABLE household_summary ADD COLUMN IF NOT EXISTS helper_assigned BOOLEAN DEFAULT FALSE NOT NULL;

UPDATE household_summary SET helper_assigned = TRUE
 WHERE household_id IN (SELECT SUBSTRING(persistence_id FROM 11) FROM event_journal
                         WHERE event_ser_manifest = 'cn.emon.household.Household$HelperAssigned'
                           AND persistence_id LIKE 'Household|%');
