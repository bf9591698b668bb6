#include "domain/follow.h"
#include "core/clock.h"

int follow_exists(struct db *db, const struct target_kind *kind, int64_t id, int64_t user_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT 1 FROM follows WHERE target_kind = $1 AND target_id = $2 AND user_id = $3");
	int rc = st ? db_bind(st, "sii", kind->name, id, user_id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int follow_in_tx(struct db *db, const struct target_kind *kind, int64_t id, int64_t user_id, int64_t now)
{
	int rc = db_run(db, "INSERT INTO follows (target_kind, target_id, user_id, created_at) VALUES ($1, $2, $3, $4) "
			    "ON CONFLICT DO NOTHING", "siii", kind->name, id, user_id, now);
	return rc == DB_ROW ? DB_OK : rc;
}

int follow_set(struct db *db, const struct target_kind *kind, int64_t id, int64_t user_id, bool on)
{
	if (db_begin(db) != DB_OK)
		return FOLLOW_ERROR;
	/* read to be shared: a merge that holds the target is waited for and seen */
	int state = kind->state(db, id, true);
	if (state <= 0 || state == TARGET_MERGED || (on && !target_state_open(state))) {
		db_rollback(db);
		return state < 0 ? FOLLOW_ERROR : state == 0 ? FOLLOW_NOT_FOUND : state == TARGET_MERGED ? FOLLOW_MERGED
			: state == TARGET_HIDDEN ? FOLLOW_HIDDEN : FOLLOW_CLOSED;
	}
	int rc = on ? follow_in_tx(db, kind, id, user_id, clock_now())
		    : db_run(db, "DELETE FROM follows WHERE target_kind = $1 AND target_id = $2 AND user_id = $3", "sii",
			     kind->name, id, user_id);
	if (rc != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return FOLLOW_ERROR;
	}
	return FOLLOW_OK;
}

int follow_move(struct db *db, const struct target_kind *kind, int64_t from, int64_t to)
{
	int rc = db_run(db, "INSERT INTO follows (target_kind, target_id, user_id, created_at) "
			    "SELECT target_kind, $3, user_id, created_at FROM follows WHERE target_kind = $1 AND target_id = $2 "
			    "ON CONFLICT DO NOTHING", "sii", kind->name, from, to);
	return rc == DB_ROW ? DB_OK : rc;
}
