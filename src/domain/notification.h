/* In-app notifications: one row per recipient, written in the caller's
 * transaction together with the change they tell about. E-mail digests
 * will read the same rows later.
 *
 * A notification is about a subject, a target named "kind:id" (domain/
 * target.h: "idea:42", "cycle:3"), and has a kind and data (a JSON object as
 * text; NULL or "" for {}). The functions below add "title" (the target's
 * title, through its kind's notify_sql) and "actor" (the actor's name) when
 * the data lacks them; the notification list (web/notifications.c) turns
 * kind and data into a sentence in the reader's language, and links to the
 * subject's page. The kinds every area shares:
 *
 *   <target kind>.comment  {"comment_id": 17}           a new comment on the subject ("idea.comment")
 *   NOTIFY_COMMENT_REPLY   {"comment_id": 18}           an answer to a comment
 *   NOTIFY_MODERATION      {"outcome": "hidden" | "kept", "comment_id": (optional)}   to a reporter
 *
 * and each area has its own (domain/dialogue/targets.h). Unknown kinds are
 * listed with a general sentence.
 *
 * Making data_json: inside the server jansson allocates from the request's
 * arena, so text from json_dumps() must not go to free(); write it with
 * json_write() (core/jsonx.h) into a buf instead, as notification.c does. */
#ifndef UNBOX_NOTIFICATION_H
#define UNBOX_NOTIFICATION_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/target.h"

#define NOTIFY_COMMENT_REPLY "comment.reply"
#define NOTIFY_MODERATION    "moderation"

/* struct target_kind's notify_sql from a query of a target's title by $1:
 * NOTIFY_TITLE_SQL("SELECT title FROM ideas WHERE id = $1"). One statement
 * for the title and the actor's name: with a database server each is a
 * round trip. */
#define NOTIFY_TITLE_SQL(title_query) "SELECT (" title_query "), (SELECT name FROM users WHERE id = $2)"

#define NOTIFICATION_PAGE_DEFAULT 20
#define NOTIFICATION_PAGE_MAX 100
#define NOTIFICATION_UNREAD_CAP 100   /* the header counts up to here ("99+") */

/* One row per follower of the target except the actor (actor_id 0: the
 * system), subject "<kind>:<id>". Runs in the caller's transaction (no
 * BEGIN). DB_OK or an error (also for data that is not a JSON object). */
int notify_followers(struct db *db, const struct target_kind *kind, int64_t id, int64_t actor_id,
		     const char *what, const char *data_json);
/* One row for one person (the author of a comment that got an answer, a
 * reporter told the outcome); nothing when user_id is the actor or 0.
 * subject like "idea:42". In the caller's transaction. */
int notify_user(struct db *db, int64_t user_id, int64_t actor_id, const char *what, const char *subject,
		const char *data_json);

/* Unread notifications of the user, counted up to NOTIFICATION_UNREAD_CAP. */
int64_t notification_unread(struct db *db, int64_t user_id);
/* Newest first, before_id 0 = from the newest; limit 1..NOTIFICATION_PAGE_MAX.
 * {items: [{id, kind, subject, url, data, created_at, created_date, read}],
 *  next: id to pass as before_id, or null}; NULL when the database failed.
 * url: the page of a target the data names by "<kind>_id" (a new idea in a
 * followed cycle leads to the idea), else the subject's page (at the
 * comment, when the data names one), else "/". */
json_t *notification_list(struct db *db, const char *lang, int64_t user_id, int64_t before_id, int limit);
/* Marks one (id) or all (id 0) of the user's notifications read.
 * 0 done, 1 no such notification of this user, -1 error. */
int notification_mark_read(struct db *db, int64_t user_id, int64_t id, int64_t now);

#endif
