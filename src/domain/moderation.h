/* Moderation: people report a target (domain/target.h: an idea, a comment
 * …, any kind with set_hidden) with a reason; the team decides in a queue. Hiding keeps the row and shows a public reason in
 * place of the content ("Hidden by the moderation: ..."); unhiding brings it
 * back; "no violation" closes the reports and keeps the content. Blocking a
 * person ends all their sessions at once and refuses their logins.
 *
 * Every action is one transaction with an audit row and content_changed;
 * deciding closes every open report of the item and tells each reporter the
 * outcome through a notification (NOTIFY_MODERATION). The report rows keep
 * the outcome too (outcome, decided_at, decided_by). */
#ifndef UNBOX_MODERATION_H
#define UNBOX_MODERATION_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"
#include "domain/target.h"

#define MODERATION_REASON_MIN 10      /* characters, for reports and public reasons */
#define MODERATION_REASON_MAX 1000
#define MODERATION_PAGE_DEFAULT 20    /* reported items per page of the queue ... */
#define MODERATION_PAGE_MAX 50        /* ... and at most, on request */
#define MODERATION_REASONS_SHOWN 20   /* open reports listed with each item */
#define MODERATION_BLOCKED_MAX 100    /* blocked people listed on the queue page */
#define MODERATION_HISTORY_MAX 20     /* blocking decisions listed on a person's page */

enum moderation_rc {
	MOD_OK = 0,
	MOD_INVALID,     /* see the field errors ("reason") */
	MOD_NOT_FOUND,   /* no such target (deleted comments count as gone), report or person */
	MOD_DUPLICATE,   /* this person has an open report on the item already */
	MOD_HIDDEN,      /* the item is hidden already: nothing to report */
	MOD_MERGED,      /* the target was merged into another: nobody sees it any more */
	MOD_FORBIDDEN,   /* blocking oneself, or team blocking team or admin */
	MOD_ERROR,
};

/* A reason of MODERATION_REASON_MIN..MAX characters (field "reason"). Pure;
 * returns the number of problems added. */
int moderation_validate_reason(const char *reason, struct field_errors *fe);
/* "Hidden by the moderation: <reason>" in the language (de, else en). malloc'd. */
char *moderation_hidden_text(const char *lang, const char *reason);

/* A logged-in person reports a target. *report_id on MOD_OK. */
int moderation_report(struct db *db, const struct target_kind *kind, int64_t id, int64_t reporter_id,
		      const char *reason, int64_t now, struct field_errors *fe, int64_t *report_id);
/* Hides the target with a public reason (hiding again changes the reason);
 * closes its open reports as 'hidden'. *page_kind and *page_id: the page it
 * shows on (target_page). */
int moderation_hide(struct db *db, const struct target_kind *kind, int64_t id, int64_t actor_id, const char *reason,
		    int64_t now, struct field_errors *fe, const struct target_kind **page_kind, int64_t *page_id);
/* Shows the target again (nothing changes when it is not hidden). */
int moderation_unhide(struct db *db, const struct target_kind *kind, int64_t id, int64_t actor_id, int64_t now,
		      const struct target_kind **page_kind, int64_t *page_id);
/* No violation: closes the open reports of report_id's item as 'kept'
 * (nothing changes when that report is decided already). */
int moderation_resolve(struct db *db, int64_t report_id, int64_t actor_id, int64_t now);
/* Blocks (on) or unblocks a person, with a reason (field "reason",
 * MODERATION_REASON_MIN..MAX characters): kept with the account (the person
 * is told it when they try to log in) and in the audit row. Blocking ends
 * all their sessions. MOD_INVALID, MOD_NOT_FOUND (no such person, or a
 * deleted account), MOD_FORBIDDEN for oneself, and for team or admin unless
 * actor_admin. */
int moderation_block(struct db *db, int64_t user_id, int64_t actor_id, bool actor_admin, bool on, const char *reason,
		     int64_t now, struct field_errors *fe);
/* A person as the team sees them (the person's page): {id, name, role,
 * member_since, created_at, blocked, blocked_at, blocked_date,
 * blocked_reason, history [{action "user.block" | "user.unblock", reason,
 * by, at, date}] (the newest MODERATION_HISTORY_MAX)}: 1 with *out, 0 no
 * such person (or a deleted account), -1. */
int moderation_person(struct db *db, const char *lang, int64_t user_id, json_t **out);

/* Whether reporter_id has an open report on the target: 1, 0, -1 (failed). */
int moderation_reported(struct db *db, const struct target_kind *kind, int64_t id, int64_t reporter_id);

/* The queue: reported targets with open reports, the one with the oldest
 * open report first; after: that report's id from the previous page (0 =
 * first). {items: [{report_id, kind, target {kind, id}, comment_id (for a
 * comment), <page kind> and on_page {id, title, url}, url, content_html, hidden,
 * author {id, name, role, blocked} or null, report_count,
 * reasons [{id, reason, reporter, created_at, created_date}]}],
 * next: cursor or null, limit}; NULL when the database failed. A target of
 * a kind this program does not know is listed without its content. */
json_t *moderation_queue(struct db *db, const char *lang, int64_t after, int limit);
/* Blocked people, the most recently blocked first: [{id, name, blocked_at,
 * blocked_date, blocked_reason}]; NULL when the database failed. */
json_t *moderation_blocked_list(struct db *db, const char *lang);

/* For the comment list (domain/comment.c): a hidden comment loses its body
 * and gets hidden, hidden_reason and hidden_text; a logged-in viewer gets
 * "moderation" with the report form's URL, staff the hide or unhide URL. */
void moderation_comment_row(json_t *o, const char *lang, int64_t id, bool deleted, bool hidden, const char *reason,
			    int64_t viewer_id, bool staff);

#endif
