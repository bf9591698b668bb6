-- Attachments: files fastened to any target.
--
-- A target is named by kind and id ('idea', 42), with no foreign key, so
-- ideas, projects, events, news and datasets can all carry files. The file
-- itself lives in the file store (setting files_dir) under its SHA-256;
-- several rows may name the same content. Deleting is soft: deleted_at is
-- set and the row keeps the facts of the file for the audit trail.
CREATE TABLE attachments (
  id            INTEGER PRIMARY KEY,
  target_kind   TEXT NOT NULL,
  target_id     BIGINT NOT NULL,
  title         TEXT NOT NULL DEFAULT '',
  file_name     TEXT NOT NULL,
  content_type  TEXT NOT NULL,
  size          BIGINT NOT NULL,
  sha256        TEXT NOT NULL,
  uploaded_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at    BIGINT NOT NULL,
  deleted_at    BIGINT,
  deleted_by    BIGINT REFERENCES users(id) ON DELETE SET NULL
);
-- a target's list, oldest first
CREATE INDEX attachments_target ON attachments(target_kind, target_id, id) WHERE deleted_at IS NULL;
CREATE INDEX attachments_sha256 ON attachments(sha256);

-- The number of attachments each target has, kept on write: one row per
-- target, so concurrent uploads to one target queue on it and its limit holds.
CREATE TABLE attachment_counts (
  id            INTEGER PRIMARY KEY,
  target_kind   TEXT NOT NULL,
  target_id     BIGINT NOT NULL,
  n             INTEGER NOT NULL DEFAULT 0,
  UNIQUE (target_kind, target_id)
);
