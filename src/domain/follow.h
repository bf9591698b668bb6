/* Following ideas and cycles: who gets notifications about them (see
 * domain/notification.h). Follows are private: only the person's own state
 * is ever read back, so they change nothing anonymous visitors see. */
#ifndef UNBOX_FOLLOW_H
#define UNBOX_FOLLOW_H
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"

enum follow_rc { FOLLOW_OK = 0, FOLLOW_NOT_FOUND, FOLLOW_MERGED, FOLLOW_ERROR };
enum follow_target { FOLLOW_IDEA, FOLLOW_CYCLE };

/* Starts (on = true) or ends following, in its own transaction. Following
 * twice answers like following once. FOLLOW_NOT_FOUND: no such idea/cycle.
 * FOLLOW_MERGED: the idea has been merged into another (also when the merge
 * commits while this runs); nothing is stored. */
int follow_set(struct db *db, enum follow_target what, int64_t id, int64_t user_id, bool on);
bool follow_exists(struct db *db, enum follow_target what, int64_t id, int64_t user_id);
/* Inside the caller's transaction (no BEGIN): the user follows the idea,
 * e.g. its author on submission. DB_OK or an error. */
int follow_idea_in_tx(struct db *db, int64_t idea_id, int64_t user_id, int64_t now);
/* For merging duplicates, inside the caller's transaction: the followers of
 * idea from follow idea to as well (nobody twice). DB_OK or an error. */
int follow_move(struct db *db, int64_t from, int64_t to);

#endif
