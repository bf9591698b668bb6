-- Many people writing on one idea at once. SQLite has one writer at a time
-- and needs nothing. On PostgreSQL a new comment updates its idea's row
-- (comment_count) and, for a reply, its thread's row (reply_count) at the
-- end of its transaction, which orders the writers of one idea. Checked at
-- once, the foreign keys of the new row would first take a shared lock on
-- those same rows; with several writers waiting there, PostgreSQL tracks
-- every one of them on the row (multixacts) and the posts per second fall as
-- writers are added. Checked at the commit, the writer already holds the row
-- it updated and needs no second lock. Deleting still cascades at once
-- (referential actions are never deferred).

-- @postgres
ALTER TABLE comments ALTER CONSTRAINT comments_idea_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE comments ALTER CONSTRAINT comments_parent_id_fkey DEFERRABLE INITIALLY DEFERRED;
-- @end
