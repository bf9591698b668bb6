/* Fixed-window rate limits kept in the database, so every server instance
 * sees the same counts. Keys name what is limited: "login:ip:1.2.3.4". */
#ifndef UNBOX_THROTTLE_H
#define UNBOX_THROTTLE_H
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"

/* Counts one hit. Returns true when the hit is within `limit` per `window`
 * seconds; otherwise false and *retry_after = seconds until the window ends. */
bool throttle_hit(struct db *db, const char *key, int limit, int window, int64_t now, int *retry_after);
/* True when the key is over its limit right now, without counting a hit. */
bool throttle_blocked(struct db *db, const char *key, int limit, int window, int64_t now, int *retry_after);
void throttle_clear(struct db *db, const char *key);

#endif
