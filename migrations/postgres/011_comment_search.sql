-- Full-text search over comments, and the indexes of the idea list's sort
-- orders (PostgreSQL version of ../011_comment_search.sql).
--
-- Comments: a stored tsvector with the 'german' configuration over body_md,
-- read through unbox_search_text as the ideas are (postgres/003_search.sql),
-- and a GIN index on it. A deleted comment has its text cleared, so its
-- vector is empty; the query also skips deleted and hidden comments.
ALTER TABLE comments ADD COLUMN search tsvector GENERATED ALWAYS AS (
  to_tsvector('german', unbox_search_text(body_md))
) STORED;

CREATE INDEX comments_search ON comments USING gin (search);

-- The sort orders of the idea list (newest first has ideas_newest):
-- most supported, most discussed, recently active; ties by id.
CREATE INDEX ideas_supported ON ideas(supports DESC, id DESC);
CREATE INDEX ideas_discussed ON ideas(comment_count DESC, id DESC);
CREATE INDEX ideas_active ON ideas(last_activity_at DESC, id DESC);
-- last_activity_at is the one activity time from now on: ideas stored with
-- 0 get their last update.
UPDATE ideas SET last_activity_at = updated_at WHERE last_activity_at < updated_at;
