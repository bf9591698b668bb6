-- Supports, follows and notifications.
--
-- A support is one row per person and idea: the UNIQUE constraint refuses
-- a second one, so parallel requests cannot count anyone twice. The number of
-- supports is kept on ideas.supports in the same transaction as the row; it
-- is never counted on read. Who supports what is never shown to anyone else.
ALTER TABLE ideas ADD COLUMN supports INTEGER NOT NULL DEFAULT 0;

CREATE TABLE idea_supports (
  id          INTEGER PRIMARY KEY,
  idea_id     BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  BIGINT NOT NULL,
  UNIQUE (idea_id, user_id)
);
CREATE INDEX idea_supports_user ON idea_supports(user_id);

-- Who wants to hear about an idea or a cycle.
CREATE TABLE idea_follows (
  id          INTEGER PRIMARY KEY,
  idea_id     BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  BIGINT NOT NULL,
  UNIQUE (idea_id, user_id)
);
CREATE INDEX idea_follows_user ON idea_follows(user_id);

CREATE TABLE cycle_follows (
  id          INTEGER PRIMARY KEY,
  cycle_id    BIGINT NOT NULL REFERENCES cycles(id) ON DELETE CASCADE,
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  BIGINT NOT NULL,
  UNIQUE (cycle_id, user_id)
);
CREATE INDEX cycle_follows_user ON cycle_follows(user_id);

-- In-app notifications: one row per recipient. subject names what it is
-- about ("idea:42", "cycle:3"); data is a JSON object whose keys depend on
-- kind (see src/domain/notification.h). E-mail digests read the same rows.
CREATE TABLE notifications (
  id          INTEGER PRIMARY KEY,
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  subject     TEXT NOT NULL,
  actor_id    BIGINT REFERENCES users(id) ON DELETE SET NULL,
  data        TEXT NOT NULL DEFAULT '{}',
  created_at  BIGINT NOT NULL,
  read_at     BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;
