#include "domain/follow.h"
#include "core/clock.h"
#include <string.h>

/* FOLLOW_OK when the idea or cycle is there to be followed. An idea is read
 * FOR SHARE on PostgreSQL: a merge that holds it (merge locks both ideas
 * first) is waited for, and its merged_into seen. SQLite's transactions
 * already run one writer at a time. */
static int target_state(struct db *db, enum follow_target what, int64_t id)
{
	if (what == FOLLOW_CYCLE)
		return db_one_int(db, 0, "SELECT 1 FROM cycles WHERE id = $1", "i", id) == 1 ? FOLLOW_OK : FOLLOW_NOT_FOUND;
	bool pg = strcmp(db_backend(db), "postgres") == 0;
	int64_t state = db_one_int(db, 0, pg ? "SELECT CASE WHEN merged_into IS NULL THEN 1 ELSE 2 END FROM ideas "
					       "WHERE id = $1 FOR SHARE"
					     : "SELECT CASE WHEN merged_into IS NULL THEN 1 ELSE 2 END FROM ideas "
					       "WHERE id = $1", "i", id);
	return state == 1 ? FOLLOW_OK : state == 2 ? FOLLOW_MERGED : FOLLOW_NOT_FOUND;
}

bool follow_exists(struct db *db, enum follow_target what, int64_t id, int64_t user_id)
{
	return what == FOLLOW_IDEA
		? db_one_int(db, 0, "SELECT 1 FROM idea_follows WHERE idea_id = $1 AND user_id = $2", "ii", id, user_id) == 1
		: db_one_int(db, 0, "SELECT 1 FROM cycle_follows WHERE cycle_id = $1 AND user_id = $2", "ii", id, user_id) == 1;
}

int follow_idea_in_tx(struct db *db, int64_t idea_id, int64_t user_id, int64_t now)
{
	int rc = db_run(db, "INSERT INTO idea_follows (idea_id, user_id, created_at) VALUES ($1, $2, $3) "
			    "ON CONFLICT DO NOTHING", "iii", idea_id, user_id, now);
	return rc == DB_ROW ? DB_OK : rc;
}

static int store(struct db *db, enum follow_target what, int64_t id, int64_t user_id, bool on)
{
	int rc;
	if (what == FOLLOW_IDEA && on)
		rc = follow_idea_in_tx(db, id, user_id, clock_now());
	else if (what == FOLLOW_IDEA)
		rc = db_run(db, "DELETE FROM idea_follows WHERE idea_id = $1 AND user_id = $2", "ii", id, user_id);
	else if (on)
		rc = db_run(db, "INSERT INTO cycle_follows (cycle_id, user_id, created_at) VALUES ($1, $2, $3) "
				"ON CONFLICT DO NOTHING", "iii", id, user_id, clock_now());
	else
		rc = db_run(db, "DELETE FROM cycle_follows WHERE cycle_id = $1 AND user_id = $2", "ii", id, user_id);
	return rc == DB_ROW ? DB_OK : rc;
}

int follow_set(struct db *db, enum follow_target what, int64_t id, int64_t user_id, bool on)
{
	if (db_begin(db) != DB_OK)
		return FOLLOW_ERROR;
	int state = target_state(db, what, id);
	if (state != FOLLOW_OK) {
		db_rollback(db);
		return state;
	}
	if (store(db, what, id, user_id, on) != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return FOLLOW_ERROR;
	}
	return FOLLOW_OK;
}

int follow_move(struct db *db, int64_t from, int64_t to)
{
	int rc = db_run(db, "INSERT INTO idea_follows (idea_id, user_id, created_at) "
			    "SELECT $2, user_id, created_at FROM idea_follows WHERE idea_id = $1 "
			    "ON CONFLICT DO NOTHING", "ii", from, to);
	return rc == DB_ROW ? DB_OK : rc;
}
