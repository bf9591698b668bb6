-- A number that grows with every change to public content (ideas, ...):
-- cached anonymous pages are valid only while it stays the same.
CREATE TABLE content_version (
  id  INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),   -- the one row: a given key, not generated
  n   BIGINT NOT NULL
);
INSERT INTO content_version (id, n) VALUES (1, 1);
