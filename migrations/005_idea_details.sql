-- The full idea: the Zielbilder it serves (a list the team keeps), an
-- optional point on the map, what it needs, who hands it in, and co-authors
-- invited by e-mail. How the idea came in (channel, campaign code) and the
-- consent to publication are columns of 006_idea_status.sql (intake_*).

CREATE TABLE zielbilder (
  id            INTEGER PRIMARY KEY,
  slug          TEXT NOT NULL UNIQUE,
  name_de       TEXT NOT NULL,
  name_en       TEXT NOT NULL,
  position      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE idea_zielbilder (
  id            INTEGER PRIMARY KEY,
  idea_id       BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  zielbild_id   BIGINT NOT NULL REFERENCES zielbilder(id) ON DELETE CASCADE,
  UNIQUE (idea_id, zielbild_id)
);
CREATE INDEX idea_zielbilder_zielbild ON idea_zielbilder(zielbild_id, idea_id);

-- A point on the map in millionths of a degree (WGS84), both NULL or both set.
ALTER TABLE ideas ADD COLUMN lat_e6 BIGINT;
ALTER TABLE ideas ADD COLUMN lon_e6 BIGINT;
-- What the idea needs, as a set of bits: 1 mentoring, 2 funding, 4 technology,
-- 8 space, 16 data, 32 partners.
ALTER TABLE ideas ADD COLUMN needs INTEGER NOT NULL DEFAULT 0;
-- Who hands it in; '' for ideas stored before it was asked.
ALTER TABLE ideas ADD COLUMN applicant_type TEXT NOT NULL DEFAULT ''
  CHECK (applicant_type IN ('', 'private', 'association', 'company', 'student_school', 'city_staff'));

-- People the author invited by e-mail to be named as co-authors. The e-mail
-- carries a token (only its hash is stored) to accept or decline.
CREATE TABLE co_authors (
  id            INTEGER PRIMARY KEY,
  idea_id       BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  email         TEXT NOT NULL,
  token_hash    TEXT NOT NULL UNIQUE,
  status        TEXT NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'accepted', 'declined')),
  name          TEXT NOT NULL DEFAULT '',        -- as the co-author wants to be shown
  user_id       BIGINT REFERENCES users(id) ON DELETE SET NULL,
  invited_at    BIGINT NOT NULL,
  answered_at   BIGINT,
  UNIQUE (idea_id, email)
);
