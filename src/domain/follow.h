/* Following a target (domain/target.h: an idea, a cycle …): who gets
 * notifications about it (domain/notification.h). Follows are private: only
 * the person's own state is ever read back, so they change nothing
 * anonymous visitors see. */
#ifndef UNBOX_FOLLOW_H
#define UNBOX_FOLLOW_H
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/target.h"

enum follow_rc { FOLLOW_OK = 0, FOLLOW_NOT_FOUND, FOLLOW_MERGED, FOLLOW_HIDDEN, FOLLOW_CLOSED, FOLLOW_ERROR };

/* Starts (on = true) or ends following, in its own transaction. Following
 * twice answers like following once. FOLLOW_NOT_FOUND: no such target.
 * FOLLOW_MERGED: the target has been merged into another (also when the
 * merge commits while this runs); nothing is stored. A target that is hidden
 * or closed takes no new followers (FOLLOW_HIDDEN, FOLLOW_CLOSED: nothing
 * happens there in the normal course); ending to follow works on every
 * target that is there and not merged. */
int follow_set(struct db *db, const struct target_kind *kind, int64_t id, int64_t user_id, bool on);
/* 1 when user_id follows the target, 0 when not, -1 when the database failed. */
int follow_exists(struct db *db, const struct target_kind *kind, int64_t id, int64_t user_id);
/* Inside the caller's transaction (no BEGIN): the user follows the target,
 * e.g. the author of an idea on submission. DB_OK or an error. */
int follow_in_tx(struct db *db, const struct target_kind *kind, int64_t id, int64_t user_id, int64_t now);
/* For merging duplicates, inside the caller's transaction: the followers of
 * target from follow target to as well (nobody twice). DB_OK or an error. */
int follow_move(struct db *db, const struct target_kind *kind, int64_t from, int64_t to);

#endif
