#include "domain/dialogue/support.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/content.h"
#include <inttypes.h>
#include <stdio.h>

#define DB_MERGED (-100)    /* change(): the idea was merged into another one */

int64_t support_count(struct db *db, int64_t idea_id)
{
	int64_t n;
	int found = db_find_int(db, &n, "SELECT supports FROM ideas WHERE id = $1", "i", idea_id);
	return found > 0 ? n : found == 0 ? SUPPORT_COUNT_NO_IDEA : SUPPORT_COUNT_FAILED;
}

int support_exists(struct db *db, int64_t idea_id, int64_t user_id)
{
	int64_t one;
	return db_find_int(db, &one, "SELECT 1 FROM idea_supports WHERE idea_id = $1 AND user_id = $2", "ii", idea_id,
			   user_id);
}

/* One row added (add) or removed; *changed tells whether anything happened.
 * ON CONFLICT DO NOTHING: a parallel duplicate waits for the first one and
 * then inserts nothing, without an error (on PostgreSQL an error would abort
 * the transaction). */
static int change(struct db *db, int64_t idea_id, int64_t user_id, bool add, bool *changed)
{
	struct db_stmt *st = add
		? db_prepare(db, "INSERT INTO idea_supports (idea_id, user_id, created_at) VALUES ($1, $2, $3) "
				 "ON CONFLICT DO NOTHING RETURNING idea_id")
		: db_prepare(db, "DELETE FROM idea_supports WHERE idea_id = $1 AND user_id = $2 RETURNING idea_id");
	if (!st)
		return DB_ERROR;
	int rc = add ? db_bind(st, "iii", idea_id, user_id, clock_now()) : db_bind(st, "ii", idea_id, user_id);
	if (rc == DB_OK)
		rc = db_step(st);
	*changed = rc == DB_ROW;
	if (rc == DB_ROW)
		rc = db_step(st) == DB_ERROR ? DB_ERROR : DB_OK;
	db_done(st);
	if (rc != DB_OK || !*changed)
		return rc;
	if (add) {
		/* Not on an idea merged meanwhile: this UPDATE waits for a merge that
		 * holds the row (merge locks both ideas first) and then sees its
		 * merged_into; the caller rolls back. */
		if (db_one_int(db, 0, "UPDATE ideas SET supports = supports + 1 WHERE id = $1 AND merged_into IS NULL "
				      "RETURNING 1", "i", idea_id) != 1)
			return db_one_int(db, 0, "SELECT 1 FROM ideas WHERE id = $1 AND merged_into IS NOT NULL", "i",
					  idea_id) == 1 ? DB_MERGED : DB_ERROR;
	} else if (db_run(db, "UPDATE ideas SET supports = supports - 1 WHERE id = $1 AND supports > 0", "i",
			  idea_id) != DB_OK) {
		return DB_ERROR;
	}
	char subject[40];
	snprintf(subject, sizeof subject, "idea:%" PRId64, idea_id);
	rc = audit_add(db, user_id, add ? "idea.support" : "idea.unsupport", subject, "");
	if (rc == DB_OK)
		rc = content_changed(db);
	return rc;
}

static int run(struct db *db, int64_t idea_id, int64_t user_id, bool add, int64_t *supports)
{
	if (db_begin(db) != DB_OK)
		return SUPPORT_ERROR;
	bool changed = false;
	int64_t n;
	int found = db_find_int(db, &n, "SELECT CASE WHEN merged_into IS NULL THEN supports ELSE -1 END "
					"FROM ideas WHERE id = $1", "i", idea_id);
	if (found <= 0 || n < 0) {
		db_rollback(db);
		return found < 0 ? SUPPORT_ERROR : found == 0 ? SUPPORT_NOT_FOUND : SUPPORT_MERGED;
	}
	int rc = change(db, idea_id, user_id, add, &changed);
	if (rc != DB_OK) {
		db_rollback(db);
		return rc == DB_MERGED ? SUPPORT_MERGED : SUPPORT_ERROR;
	}
	/* read again in any case: a parallel request for the same row has
	 * committed by now (the INSERT or DELETE waited for it) */
	n = support_count(db, idea_id);
	if (n < 0 || db_commit(db) != DB_OK) {
		db_rollback(db);
		return SUPPORT_ERROR;
	}
	if (supports)
		*supports = n;
	return SUPPORT_OK;
}

int support_add(struct db *db, int64_t idea_id, int64_t user_id, int64_t *supports)
{
	return run(db, idea_id, user_id, true, supports);
}

int support_remove(struct db *db, int64_t idea_id, int64_t user_id, int64_t *supports)
{
	return run(db, idea_id, user_id, false, supports);
}

int support_move(struct db *db, int64_t from, int64_t to)
{
	int rc = db_run(db, "INSERT INTO idea_supports (idea_id, user_id, created_at) "
			    "SELECT $2, user_id, created_at FROM idea_supports WHERE idea_id = $1 "
			    "ON CONFLICT DO NOTHING", "ii", from, to);
	if (rc == DB_OK)
		rc = db_run(db, "DELETE FROM idea_supports WHERE idea_id = $1", "i", from);
	if (rc == DB_OK)
		rc = db_run(db, "UPDATE ideas SET supports = (SELECT COUNT(*) FROM idea_supports s "
				"WHERE s.idea_id = ideas.id) WHERE id = $1 OR id = $2", "ii", from, to);
	if (rc == DB_OK)
		rc = content_changed(db);
	return rc;
}
