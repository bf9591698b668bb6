/* Comments on ideas: threads one level deep (a reply to a reply joins the
 * thread of the comment it answers), a Markdown subset, editing by the author
 * for 15 minutes, soft deletion by the author or staff. Counters are kept on
 * write: ideas.comment_count (comments not deleted), and per thread its
 * reply_count and last_activity_at, which orders the threads. */
#ifndef UNBOX_COMMENT_H
#define UNBOX_COMMENT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"

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
	COMMENT_NOT_FOUND,    /* no such idea or comment */
	COMMENT_FORBIDDEN,    /* not the author (nor staff, for deleting) */
	COMMENT_TOO_LATE,     /* the edit window has closed */
	COMMENT_DELETED,      /* a deleted comment cannot be edited */
	COMMENT_MERGED,       /* the idea was merged into another (also while this ran) */
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
	int64_t idea_id;
	int64_t thread_id;          /* the thread's first comment; id itself for a new thread */
	int64_t parent_author_id;   /* author of the comment answered; 0 for a new thread */
};

/* Adds a comment to an idea, or a reply when parent_id is not 0 (field
 * "parent": "invalid" when it names no live comment of that idea). One
 * transaction with the counters, an audit row and content_changed. */
int comment_add(struct db *db, int64_t idea_id, int64_t author_id, int64_t parent_id, const char *body,
		int64_t now, struct field_errors *fe, struct comment_added *out);
/* Whether user_id may edit comment id at now: COMMENT_OK, or NOT_FOUND,
 * FORBIDDEN (not the author), DELETED or TOO_LATE. */
int comment_may_edit(struct db *db, int64_t id, int64_t user_id, int64_t now);
/* The author changes the body within COMMENT_EDIT_SECONDS; marks it edited. */
int comment_edit(struct db *db, int64_t id, int64_t user_id, const char *body, int64_t now,
		 struct field_errors *fe);
/* Soft deletion by the author or staff: the texts are cleared, the row stays
 * as a placeholder. Deleting twice changes nothing. */
int comment_delete(struct db *db, int64_t id, int64_t user_id, bool staff, int64_t now);

/* Who is looking, to set can_edit and can_delete on each comment. */
struct comment_viewer {
	int64_t user_id;   /* 0: anonymous */
	bool staff;
	int64_t now;
	/* comment_threads for an HTML page: leaves out what only the JSON
	 * representation carries (idea_id, parent_id, url, body as written,
	 * last_activity_at, editable_until); comments.html shows the rest. */
	bool page;
};

/* Parses a cursor (a positive number); returns 0 ok, -1 malformed. */
int comment_cursor_parse(const char *s, int64_t *id);
/* An idea's threads, newest activity first, each with its first
 * COMMENT_REPLIES_SHOWN replies and more_replies {count, hidden, url} when
 * it has more, all read with one statement. before: cursor from a previous
 * page (0 = first page).
 * Returns {count, items, next: cursor or null, limit}, or NULL when there
 * is no such idea. */
json_t *comment_threads(struct db *db, const char *lang, int64_t idea_id, const struct comment_viewer *v,
			int64_t before, int limit);
/* All replies of the thread of comment id, oldest first, after a cursor.
 * Returns {thread, items, next, limit}, or NULL when there is no such comment. */
json_t *comment_replies(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v,
			int64_t after, int limit);
/* The newest comments of an idea (threads and replies alike) that are
 * neither deleted nor hidden, newest first, at most limit: for its feed. */
json_t *comment_latest(struct db *db, const char *lang, int64_t idea_id, int limit);
/* The idea a comment belongs to; 0 when there is no such comment. */
int64_t comment_idea_of(struct db *db, int64_t id);
/* One comment (with idea_id and thread_id), or NULL. */
json_t *comment_get(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v);

#endif
