#include "domain/audit.h"
#include "core/clock.h"

int audit_add(struct db *db, int64_t actor, const char *action, const char *subject, const char *detail)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO audit (at, actor_id, action, subject, detail) "
					    "VALUES ($1, $2, $3, $4, $5)");
	if (!st)
		return DB_ERROR;
	db_bind(st, "i", clock_now());
	if (actor)
		db_bind_int(st, 2, actor);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, action);
	db_bind_text(st, 4, subject);
	db_bind_text(st, 5, detail ? detail : "");
	int rc = db_step(st);
	db_done(st);
	return rc;
}
