-- Full-text search over comments, and the indexes of the idea list's sort
-- orders.
--
-- Comments, SQLite: an FTS5 index over body_md with the same "unbox_german"
-- tokenizer as ideas_fts (003_search.sql), kept in step by triggers. External
-- content: the text lives only in comments. PostgreSQL: a stored tsvector
-- with the 'german' configuration over body_md, read through
-- unbox_search_text as the ideas are (003_search.sql), and a GIN index on it.
-- A deleted comment has its text cleared, so it leaves the index (its vector
-- is empty); the query also skips deleted and hidden comments.

-- @sqlite
CREATE VIRTUAL TABLE comments_fts USING fts5(
  body_md,
  content = 'comments', content_rowid = 'id',
  tokenize = 'unbox_german'
);

CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
  INSERT INTO comments_fts (rowid, body_md) VALUES (new.id, new.body_md);
END;

CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN
  INSERT INTO comments_fts (comments_fts, rowid, body_md) VALUES ('delete', old.id, old.body_md);
END;

CREATE TRIGGER comments_fts_update AFTER UPDATE OF id, body_md ON comments BEGIN
  INSERT INTO comments_fts (comments_fts, rowid, body_md) VALUES ('delete', old.id, old.body_md);
  INSERT INTO comments_fts (rowid, body_md) VALUES (new.id, new.body_md);
END;

INSERT INTO comments_fts (comments_fts) VALUES ('rebuild');
-- @end

-- @postgres
ALTER TABLE comments ADD COLUMN search tsvector GENERATED ALWAYS AS (
  to_tsvector('german', unbox_search_text(body_md))
) STORED;

CREATE INDEX comments_search ON comments USING gin (search);
-- @end

-- The sort orders of the idea list (newest first has ideas_newest):
-- most supported, most discussed, recently active; ties by id.
CREATE INDEX ideas_supported ON ideas(supports DESC, id DESC);
CREATE INDEX ideas_discussed ON ideas(comment_count DESC, id DESC);
CREATE INDEX ideas_active ON ideas(last_activity_at DESC, id DESC);
-- last_activity_at is the one activity time from now on: ideas stored with
-- 0 get their last update.
UPDATE ideas SET last_activity_at = updated_at WHERE last_activity_at < updated_at;
