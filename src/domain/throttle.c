#include "domain/throttle.h"

bool throttle_blocked(struct db *db, const char *key, int limit, int window, int64_t now, int *retry_after)
{
	struct db_stmt *st = db_prepare(db, "SELECT window_start, hits FROM throttle WHERE key = $1");
	bool blocked = false;
	if (st && db_bind(st, "s", key) == DB_OK && db_step(st) == DB_ROW) {
		int64_t start = db_int(st, 0), hits = db_int(st, 1);
		if (now < start + window && hits >= limit) {
			blocked = true;
			*retry_after = (int)(start + window - now);
		}
	}
	db_done(st);
	return blocked;
}

bool throttle_hit(struct db *db, const char *key, int limit, int window, int64_t now, int *retry_after)
{
	/* One statement, so concurrent hits from several instances add up correctly:
	 * a new window starts when the old one has passed. */
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO throttle (key, window_start, hits) VALUES ($1, $2, 1) "
		"ON CONFLICT (key) DO UPDATE SET "
		"  hits = CASE WHEN throttle.window_start + $3 <= $2 THEN 1 ELSE throttle.hits + 1 END, "
		"  window_start = CASE WHEN throttle.window_start + $3 <= $2 THEN $2 ELSE throttle.window_start END "
		"RETURNING window_start, hits");
	bool ok = true;
	if (st && db_bind(st, "sii", key, now, (int64_t)window) == DB_OK && db_step(st) == DB_ROW) {
		int64_t start = db_int(st, 0), hits = db_int(st, 1);
		if (hits > limit) {
			ok = false;
			*retry_after = (int)(start + window - now);
			if (*retry_after < 1)
				*retry_after = 1;
		}
	}
	db_done(st);
	return ok;
}

void throttle_clear(struct db *db, const char *key)
{
	db_run(db, "DELETE FROM throttle WHERE key = $1", "s", key);
}
