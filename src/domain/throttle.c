#include "domain/throttle.h"

int throttle_blocked(struct db *db, const char *key, int limit, int window, int64_t now, int *retry_after)
{
	struct db_stmt *st = db_prepare(db, "SELECT window_start, hits FROM throttle WHERE key = $1");
	if (!st)
		return -1;
	int rc = db_bind(st, "s", key);
	if (rc == DB_OK)
		rc = db_step(st);
	int blocked = rc == DB_OK ? 0 : -1;     /* no row: nothing counted yet */
	if (rc == DB_ROW) {
		int64_t start = db_int(st, 0), hits = db_int(st, 1);
		blocked = now < start + window && hits >= limit;
		if (blocked)
			*retry_after = (int)(start + window - now);
	}
	db_done(st);
	return blocked;
}

int throttle_hit(struct db *db, const char *key, int limit, int window, int64_t now, int *retry_after)
{
	/* One statement, so concurrent hits from several instances add up correctly:
	 * a new window starts when the old one has passed. */
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO throttle (key, window_start, hits) VALUES ($1, $2, 1) "
		"ON CONFLICT (key) DO UPDATE SET "
		"  hits = CASE WHEN throttle.window_start + $3 <= $2 THEN 1 ELSE throttle.hits + 1 END, "
		"  window_start = CASE WHEN throttle.window_start + $3 <= $2 THEN $2 ELSE throttle.window_start END "
		"RETURNING window_start, hits");
	if (!st)
		return -1;
	int rc = db_bind(st, "sii", key, now, (int64_t)window);
	if (rc == DB_OK)
		rc = db_step(st);
	int ok = -1;     /* the statement always returns its row */
	if (rc == DB_ROW) {
		int64_t start = db_int(st, 0), hits = db_int(st, 1);
		ok = hits <= limit;
		if (!ok) {
			*retry_after = (int)(start + window - now);
			if (*retry_after < 1)
				*retry_after = 1;
		}
	}
	db_done(st);
	return ok;
}

int throttle_clear(struct db *db, const char *key)
{
	return db_run(db, "DELETE FROM throttle WHERE key = $1", "s", key);
}
