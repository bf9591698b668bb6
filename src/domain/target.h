/* Targets: what the shared dialogue services work on. Comments, follows,
 * notifications, moderation and attachments name the thing they belong to
 * by (kind, id) — an idea or a cycle today, a project, an event, a news item
 * or a dataset tomorrow — and ask the kind what only its area knows: whether
 * the target is there, its title and page, and how its own row counts
 * comments or hides it. Each area defines its kinds (see
 * domain/dialogue/targets.h); src/areas.c lists them all and hands the list
 * to target_kinds_init at start-up, before any thread runs.
 *
 * Callbacks answer 1 (yes / done / found), 0 (no such target) or -1 (the
 * database failed). A kind leaves NULL what it does not take part in. */
#ifndef UNBOX_TARGET_H
#define UNBOX_TARGET_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

/* What a target's state callback answers besides 0 (none) and -1 (failed). */
enum target_state {
	TARGET_OPEN = 1,     /* there, visible */
	TARGET_HIDDEN = 2,   /* there, hidden by the moderation */
	TARGET_MERGED = 3,   /* merged into another target, which now takes its writes */
	TARGET_CLOSED = 4,   /* there and visible, but closed for good or for now (an idea
			      * archived or withdrawn): takes no new comments, supports
			      * or follows; what is on it can still be reported */
};

/* Whether a target in this state takes new contributions (comments,
 * supports, follows): only TARGET_OPEN does. */
static inline bool target_state_open(int state)
{
	return state == TARGET_OPEN;
}

struct target_kind {
	const char *name;   /* "idea": stored in target_kind columns; subjects "idea:42"; audit "idea.hide" */
	const char *path;   /* "/ideas/": the page of target 42 is /ideas/42 (NULL: no page of its own) */
	const char *routes; /* where the routes of the shared services start, when not at path:
			     * "/comments/" (/comments/7/report, /comments/7/hide) */
	/* TARGET_OPEN, _HIDDEN, _MERGED, _CLOSED, 0 or -1. With lock, inside a transaction,
	 * the row is read FOR SHARE on PostgreSQL, so a merge that holds it is
	 * waited for and seen. */
	int (*state)(struct db *db, int64_t id, bool lock);
	/* *out = {id, title, url} of the target (its page): 1, 0 or -1. */
	int (*ref)(struct db *db, int64_t id, json_t **out);

	/* ---- comments (NULL: takes none) ---- */
	/* The statement of comment_threads for the kind's table and comment
	 * counter: COMMENT_THREADS_SQL("ideas", "comment_count") (domain/comment.h). */
	const char *comment_threads_sql;
	/* Counts a comment added (delta 1) or deleted (-1) on the target's row,
	 * the last statement of the comment's transaction: 1, or 0 when the
	 * target takes no comments any more (merged, hidden or closed meanwhile,
	 * or gone), -1. */
	int (*comment_counted)(struct db *db, int64_t id, int delta, int64_t now);

	/* ---- notifications ---- */
	/* One row: the title of target $1 and the name of user $2, made with
	 * NOTIFY_TITLE_SQL (domain/notification.h); NULL when the data of every
	 * notification about this kind brings its title. */
	const char *notify_sql;

	/* The page a target shows on, when that is another target's (a
	 * comment: its idea): *kind and *page_id; 1, 0 or -1. NULL: its own. */
	int (*page)(struct db *db, int64_t id, const struct target_kind **kind, int64_t *page_id);

	/* ---- moderation (NULL: cannot be reported or hidden) ---- */
	/* Hides the target with a public reason, or shows it again (reason
	 * NULL): 1, 0 (no such target) or -1. */
	int (*set_hidden)(struct db *db, int64_t id, const char *reason, int64_t now);
	/* Fills a moderation queue item with what the team decides on: url,
	 * content_html (and summary), hidden, deleted, author {id, name, role,
	 * blocked}, and on_page and <page kind> {id, title, url}. 1, 0 or -1. */
	int (*moderation_item)(struct db *db, int64_t id, json_t *item);
};

#define TARGET_KINDS_MAX 16

/* The kinds every service may meet, NULL-terminated; kept, not copied. */
void target_kinds_init(const struct target_kind *const *kinds);
/* The kind of that name, or NULL. */
const struct target_kind *target_kind_find(const char *name);
/* "idea:42" into out. */
void target_subject(const struct target_kind *kind, int64_t id, char *out, size_t cap);
/* Where the routes of the shared services for a kind start (routes, else path). */
const char *target_routes(const struct target_kind *kind);
/* The page target (kind, id) shows on (its kind's page callback, else
 * itself): 1 with *page_kind and *page_id, 0 or -1. */
int target_page(struct db *db, const struct target_kind *kind, int64_t id, const struct target_kind **page_kind,
		int64_t *page_id);
/* Parses "idea:42" into its kind and id; false when the kind is unknown or
 * the id is not a positive number. */
bool target_parse_subject(const char *subject, const struct target_kind **kind, int64_t *id);

#endif
