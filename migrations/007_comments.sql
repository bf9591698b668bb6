-- Comments on ideas, threaded one level deep: a thread is a comment with
-- parent_id NULL; every reply points to its thread (never to another reply).
-- Deleting is soft: the row stays (with its texts cleared) so the thread and
-- its replies keep their place. ideas.comment_count (comments not deleted)
-- and the threads' reply_count, last_activity_at and activity_id are kept
-- on write. Ids only grow, so activity_id orders threads by their newest
-- comment without ties (times are whole seconds).
CREATE TABLE comments (
  id               INTEGER PRIMARY KEY,
  idea_id          BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
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
  activity_id      BIGINT NOT NULL DEFAULT 0      -- threads: id of that newest comment (orders threads)
);
-- the first page of an idea's threads, newest activity first
CREATE INDEX comments_threads ON comments(idea_id, activity_id DESC) WHERE parent_id IS NULL;
-- a thread's replies, oldest first
CREATE INDEX comments_replies ON comments(parent_id, id) WHERE parent_id IS NOT NULL;
CREATE INDEX comments_author ON comments(author_id);

ALTER TABLE ideas ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
