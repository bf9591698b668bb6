-- Moderation: reports of ideas and comments, hiding with a public reason.
--
-- A hidden idea or comment keeps its row: the page shows the public reason in
-- its place ("Hidden by the moderation: ..."); unhiding brings it back.
ALTER TABLE ideas ADD COLUMN hidden_at BIGINT;
ALTER TABLE ideas ADD COLUMN hidden_reason TEXT;
ALTER TABLE comments ADD COLUMN hidden_at BIGINT;
ALTER TABLE comments ADD COLUMN hidden_reason TEXT;

-- One row per report. comment_id is set for a report of a comment (idea_id
-- is then the comment's idea). A report is open until the team decides:
-- outcome 'hidden' (the content was hidden) or 'kept' (no violation); the
-- reporter is told through a notification. One open report per person and item.
CREATE TABLE reports (
  id           INTEGER PRIMARY KEY,
  idea_id      BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  comment_id   BIGINT REFERENCES comments(id) ON DELETE CASCADE,
  reporter_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  reason       TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  decided_at   BIGINT,
  decided_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
  outcome      TEXT CHECK (outcome IN ('hidden', 'kept'))
);
CREATE UNIQUE INDEX reports_open_once ON reports(reporter_id, idea_id, COALESCE(comment_id, 0))
  WHERE decided_at IS NULL;
-- the queue: open reports, oldest first, grouped by item
CREATE INDEX reports_open ON reports(id) WHERE decided_at IS NULL;
CREATE INDEX reports_item ON reports(idea_id, comment_id);
CREATE INDEX reports_reporter ON reports(reporter_id, id);
