-- Account self-service: changing the e-mail address, seeing and ending
-- one's sessions, deleting one's account; blocking with a reason.
--
-- A deleted account keeps its row as a placeholder without personal data
-- (deleted_at set; e-mail, name and password hash erased), so that the ideas
-- and comments it leaves and the decisions in the audit log still point to
-- one account ("gelöschtes Konto") instead of to nobody. The address it had
-- is free again for a new account.
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
-- why the team blocked the person: shown to them when they log in (the
-- audit row of the decision keeps it too)
ALTER TABLE users ADD COLUMN blocked_reason TEXT;

-- Sessions get an id, so a person can end one of them from the profile
-- without the page ever showing a token or its hash, and what the profile
-- shows about each: when it was last used (updated at most every few
-- minutes) and the browser it was started in. Sessions are rebuilt, with
-- every live session kept.
CREATE TABLE sessions_new (
  id            INTEGER PRIMARY KEY,
  token_hash    TEXT NOT NULL UNIQUE,          -- BLAKE2b of the cookie token, hex
  user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf          TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL,
  last_used_at  BIGINT NOT NULL,
  user_agent    TEXT NOT NULL DEFAULT ''       -- as the browser sent it, shortened
);
INSERT INTO sessions_new (token_hash, user_id, csrf, created_at, expires_at, last_used_at)
  SELECT token_hash, user_id, csrf, created_at, expires_at, created_at FROM sessions ORDER BY created_at;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_user ON sessions(user_id, id);

-- A change of the e-mail address waits here until the link sent to the new
-- address is opened; only then does users.email change. One pending change
-- per account: a new request replaces the one before.
CREATE TABLE email_changes (
  id            INTEGER PRIMARY KEY,
  user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  new_email     TEXT NOT NULL,
  token_hash    TEXT NOT NULL UNIQUE,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL,
  used_at       BIGINT
);
CREATE INDEX email_changes_user ON email_changes(user_id);

-- A person's own lists, the export and the deletion read by person, in id
-- order.
CREATE INDEX ideas_author ON ideas(author_id, id);
CREATE INDEX audit_actor ON audit(actor_id, id);
CREATE INDEX outbox_to ON outbox(to_addr, id);
CREATE INDEX attachments_uploader ON attachments(uploaded_by, id);
