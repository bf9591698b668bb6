-- Full-text search over ideas.
--
-- SQLite: an FTS5 index over title, summary and description_md with the
-- "unbox_german" tokenizer (src/db/sqlite_stem.c: unicode61, German stop
-- words, Snowball German stems), kept in step with ideas by triggers.
-- External content: the texts live only in ideas.
--
-- PostgreSQL: a stored tsvector with the 'german' configuration (Snowball
-- German stems, German stop words), weighted A for the title, B for the
-- summary and C for the description, and a GIN index on it. ASCII
-- punctuation is read as a space first, so that words are split where
-- SQLite's unicode61 tokenizer splits them: "www.stadt-koeln.de",
-- "rad@example.org" or "3.5" are indexed as their words, not as one host,
-- e-mail or number token.

-- @sqlite
CREATE VIRTUAL TABLE ideas_fts USING fts5(
  title, summary, description_md,
  content = 'ideas', content_rowid = 'id',
  tokenize = 'unbox_german'
);

CREATE TRIGGER ideas_fts_insert AFTER INSERT ON ideas BEGIN
  INSERT INTO ideas_fts (rowid, title, summary, description_md)
  VALUES (new.id, new.title, new.summary, new.description_md);
END;

CREATE TRIGGER ideas_fts_delete AFTER DELETE ON ideas BEGIN
  INSERT INTO ideas_fts (ideas_fts, rowid, title, summary, description_md)
  VALUES ('delete', old.id, old.title, old.summary, old.description_md);
END;

CREATE TRIGGER ideas_fts_update AFTER UPDATE OF id, title, summary, description_md ON ideas BEGIN
  INSERT INTO ideas_fts (ideas_fts, rowid, title, summary, description_md)
  VALUES ('delete', old.id, old.title, old.summary, old.description_md);
  INSERT INTO ideas_fts (rowid, title, summary, description_md)
  VALUES (new.id, new.title, new.summary, new.description_md);
END;

-- The ideas stored before this migration.
INSERT INTO ideas_fts (ideas_fts) VALUES ('rebuild');
-- @end

-- @postgres
CREATE FUNCTION unbox_search_text(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN translate(t, '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~',
                      '                                ');

ALTER TABLE ideas ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('german', unbox_search_text(title)), 'A') ||
  setweight(to_tsvector('german', unbox_search_text(summary)), 'B') ||
  setweight(to_tsvector('german', unbox_search_text(description_md)), 'C')
) STORED;

CREATE INDEX ideas_search ON ideas USING gin (search);
-- @end
