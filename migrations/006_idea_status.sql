-- The status workflow of ideas with its history, caretakers ("Kümmerer"),
-- and ideas recorded by the team on behalf of a resident (assisted submission).
-- Only adds columns to ideas.

-- Every status change: who (and in which role), from which state to which, why.
CREATE TABLE idea_status_history (
  id            INTEGER PRIMARY KEY,
  idea_id       BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  from_status   TEXT NOT NULL,
  to_status     TEXT NOT NULL,
  actor_id      BIGINT REFERENCES users(id) ON DELETE SET NULL,
  actor_role    TEXT NOT NULL,
  by_author     INTEGER NOT NULL DEFAULT 0,     -- 1: the idea's author made the change
  reason        TEXT NOT NULL DEFAULT '',
  at            BIGINT NOT NULL
);
CREATE INDEX idea_status_history_idea ON idea_status_history(idea_id, at, id);

-- The team member who takes care of the idea.
ALTER TABLE ideas ADD COLUMN caretaker_id BIGINT REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX ideas_caretaker ON ideas(caretaker_id);
-- The newest activity on the idea (status change, caretaker, comments ...);
-- whoever writes such an activity sets it. Read as the larger of it and updated_at.
ALTER TABLE ideas ADD COLUMN last_activity_at BIGINT NOT NULL DEFAULT 0;
UPDATE ideas SET last_activity_at = updated_at;

-- How the idea came in, and for ideas the team recorded on someone's behalf:
-- the resident's name and e-mail, their consent to publication, who recorded it.
ALTER TABLE ideas ADD COLUMN intake_channel TEXT NOT NULL DEFAULT 'online'
  CHECK (intake_channel IN ('online','paper','event','meinungsmobil','campaign'));
ALTER TABLE ideas ADD COLUMN intake_campaign TEXT;
ALTER TABLE ideas ADD COLUMN intake_consent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE ideas ADD COLUMN resident_name TEXT;
ALTER TABLE ideas ADD COLUMN resident_email TEXT;
