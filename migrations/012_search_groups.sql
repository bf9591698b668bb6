-- The groups of the search order (src/domain/dialogue/search.h): title,
-- title and summary, everything. SQLite needs nothing new: ideas_fts answers
-- each group with a column filter of its MATCH expression, in rowid order.
-- On PostgreSQL a GIN index answers "which ideas contain the words" per
-- column, so the title and the title with the summary get tsvectors and
-- indexes of their own next to ideas.search (all three texts, 003_search.sql),
-- with the same words as there: the 'german' configuration over
-- unbox_search_text.

-- @postgres
ALTER TABLE ideas
  ADD COLUMN search_title tsvector GENERATED ALWAYS AS (
    to_tsvector('german', unbox_search_text(title))) STORED,
  ADD COLUMN search_lead tsvector GENERATED ALWAYS AS (
    to_tsvector('german', unbox_search_text(title)) ||
    to_tsvector('german', unbox_search_text(summary))) STORED;

CREATE INDEX ideas_search_title ON ideas USING gin (search_title);
CREATE INDEX ideas_search_lead ON ideas USING gin (search_lead);
-- @end
