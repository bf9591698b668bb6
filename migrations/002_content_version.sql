-- A number that grows with every change to public content (ideas, ...):
-- cached anonymous pages are valid only while it stays the same.
CREATE TABLE content_version (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  n   BIGINT NOT NULL
);
INSERT INTO content_version (id, n) VALUES (1, 1);
