-- Schema expected by pekko-persistence-jdbc 1.1.1 (non-legacy DAO), taken from
-- schema/postgres/postgres-create-schema.sql shipped in pekko-persistence-jdbc_2.13-1.1.1.jar.
-- Deviations from the shipped file (all keep the resulting schema identical):
--   * every CREATE INDEX has IF NOT EXISTS, so this also succeeds on a database where the
--     library (or its shipped script) already created the tables;
--   * the durable_state indexes are created without CONCURRENTLY: CREATE INDEX CONCURRENTLY
--     cannot run inside a transaction, and Flyway runs each PostgreSQL migration in one
--     (it refuses migrations that mix transactional and non-transactional statements);
--   * the event_tag foreign key references public.event_journal (schema-qualified like the
--     table itself) instead of relying on search_path;
--   * extra index event_tag_tag_event_id_idx on event_tag(tag, event_id) (not in the library DDL).

CREATE TABLE IF NOT EXISTS public.event_journal(
  ordering BIGSERIAL,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  deleted BOOLEAN DEFAULT FALSE NOT NULL,

  writer VARCHAR(255) NOT NULL,
  write_timestamp BIGINT,
  adapter_manifest VARCHAR(255),

  event_ser_id INTEGER NOT NULL,
  event_ser_manifest VARCHAR(255) NOT NULL,
  event_payload BYTEA NOT NULL,

  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,

  PRIMARY KEY(persistence_id, sequence_number)
);

CREATE UNIQUE INDEX IF NOT EXISTS event_journal_ordering_idx ON public.event_journal(ordering);

CREATE TABLE IF NOT EXISTS public.event_tag(
    event_id BIGINT,
    tag VARCHAR(256),
    PRIMARY KEY(event_id, tag),
    CONSTRAINT fk_event_journal
      FOREIGN KEY(event_id)
      REFERENCES public.event_journal(ordering)
      ON DELETE CASCADE
);

-- Extra (not in the library DDL): the primary key is (event_id, tag), so eventsByTag queries
-- (WHERE tag = ? AND event_id/ordering > ?) would otherwise scan event_tag.
CREATE INDEX IF NOT EXISTS event_tag_tag_event_id_idx ON public.event_tag(tag, event_id);

CREATE TABLE IF NOT EXISTS public.snapshot (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  created BIGINT NOT NULL,

  snapshot_ser_id INTEGER NOT NULL,
  snapshot_ser_manifest VARCHAR(255) NOT NULL,
  snapshot_payload BYTEA NOT NULL,

  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,

  PRIMARY KEY(persistence_id, sequence_number)
);

CREATE TABLE IF NOT EXISTS public.durable_state (
    global_offset BIGSERIAL,
    persistence_id VARCHAR(255) NOT NULL,
    revision BIGINT NOT NULL,
    state_payload BYTEA NOT NULL,
    state_serial_id INTEGER NOT NULL,
    state_serial_manifest VARCHAR(255),
    tag VARCHAR,
    state_timestamp BIGINT NOT NULL,
    PRIMARY KEY(persistence_id)
);

CREATE INDEX IF NOT EXISTS state_tag_idx ON public.durable_state (tag);
CREATE INDEX IF NOT EXISTS state_global_offset_idx ON public.durable_state (global_offset);
