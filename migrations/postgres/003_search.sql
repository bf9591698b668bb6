-- Full-text search over ideas (PostgreSQL version of ../003_search.sql): a
-- stored tsvector with the 'german' configuration (Snowball German stems,
-- German stop words), weighted A for the title, B for the summary and C for
-- the description, and a GIN index on it.
--
-- ASCII punctuation is read as a space first, so that words are split where
-- SQLite's unicode61 tokenizer splits them: "www.stadt-koeln.de",
-- "rad@example.org" or "3.5" are indexed as their words, not as one host,
-- e-mail or number token.
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
