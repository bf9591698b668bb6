#include "domain/dialogue/support.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/dialogue/idea_status.h"
#include <inttypes.h>
#include <stdio.h>

#define DB_REFUSED (-100)   /* change(): the idea takes no supports any more (merged, hidden, closed) */

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

/* One row added (add) or removed at time now; *changed tells whether
 * anything happened. ON CONFLICT DO NOTHING: a parallel duplicate waits for
 * the first one and then inserts nothing, without an error (on PostgreSQL an
 * error would abort the transaction). */
static int change(struct db *db, int64_t idea_id, int64_t user_id, bool add, int64_t now, bool *changed)
{
	struct db_stmt *st = add
		? db_prepare(db, "INSERT INTO idea_supports (idea_id, user_id, created_at) VALUES ($1, $2, $3) "
				 "ON CONFLICT DO NOTHING RETURNING idea_id")
		: db_prepare(db, "DELETE FROM idea_supports WHERE idea_id = $1 AND user_id = $2 RETURNING idea_id");
	if (!st)
		return DB_ERROR;
	int rc = add ? db_bind(st, "iii", idea_id, user_id, now) : db_bind(st, "ii", idea_id, user_id);
	if (rc == DB_OK)
		rc = db_step(st);
	*changed = rc == DB_ROW;
	if (rc == DB_ROW)
		rc = db_step(st) == DB_ERROR ? DB_ERROR : DB_OK;
	db_done(st);
	if (rc != DB_OK || !*changed)
		return rc;
	if (add) {
		/* Not on an idea merged, hidden or closed meanwhile: this UPDATE waits
		 * for a merge or a status change that holds the row (merge locks both
		 * ideas first) and then sees it; the caller rolls back and asks why. */
		if (db_one_int(db, 0, "UPDATE ideas SET supports = supports + 1 WHERE id = $1 AND " IDEA_STATUS_TAKES_PART
				      " RETURNING 1", "i", idea_id) != 1)
			return DB_REFUSED;
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

int support_add_in_tx(struct db *db, int64_t idea_id, int64_t user_id, int64_t at)
{
	bool changed;
	int rc = change(db, idea_id, user_id, true, at, &changed);
	return rc == DB_REFUSED ? DB_CONSTRAINT : rc;
}

/* Whether user_id may support the idea now, as one statement: SUPPORT_OK,
 * or the refusal (NOT_FOUND, MERGED, HIDDEN, CLOSED, OWN, ERROR). *supports:
 * the count. */
static int may_support(struct db *db, int64_t idea_id, int64_t user_id, int64_t *supports)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT i.supports, i.merged_into, i.hidden_at, i.status, "
		"  CASE WHEN i.author_id = $2 OR EXISTS (SELECT 1 FROM co_authors a WHERE a.idea_id = i.id "
		"    AND a.status = 'accepted' AND (a.user_id = $2 "
		"      OR lower(a.email) = (SELECT lower(u.email) FROM users u WHERE u.id = $2))) THEN 1 ELSE 0 END "
		"FROM ideas i WHERE i.id = $1");
	enum { M_SUPPORTS, M_MERGED, M_HIDDEN, M_STATUS, M_OWN };
	int rc = st ? db_bind(st, "ii", idea_id, user_id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	int answer = rc == DB_OK ? SUPPORT_NOT_FOUND : rc != DB_ROW ? SUPPORT_ERROR
		: !db_is_null(st, M_MERGED) ? SUPPORT_MERGED : !db_is_null(st, M_HIDDEN) ? SUPPORT_HIDDEN
		: idea_status_closed(db_text(st, M_STATUS)) ? SUPPORT_CLOSED : db_int(st, M_OWN) ? SUPPORT_OWN : SUPPORT_OK;
	if (rc == DB_ROW)
		*supports = db_int(st, M_SUPPORTS);
	db_done(st);
	return answer;
}

static int run(struct db *db, int64_t idea_id, int64_t user_id, bool add, int64_t *supports)
{
	if (db_begin(db) != DB_OK)
		return SUPPORT_ERROR;
	bool changed = false;
	int64_t n = 0;
	int may = may_support(db, idea_id, user_id, &n);
	/* withdrawing: from any idea that is there, but not from one merged into
	 * another (its supports moved there) */
	if (!add && (may == SUPPORT_HIDDEN || may == SUPPORT_CLOSED || may == SUPPORT_OWN))
		may = SUPPORT_OK;
	if (may != SUPPORT_OK) {
		db_rollback(db);
		return may;
	}
	int rc = change(db, idea_id, user_id, add, clock_now(), &changed);
	if (rc != DB_OK) {
		db_rollback(db);
		if (rc != DB_REFUSED)
			return SUPPORT_ERROR;
		may = may_support(db, idea_id, user_id, &n);   /* changed meanwhile: why */
		return may == SUPPORT_OK ? SUPPORT_ERROR : may;
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
