-- Full-text search over ideas (SQLite): an FTS5 index over title, summary and
-- description_md with the "unbox_german" tokenizer (src/db/sqlite_stem.c:
-- unicode61, German stop words, Snowball German stems), kept in step with
-- ideas by triggers. External content: the texts live only in ideas.
-- PostgreSQL has its own version in postgres/003_search.sql.
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
