-- Offset store and management tables used by pekko-projection-jdbc 1.0.0 with
-- pekko.projection.jdbc.dialect = "h2-dialect" and the reference.conf defaults
-- (offset-store.schema = "", table = "pekko_projection_offset_store",
--  management-table = "pekko_projection_management", use-lowercase-schema = true).
-- This is exactly what H2Dialect.createTableStatements / createManagementTableStatements
-- generate: with use-lowercase-schema = true the H2 dialect lower-cases the statements but KEEPS
-- the double quotes, so every identifier is quoted lower case. The library's queries are quoted
-- the same way ("projection_name" etc.), so the names are case-sensitive lower case.

CREATE TABLE IF NOT EXISTS "pekko_projection_offset_store" (
  "projection_name" VARCHAR(255) NOT NULL,
  "projection_key" VARCHAR(255) NOT NULL,
  "current_offset" VARCHAR(255) NOT NULL,
  "manifest" VARCHAR(4) NOT NULL,
  "mergeable" BOOLEAN NOT NULL,
  "last_updated" BIGINT NOT NULL,
  PRIMARY KEY("projection_name", "projection_key")
);

CREATE INDEX IF NOT EXISTS "projection_name_index" ON "pekko_projection_offset_store" ("projection_name");

CREATE TABLE IF NOT EXISTS "pekko_projection_management" (
  "projection_name" VARCHAR(255) NOT NULL,
  "projection_key" VARCHAR(255) NOT NULL,
  "paused" BOOLEAN NOT NULL,
  "last_updated" BIGINT NOT NULL,
  PRIMARY KEY("projection_name", "projection_key")
);
