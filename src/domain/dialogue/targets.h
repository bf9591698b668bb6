/* The dialogue area's targets (domain/target.h): ideas, which take
 * comments, follows, reports and hiding, and cycles, which are followed.
 * And the notifications about them (domain/notification.h):
 *
 *   NOTIFY_IDEA_STATUS  {"status": "in_dialogue", "reason": "..."(optional)}
 *   NOTIFY_IDEA_MERGED  {"into_id": 9}      the idea was merged into idea 9
 *   NOTIFY_CYCLE_IDEA   {"idea_id": 42}     a new idea in a followed cycle
 *   NOTIFY_IDEA_EDITED  {"version": 3}      its authors changed the idea (followers, caretaker)
 *   "idea.comment"      {"comment_id": 17}  a new comment (domain/comment.c)
 */
#ifndef UNBOX_DIALOGUE_TARGETS_H
#define UNBOX_DIALOGUE_TARGETS_H
#include <stdint.h>
#include "db/db.h"
#include "domain/target.h"

#define NOTIFY_IDEA_STATUS   "idea.status"
#define NOTIFY_IDEA_MERGED   "idea.merged"
#define NOTIFY_CYCLE_IDEA    "cycle.idea"
#define NOTIFY_IDEA_EDITED   "idea.edited"

extern const struct target_kind idea_target;
extern const struct target_kind cycle_target;

/* A new idea in a cycle: tells the cycle's followers (NOTIFY_CYCLE_IDEA),
 * in the caller's transaction. DB_OK or an error. */
int notify_new_idea(struct db *db, int64_t cycle_id, int64_t idea_id, int64_t author_id, const char *title);

#endif
