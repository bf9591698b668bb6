-- The dialogue's corrections (issue 10): authors edit their ideas, the
-- team removes someone else's comment only with a public reason, and
-- campaign codes are known ones.
--
-- idea_versions: every version of an edited idea, so the caretaker and the
-- team see what changed. Written only when an idea is edited: the first edit
-- stores the idea as it was handed in (version 1) and the new text (version
-- 2); an idea never edited has no rows here (its row in ideas is version 1),
-- so submitting, seeding and importing write nothing more; the newest row
-- is what the idea's row holds now (the UNIQUE index finds it, so ideas
-- needs no column of its own). The Zielbilder are kept as their slugs,
-- separated by commas, in their order.
CREATE TABLE idea_versions (
  id              INTEGER PRIMARY KEY,
  idea_id         BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  version         INTEGER NOT NULL,
  title           TEXT NOT NULL,
  summary         TEXT NOT NULL,
  description_md  TEXT NOT NULL,
  field_id        BIGINT NOT NULL REFERENCES fields(id),
  stadtteil_nr    BIGINT NOT NULL,
  lat_e6          BIGINT,
  lon_e6          BIGINT,
  needs           BIGINT NOT NULL DEFAULT 0,
  applicant_type  TEXT NOT NULL DEFAULT '',
  zielbilder      TEXT NOT NULL DEFAULT '',
  edited_by       BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at      BIGINT NOT NULL,
  UNIQUE (idea_id, version)
);

-- Staff who delete someone else's comment give a public reason, shown in
-- its place ("Vom un:box-Team entfernt: <Grund>"); NULL when the author
-- deleted it.
ALTER TABLE comments ADD COLUMN deleted_reason TEXT;

-- Campaigns: the codes of the team's QR codes and links ("PLAKAT-Ehrenfeld"),
-- so that an idea handed in through one names a campaign that exists and an
-- unknown code is refused with a clear message instead of being stored.
CREATE TABLE campaigns (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  created_by  BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at  BIGINT NOT NULL
);
