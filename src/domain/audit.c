#include "domain/audit.h"
#include "core/clock.h"

int audit_add(struct db *db, int64_t actor, const char *action, const char *subject, const char *detail)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO audit (at, actor_id, action, subject, detail) "
					    "VALUES ($1, $2, $3, $4, $5)");
	if (!st)
		return DB_ERROR;
	int rc = db_bind(st, "iisss", clock_now(), actor, action, subject, detail ? detail : "");
	if (rc == DB_OK && !actor)
		rc = db_bind_null(st, 2);
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	return rc;
}
