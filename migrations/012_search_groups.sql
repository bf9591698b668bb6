-- The groups of the search order (src/domain/search.h): title, title and
-- summary, everything. SQLite needs nothing new: ideas_fts answers each group
-- with a column filter of its MATCH expression, in rowid order. PostgreSQL
-- has its own version in postgres/012_search_groups.sql.
SELECT 1;
