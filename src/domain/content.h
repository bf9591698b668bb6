/* The version of the public content. Every write that changes what anonymous
 * visitors see bumps it in the same transaction; the page cache compares it
 * on every request, so no instance ever serves a page older than the data. */
#ifndef UNBOX_CONTENT_H
#define UNBOX_CONTENT_H
#include <stdint.h>
#include "db/db.h"

int64_t content_version(struct db *db);   /* 0 when it cannot be read */
int     content_changed(struct db *db);   /* DB_OK or an error */

#endif
