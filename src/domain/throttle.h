/* Fixed-window rate limits kept in the database, so every server instance
 * sees the same counts. Keys name what is limited: "login:ip:1.2.3.4". */
#ifndef UNBOX_THROTTLE_H
#define UNBOX_THROTTLE_H
#include <stdint.h>
#include "db/db.h"

/* Counts one hit. Returns 1 when the hit is within `limit` per `window`
 * seconds; 0 when it is over (*retry_after = seconds until the window
 * ends); -1 when the database failed (nothing may be taken as counted). */
int throttle_hit(struct db *db, const char *key, int limit, int window, int64_t now, int *retry_after);
/* 1 when the key is over its limit right now (*retry_after set), without
 * counting a hit; 0 when it is not; -1 when the database failed. */
int throttle_blocked(struct db *db, const char *key, int limit, int window, int64_t now, int *retry_after);
/* Forgets the key's hits. DB_OK or an error. */
int throttle_clear(struct db *db, const char *key);

#endif
