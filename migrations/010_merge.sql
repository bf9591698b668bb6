-- Merging duplicate ideas: the duplicate keeps its row (and its history) and
-- points to the idea it was merged into; lists, search and the map leave it
-- out, its page redirects there. A marker, not a state of the workflow: the
-- status the idea had stays as it was. The same on SQLite and PostgreSQL.
ALTER TABLE ideas ADD COLUMN merged_into BIGINT REFERENCES ideas(id) ON DELETE SET NULL;
ALTER TABLE ideas ADD COLUMN merged_at BIGINT;
-- the ideas merged into one (shown on its page)
CREATE INDEX ideas_merged_into ON ideas(merged_into) WHERE merged_into IS NOT NULL;
