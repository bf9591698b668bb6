-- The pages every public body must have (Impressum, Datenschutzerklärung,
-- Erklärung zur Barrierefreiheit, Kontakt) and the pages that explain un:box
-- (in plain language and in Leichte Sprache), written by the team; the
-- settings a city changes; and what the administration's lists read.

-- Every version of every text is kept: a change adds a row with the next
-- version number, so the history is the table itself and the current text
-- is the highest version of (slug, lang). Two people saving the same
-- version at once collide on the UNIQUE key: the second is told, with what
-- they typed kept, instead of overwriting the first.
CREATE TABLE info_texts (
  id            INTEGER PRIMARY KEY,
  slug          TEXT NOT NULL,                 -- impressum, datenschutz, barrierefreiheit, kontakt, about, leichte-sprache
  lang          TEXT NOT NULL CHECK (lang IN ('de', 'en')),
  version       INTEGER NOT NULL CHECK (version >= 1),
  title         TEXT NOT NULL,
  body_md       TEXT NOT NULL,
  body_html     TEXT NOT NULL,                 -- rendered once on write (libcmark, raw HTML off)
  note          TEXT NOT NULL DEFAULT '',      -- what the change was, in the author's words
  demo          INTEGER NOT NULL DEFAULT 0,    -- 1: a demo text, shown with a notice
  created_at    BIGINT NOT NULL,
  created_by    BIGINT REFERENCES users(id) ON DELETE SET NULL,
  UNIQUE (slug, lang, version)
);

-- The settings a city changes on the web (name, logo, contact): one row per
-- setting, in the database, so every instance serving it shows the same.
CREATE TABLE site_settings (
  key           TEXT PRIMARY KEY,
  value         TEXT NOT NULL,
  updated_at    BIGINT NOT NULL,
  updated_by    BIGINT REFERENCES users(id) ON DELETE SET NULL
);

-- The moderation log filters the audit trail by action, newest first.
CREATE INDEX audit_action ON audit(action, id);
