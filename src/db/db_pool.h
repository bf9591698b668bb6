/* A pool of connections to one database, shared by the server's threads.
 * Connections open on first use; a broken one is closed when it comes back
 * and reopened by the next taker. */
#ifndef UNBOX_DB_POOL_H
#define UNBOX_DB_POOL_H
#include <stddef.h>
#include "db/db.h"

struct db_pool;

struct db_pool *db_pool_new(const char *dsn, int size);
/* A connection for the caller's use, or NULL (with a message in err) when
 * none frees up within wait_ms or the database cannot be reached. */
struct db *db_pool_get(struct db_pool *p, int wait_ms, char *err, size_t errlen);
void db_pool_put(struct db_pool *p, struct db *db);
void db_pool_free(struct db_pool *p);          /* all connections must be back */
const char *db_pool_dsn(const struct db_pool *p);

#endif
