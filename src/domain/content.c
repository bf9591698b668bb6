#include "domain/content.h"

int64_t content_version(struct db *db)
{
	return db_one_int(db, 0, "SELECT n FROM content_version WHERE id = 1", NULL);
}

int content_changed(struct db *db)
{
	return db_run(db, "UPDATE content_version SET n = n + 1 WHERE id = 1", NULL);
}
