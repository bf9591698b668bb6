/* Supports: one per person and idea, withdrawable. The primary key of
 * idea_supports refuses a second row; the number is kept on ideas.supports
 * in the same transaction and never counted on read. Who supports what is
 * never public: only the person's own state is ever read back. */
#ifndef UNBOX_SUPPORT_H
#define UNBOX_SUPPORT_H
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"

enum support_rc {
	SUPPORT_OK = 0,
	SUPPORT_NOT_FOUND,
	SUPPORT_MERGED,      /* merged into another idea, which takes its supports */
	SUPPORT_HIDDEN,      /* hidden by the moderation */
	SUPPORT_CLOSED,      /* archived or withdrawn (idea_status_closed) */
	SUPPORT_OWN,         /* the author or an accepted co-author: one's own idea */
	SUPPORT_ERROR,       /* the database failed */
};

/* Adds the user's support in its own transaction. Supporting twice answers
 * like supporting once. *supports: the idea's count afterwards. When a row
 * was added: audit row and content_changed in the same transaction. Only an
 * idea that takes part (IDEA_STATUS_TAKES_PART) takes supports:
 * SUPPORT_MERGED, _HIDDEN or _CLOSED otherwise (also when that changes while
 * this runs), and SUPPORT_OWN for its authors; nothing is stored then. */
int support_add(struct db *db, int64_t idea_id, int64_t user_id, int64_t *supports);
/* Withdraws it, also on an idea closed meanwhile; withdrawing what is not
 * there answers like withdrawing. */
int support_remove(struct db *db, int64_t idea_id, int64_t user_id, int64_t *supports);
/* For demo content, inside the caller's transaction: user_id supports the
 * idea (as support_add, without its checks) at time at. DB_OK or an error. */
int support_add_in_tx(struct db *db, int64_t idea_id, int64_t user_id, int64_t at);
/* The kept count; SUPPORT_COUNT_NO_IDEA when there is no such idea,
 * SUPPORT_COUNT_FAILED when the database failed (both below 0). */
#define SUPPORT_COUNT_NO_IDEA (-1)
#define SUPPORT_COUNT_FAILED (-2)
int64_t support_count(struct db *db, int64_t idea_id);
/* Whether this user supports this idea (the user's own state only): 1, 0,
 * or -1 when the database failed. */
int support_exists(struct db *db, int64_t idea_id, int64_t user_id);
/* For merging duplicates, inside the caller's transaction: moves the
 * supports of idea from to idea to (someone who supported both counts once)
 * and sets both counters from the rows. DB_OK or an error. */
int support_move(struct db *db, int64_t from, int64_t to);

#endif
