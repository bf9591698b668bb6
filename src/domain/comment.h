/* Comments on any target (domain/target.h: an idea today): threads one
 * level deep (a reply to a reply joins the thread of the comment it
 * answers), a Markdown subset, editing by the author for 15 minutes, soft
 * deletion by the author or staff. Counters are kept on write: the target's
 * own counter (the kind's comment_counted, e.g. ideas.comment_count: comments
 * not deleted), and per thread its reply_count and last_activity_at, which
 * orders the threads.
 *
 * Comments are a target kind themselves (comment_target), for the
 * moderation: they are reported, hidden and shown again. */
#ifndef UNBOX_COMMENT_H
#define UNBOX_COMMENT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"
#include "domain/target.h"

#define COMMENT_BODY_MAX 5000          /* characters */
#define COMMENT_EDIT_SECONDS (15 * 60)
#define COMMENT_THREADS_PAGE 10        /* threads per page (each with up to 3 replies: 40 comments) ... */
#define COMMENT_THREADS_MAX 50         /* ... and at most, on request */
#define COMMENT_REPLIES_SHOWN 3        /* replies shown with each thread */
#define COMMENT_REPLIES_PAGE 50        /* replies per page of "all replies" ... */
#define COMMENT_REPLIES_MAX 100        /* ... and at most, on request */

enum comment_rc {
	COMMENT_OK = 0,
	COMMENT_INVALID,      /* see the field errors */
	COMMENT_NOT_FOUND,    /* no such target or comment */
	COMMENT_FORBIDDEN,    /* not the author (nor staff, for deleting) */
	COMMENT_TOO_LATE,     /* the edit window has closed */
	COMMENT_DELETED,      /* a deleted comment cannot be edited */
	COMMENT_MERGED,       /* the target was merged into another (also while this ran) */
	COMMENT_HIDDEN,       /* the target is hidden by the moderation: it takes no new comments */
	COMMENT_CLOSED,       /* the target is closed (an idea archived or withdrawn): no new comments */
	COMMENT_ERROR,
};

/* The body: required, at most COMMENT_BODY_MAX characters. Pure; returns the
 * number of problems added (field "body"). */
int comment_validate(const char *body, struct field_errors *fe);
/* The Markdown subset as safe HTML: paragraphs, emphasis, links (rel
 * "nofollow ugc"), lists, quotes, code. Headings become paragraphs, images
 * links; raw HTML and unsafe link schemes are dropped. malloc'd; NULL on
 * out-of-memory. */
char *comment_render(const char *md);
/* Whether a comment written at created_at may still be edited at now. */
bool comment_editable(int64_t created_at, int64_t now);

/* What comment_add tells its caller (e.g. to notify followers later). */
struct comment_added {
	int64_t id;
	int64_t target_id;
	int64_t thread_id;          /* the thread's first comment; id itself for a new thread */
	int64_t parent_author_id;   /* author of the comment answered; 0 for a new thread */
};

/* Adds a comment to a target of kind (which takes comments), or a reply
 * when parent_id is not 0 (field "parent": "invalid" when it names no live
 * comment of that target). A target that is not TARGET_OPEN refuses:
 * COMMENT_MERGED, COMMENT_HIDDEN or COMMENT_CLOSED, also when it changed
 * while this ran; nothing is stored. One transaction with the counters, the
 * notifications of the target's followers (kind.name + ".comment", or
 * NOTIFY_COMMENT_REPLY), an audit row and content_changed. */
int comment_add(struct db *db, const struct target_kind *kind, int64_t target_id, int64_t author_id,
		int64_t parent_id, const char *body, int64_t now, struct field_errors *fe, struct comment_added *out);
/* For demo content and imports, inside the caller's transaction: the
 * comment as given (parent_id: a thread of the same target, or 0), written at
 * `at`, with its counters and audit row but without checks or
 * notifications. DB_OK with *id, DB_CONSTRAINT when the target takes no
 * comments, or an error. */
int comment_add_in_tx(struct db *db, const struct target_kind *kind, int64_t target_id, int64_t author_id,
		      int64_t parent_id, const char *body, int64_t at, int64_t *id);
/* Whether user_id may edit comment id at now: COMMENT_OK, or NOT_FOUND,
 * FORBIDDEN (not the author), DELETED, TOO_LATE or ERROR. */
int comment_may_edit(struct db *db, int64_t id, int64_t user_id, int64_t now);
/* The author changes the body within COMMENT_EDIT_SECONDS; marks it edited. */
int comment_edit(struct db *db, int64_t id, int64_t user_id, const char *body, int64_t now,
		 struct field_errors *fe);
/* Soft deletion by the author or staff: the texts are cleared, the row stays
 * as a placeholder. Staff who delete someone else's comment give a public
 * reason (MODERATION_REASON_MIN..MAX characters, field "reason"; else
 * COMMENT_INVALID and nothing changes): it is shown in the comment's place
 * ("Removed by the un:box team: <reason>") and written to the audit row.
 * The author needs none (reason is ignored). Deleting twice changes nothing. */
int comment_delete(struct db *db, int64_t id, int64_t user_id, bool staff, const char *reason, int64_t now,
		   struct field_errors *fe);
/* "Removed by the un:box team: <reason>" in the language (de, else en). malloc'd. */
char *comment_removed_text(const char *lang, const char *reason);

/* Who is looking, to set can_edit and can_delete on each comment. */
struct comment_viewer {
	int64_t user_id;   /* 0: anonymous */
	bool staff;
	int64_t now;
	/* comment_threads for an HTML page: leaves out what only the JSON
	 * representation carries (<kind>_id, parent_id, url, body as written,
	 * last_activity_at, editable_until); comments.html shows the rest. */
	bool page;
};

/* Parses a cursor (a positive number); returns 0 ok, -1 malformed. */
int comment_cursor_parse(const char *s, int64_t *id);

/* The statement of comment_threads for a kind whose rows live in table and
 * count their comments in the column counter (struct target_kind's
 * comment_threads_sql): one page of threads and the first replies of each,
 * in one statement (one snapshot, one round trip). shown: the page's threads
 * ($1 target, $2 cursor, $3 page size, $6 the kind's name), each with upto,
 * the id of its ($4 + 1)th reply ($5 when it has fewer). Then the threads'
 * rows, starting from the target's own row so that the statement also says
 * whether there is such a target, its comment count and whether older
 * threads follow (a row of NULL comment columns when no thread is shown);
 * and their replies up to upto, read through the index on (parent_id, id)
 * so that a long thread costs no more than a short one. The columns are
 * COMMENT_FIELDS, the thread's activity_id, the count and "older threads
 * follow" (both NULL on replies). No ORDER BY: sorting these wide rows costs
 * SQLite more than ordering in C. */
#define COMMENT_FIELDS \
	"c.id, c.target_kind, c.target_id, c.parent_id, c.author_id, COALESCE(u.name, ''), COALESCE(u.role, ''), " \
	"c.body_md, c.body_html, c.created_at, c.edited_at, c.deleted_at, c.reply_count, c.last_activity_at, " \
	"c.activity_id, c.hidden_at, c.hidden_reason, c.deleted_reason"
#define COMMENT_AUTHOR_JOIN "LEFT JOIN users u ON u.id = c.author_id "
#define COMMENT_THREADS_SQL(table, counter) \
	"WITH shown AS (SELECT t.id, t.activity_id, COALESCE((SELECT r.id FROM comments r " \
	"    WHERE r.parent_id = t.id ORDER BY r.id LIMIT 1 OFFSET $4), $5) AS upto " \
	"  FROM comments t WHERE t.target_kind = $6 AND t.target_id = $1 AND t.parent_id IS NULL " \
	"    AND ($2 = 0 OR t.activity_id < $2) " \
	"  ORDER BY t.activity_id DESC LIMIT $3) " \
	"SELECT " COMMENT_FIELDS ", s.activity_id, i." counter ", " \
	"  CASE WHEN EXISTS (SELECT 1 FROM comments o WHERE o.target_kind = $6 AND o.target_id = $1 " \
	"    AND o.parent_id IS NULL AND o.activity_id < (SELECT MIN(activity_id) FROM shown)) THEN 1 ELSE 0 END " \
	"FROM " table " i LEFT JOIN shown s ON 1 = 1 LEFT JOIN comments c ON c.id = s.id " COMMENT_AUTHOR_JOIN \
	"WHERE i.id = $1 " \
	"UNION ALL " \
	"SELECT " COMMENT_FIELDS ", s.activity_id, NULL, NULL FROM shown s " \
	"  JOIN comments c ON c.parent_id = s.id AND c.id <= s.upto " COMMENT_AUTHOR_JOIN

/* A target's threads, newest activity first, each with its first
 * COMMENT_REPLIES_SHOWN replies and more_replies {count, hidden, url} when
 * it has more, all read with one statement. before: cursor from a previous
 * page (0 = first page). *out = {count, items, next: cursor or null,
 * limit}. 1, 0 when there is no such target, -1 when the database failed. */
int comment_threads(struct db *db, const char *lang, const struct target_kind *kind, int64_t target_id,
		    const struct comment_viewer *v, int64_t before, int limit, json_t **out);
/* All replies of the thread of comment id, oldest first, after a cursor.
 * *out = {thread, items, next, limit}: 1, 0 (no such comment) or -1. */
int comment_replies(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v, int64_t after,
		    int limit, json_t **out);
/* The newest comments of a target (threads and replies alike) that are
 * neither deleted nor hidden, newest first, at most limit: for its feed.
 * NULL when the database failed. */
json_t *comment_latest(struct db *db, const char *lang, const struct target_kind *kind, int64_t target_id,
		       int limit);
/* The target a comment belongs to: 1 with *kind (NULL for a kind not in
 * target_kinds_init's list) and *target_id, 0 (no such comment) or -1. */
int comment_target_of(struct db *db, int64_t id, const struct target_kind **kind, int64_t *target_id);
/* One comment (with <kind>_id and thread_id): 1, 0 or -1. */
int comment_get(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v, json_t **out);

/* The target kind "comment", for the moderation (domain/target.h). */
extern const struct target_kind comment_target;

#endif
