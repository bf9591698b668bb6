-- Many people writing on one idea at once. SQLite has one writer at a time
-- and needs nothing; PostgreSQL has its own version in
-- postgres/013_comment_writers.sql.
SELECT 1;
