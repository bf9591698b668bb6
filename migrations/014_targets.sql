-- Comments, follows and reports on any target (src/domain/target.h): what
-- they belong to is named by (target_kind, target_id) — an idea or a cycle
-- today, a project, an event, a news item or a dataset later — instead of a
-- column per kind. There is no foreign key to a target (it may live in any
-- area's table): the writes check that it is there in their transaction,
-- and no target is ever deleted (hiding and merging keep the rows).
--
-- comments: idea_id becomes target_id, with target_kind 'idea' for the
-- comments there are. follows: one table for what idea_follows and
-- cycle_follows held. reports: what was reported ('idea' or 'comment' and
-- its id) instead of idea_id and comment_id.

-- @sqlite
-- SQLite cannot drop a foreign key: the tables are rebuilt (foreign keys are
-- off while a migration runs and checked before it commits; the full-text
-- index keeps its rows, since the ids and texts stay the same).
CREATE TABLE comments_new (
  id               INTEGER PRIMARY KEY,
  target_kind      TEXT NOT NULL,                -- 'idea', …
  target_id        BIGINT NOT NULL,
  parent_id        BIGINT REFERENCES comments(id) ON DELETE CASCADE,
  author_id        BIGINT REFERENCES users(id) ON DELETE SET NULL,
  body_md          TEXT NOT NULL,
  body_html        TEXT NOT NULL,                -- rendered once on write
  created_at       BIGINT NOT NULL,
  edited_at        BIGINT,
  deleted_at       BIGINT,
  deleted_by       BIGINT REFERENCES users(id) ON DELETE SET NULL,
  reply_count      INTEGER NOT NULL DEFAULT 0,   -- threads: replies, deleted ones included
  last_activity_at BIGINT NOT NULL,              -- threads: time of the newest of itself and its replies
  activity_id      BIGINT NOT NULL DEFAULT 0,    -- threads: id of that newest comment (orders threads)
  hidden_at        BIGINT,
  hidden_reason    TEXT
);
INSERT INTO comments_new (id, target_kind, target_id, parent_id, author_id, body_md, body_html, created_at,
                          edited_at, deleted_at, deleted_by, reply_count, last_activity_at, activity_id,
                          hidden_at, hidden_reason)
  SELECT id, 'idea', idea_id, parent_id, author_id, body_md, body_html, created_at,
         edited_at, deleted_at, deleted_by, reply_count, last_activity_at, activity_id,
         hidden_at, hidden_reason
  FROM comments;
DROP TABLE comments;
ALTER TABLE comments_new RENAME TO comments;
CREATE INDEX comments_replies ON comments(parent_id, id) WHERE parent_id IS NOT NULL;
CREATE INDEX comments_author ON comments(author_id);

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

CREATE TABLE reports_new (
  id           INTEGER PRIMARY KEY,
  target_kind  TEXT NOT NULL,                    -- what was reported: 'idea', 'comment', …
  target_id    BIGINT NOT NULL,
  reporter_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  reason       TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  decided_at   BIGINT,
  decided_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
  outcome      TEXT CHECK (outcome IN ('hidden', 'kept'))
);
INSERT INTO reports_new (id, target_kind, target_id, reporter_id, reason, created_at, decided_at, decided_by, outcome)
  SELECT id, CASE WHEN comment_id IS NULL THEN 'idea' ELSE 'comment' END, COALESCE(comment_id, idea_id),
         reporter_id, reason, created_at, decided_at, decided_by, outcome
  FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_open ON reports(id) WHERE decided_at IS NULL;
CREATE INDEX reports_reporter ON reports(reporter_id, id);
-- @end

-- @postgres
ALTER TABLE comments DROP CONSTRAINT comments_idea_id_fkey;
ALTER TABLE comments RENAME COLUMN idea_id TO target_id;
ALTER TABLE comments ADD COLUMN target_kind TEXT NOT NULL DEFAULT 'idea';
ALTER TABLE comments ALTER COLUMN target_kind DROP DEFAULT;
DROP INDEX comments_threads;

ALTER TABLE reports ADD COLUMN target_kind TEXT, ADD COLUMN target_id BIGINT;
UPDATE reports SET target_kind = CASE WHEN comment_id IS NULL THEN 'idea' ELSE 'comment' END,
                   target_id = COALESCE(comment_id, idea_id);
ALTER TABLE reports ALTER COLUMN target_kind SET NOT NULL, ALTER COLUMN target_id SET NOT NULL;
DROP INDEX reports_open_once;
DROP INDEX reports_item;
ALTER TABLE reports DROP COLUMN idea_id, DROP COLUMN comment_id;
-- @end

-- a target's first page of threads, newest activity first
CREATE INDEX comments_threads ON comments(target_kind, target_id, activity_id DESC) WHERE parent_id IS NULL;

-- one open report per person and item; the queue groups by item
CREATE UNIQUE INDEX reports_open_once ON reports(reporter_id, target_kind, target_id) WHERE decided_at IS NULL;
CREATE INDEX reports_item ON reports(target_kind, target_id);

-- Who wants to hear about a target.
CREATE TABLE follows (
  id           INTEGER PRIMARY KEY,
  target_kind  TEXT NOT NULL,                    -- 'idea', 'cycle', …
  target_id    BIGINT NOT NULL,
  user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   BIGINT NOT NULL,
  UNIQUE (target_kind, target_id, user_id)
);
CREATE INDEX follows_user ON follows(user_id);
INSERT INTO follows (target_kind, target_id, user_id, created_at)
  SELECT 'idea', idea_id, user_id, created_at FROM idea_follows ORDER BY id;
INSERT INTO follows (target_kind, target_id, user_id, created_at)
  SELECT 'cycle', cycle_id, user_id, created_at FROM cycle_follows ORDER BY id;
DROP TABLE idea_follows;
DROP TABLE cycle_follows;
