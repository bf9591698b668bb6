/* In-app notifications: one row per recipient, written in the caller's
 * transaction together with the change they tell about. E-mail digests
 * will read the same rows later.
 *
 * Kinds and their data (a JSON object as text; NULL or "" for {}). The
 * functions below add "title" (the idea's title) and "actor" (the actor's
 * name) when the data lacks them; the notification list turns kind and
 * data into a sentence in the reader's language and a link:
 *
 *   NOTIFY_IDEA_STATUS    {"status": "in_dialogue", "reason": "..."(optional)}
 *   NOTIFY_IDEA_COMMENT   {"comment_id": 17}        a new comment on the idea
 *   NOTIFY_COMMENT_REPLY  {"comment_id": 18}        an answer to a comment
 *   NOTIFY_IDEA_MERGED    {"into_id": 9}            the idea was merged into idea 9
 *   NOTIFY_CYCLE_IDEA     {"idea_id": 42}           a new idea in a followed cycle
 *   NOTIFY_MODERATION     {"outcome": "hidden" | "kept"}   to a reporter
 *
 * Unknown kinds are listed with a general sentence.
 *
 * Making data_json: inside the server jansson allocates from the request's
 * arena, so text from json_dumps() must not go to free(); write it with
 * json_write() (core/jsonx.h) into a buf instead, as notification.c does. */
#ifndef UNBOX_NOTIFICATION_H
#define UNBOX_NOTIFICATION_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"

#define NOTIFY_IDEA_STATUS   "idea.status"
#define NOTIFY_IDEA_COMMENT  "idea.comment"
#define NOTIFY_COMMENT_REPLY "comment.reply"
#define NOTIFY_IDEA_MERGED   "idea.merged"
#define NOTIFY_CYCLE_IDEA    "cycle.idea"
#define NOTIFY_MODERATION    "moderation"

#define NOTIFICATION_PAGE_DEFAULT 20
#define NOTIFICATION_PAGE_MAX 100
#define NOTIFICATION_UNREAD_CAP 100   /* the header counts up to here ("99+") */

/* One row per follower of the idea except the actor (actor_id 0: the
 * system), subject "idea:ID". Runs in the caller's transaction (no BEGIN).
 * DB_OK or an error (also for data that is not a JSON object). */
int notify_followers_of_idea(struct db *db, int64_t idea_id, int64_t actor_id, const char *kind,
			     const char *data_json);
/* The same for the followers of a cycle, subject "cycle:ID". */
int notify_followers_of_cycle(struct db *db, int64_t cycle_id, int64_t actor_id, const char *kind,
			      const char *data_json);
/* One row for one person (the author of a comment that got an answer, a
 * reporter told the outcome); nothing when user_id is the actor or 0.
 * subject like "idea:42". In the caller's transaction. */
int notify_user(struct db *db, int64_t user_id, int64_t actor_id, const char *kind, const char *subject,
		const char *data_json);
/* A new idea in a cycle: tells the cycle's followers (NOTIFY_CYCLE_IDEA). */
int notify_new_idea(struct db *db, int64_t cycle_id, int64_t idea_id, int64_t author_id, const char *title);

/* Unread notifications of the user, counted up to NOTIFICATION_UNREAD_CAP. */
int64_t notification_unread(struct db *db, int64_t user_id);
/* Newest first, before_id 0 = from the newest; limit 1..NOTIFICATION_PAGE_MAX.
 * {items: [{id, kind, subject, url, data, created_at, created_date, read}],
 *  next: id to pass as before_id, or null}. */
json_t *notification_list(struct db *db, const char *lang, int64_t user_id, int64_t before_id, int limit);
/* Marks one (id) or all (id 0) of the user's notifications read.
 * 0 done, 1 no such notification of this user, -1 error. */
int notification_mark_read(struct db *db, int64_t user_id, int64_t id, int64_t now);

#endif
