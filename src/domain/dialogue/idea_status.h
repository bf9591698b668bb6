/* The life of an idea after it was handed in: the status workflow with its
 * history, the caretaker ("Kümmerer") the team assigns, and ideas the team
 * records on behalf of a resident (assisted submission).
 *
 *   submitted → in_dialogue → eligible | not_eligible;  eligible → prioritised → qualified
 *   withdrawn (by the author, while submitted or in_dialogue), archived (by the team)
 *
 * Who may do what is one pure function (idea_status_check); every change is
 * written with its history row, an audit row and the content version in one
 * transaction. */
#ifndef UNBOX_IDEA_STATUS_H
#define UNBOX_IDEA_STATUS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"
#include "domain/dialogue/idea.h"

#define STATUS_REASON_MIN 10
#define STATUS_REASON_MAX 1000
#define CARETAKER_PAGE_DEFAULT 20
#define CARETAKER_PAGE_MAX 100
#define CARETAKER_WAITING_MAX 20

/* The states, in workflow order; NULL-terminated. */
extern const char *const idea_statuses[];
#define IDEA_STATUS_COUNT 8

bool idea_status_valid(const char *status);
/* "Eingereicht" / "Submitted" ...; the status itself when unknown. */
const char *idea_status_label(const char *status, bool en);
/* True when a change to this state closes a door and needs a reason. */
bool idea_status_needs_reason(const char *to);
/* True for the states in which an idea takes no new comments, supports or
 * follows (archived, withdrawn); IDEA_STATUS_TAKES_PART is the same as SQL on
 * a row of ideas (with the moderation's hiding and merging beside it). */
bool idea_status_closed(const char *status);
#define IDEA_STATUS_TAKES_PART \
	"status NOT IN ('archived', 'withdrawn') AND hidden_at IS NULL AND merged_into IS NULL"


enum status_check {
	STATUS_ALLOWED = 0,
	STATUS_FORBIDDEN,     /* the role (or non-author) may never make a change to this state: 403 */
	STATUS_NOT_NOW,       /* the role may make it, but not from the current state (or to itself): 422 */
	STATUS_UNKNOWN,       /* from or to is no state: 422 */
};

/* May someone with role (and is_author for the idea's author) change an idea
 * from `from` to `to`? Pure. The rules:
 *  - team and admin move ideas along: submitted → in_dialogue, prioritised → qualified,
 *    and archive from any state but archived;
 *  - the committee decides: in_dialogue → eligible | not_eligible, eligible → prioritised;
 *  - the author withdraws their own idea while it is submitted or in_dialogue. */
enum status_check idea_status_check(const char *from, const char *to, const char *role, bool is_author);

/* The reason for a change: required (STATUS_REASON_MIN..MAX characters) when
 * the target closes a door, else optional (at most STATUS_REASON_MAX). Adds to fe. */
int idea_status_validate_reason(const char *to, const char *reason, struct field_errors *fe);

enum status_rc {
	STATUS_RC_OK = 0,
	STATUS_RC_NOT_FOUND,
	STATUS_RC_FORBIDDEN,
	STATUS_RC_INVALID,      /* fe says why (status or reason) */
	STATUS_RC_ERROR,
};

/* Changes the idea's status after checking the rules against its current
 * state inside the transaction; writes the history row, an audit row, bumps
 * last_activity_at and the content version, and notifies followers. */
int idea_status_change(struct db *db, int64_t idea_id, int64_t actor_id, const char *actor_role,
		       const char *to, const char *reason, int64_t now, struct field_errors *fe);

/* The checks of idea_status_change without changing anything, for a
 * confirmation page: the same answer idea_status_change would give now. */
int idea_status_may_change(struct db *db, int64_t idea_id, int64_t actor_id, const char *actor_role,
			   const char *to, const char *reason, struct field_errors *fe);
/* For demo content, inside the caller's transaction: the idea moves from
 * `from` to `to` at time at as idea_status_change records it (history,
 * audit, followers), without its checks. DB_OK, DB_CONSTRAINT when the idea
 * is not in `from`, or an error. */
int idea_status_record_in_tx(struct db *db, int64_t idea_id, int64_t actor_id, const char *actor_role,
			     bool by_author, const char *from, const char *to, const char *reason, int64_t at);

/* The way back from "archived": the team reopens the idea with a public
 * reason (STATUS_REASON_MIN..MAX characters, field "reason"), and it gets
 * back the status it had when it was archived (*to), with a history row
 * (from "archived"), an audit row "idea.reopen" and a notification to its
 * followers. STATUS_RC_FORBIDDEN for anyone but the team; INVALID with
 * "status" "not_now" when the idea is not archived. */
int idea_status_reopen(struct db *db, int64_t idea_id, int64_t actor_id, const char *actor_role, const char *reason,
		       int64_t now, struct field_errors *fe, char to[24]);
/* The status an archived idea gets back when it is reopened: the one it had
 * before it was archived ("submitted" when the history does not say). 1, or
 * -1 when the database failed. */
int idea_status_reopen_to(struct db *db, int64_t idea_id, char to[24]);

/* The public timeline, oldest first (at most 100): [{id, from, to,
 * from_label, to_label, at, date, who, reason, reopened (from "archived")}]; NULL when the database
 * failed. who is the actor's display name with the role's label for staff
 * and committee, "Ideengeber:in"/"Idea author" for the author. */
json_t *idea_status_timeline(struct db *db, const char *lang, int64_t idea_id);
/* The states this person may move the idea to now: [{value, label}]. */
json_t *idea_status_options(const char *from, const char *role, bool is_author, const char *lang);

/* ---- caretakers ---- */

/* The idea's author (0 none), status and caretaker (0 none), each pointer
 * may be NULL: 1 found, 0 there is no such idea, -1 the database failed. */
int idea_status_facts(struct db *db, int64_t idea_id, int64_t *author_id, char status[24],
		      int64_t *caretaker_id);
/* The idea's caretaker: 1 with *out {id, name}, 0 with *out JSON null when
 * it has none (or there is no such idea), -1 when the database failed (*out
 * NULL). */
int caretaker_of(struct db *db, int64_t idea_id, json_t **out);
/* Team members who can take care of ideas (team and admin, not blocked):
 * [{id, name}]; NULL when the database failed. */
json_t *caretaker_candidates(struct db *db);
/* Assigns (caretaker_id > 0) or clears (0) the caretaker. caretaker must be a
 * team member: fe gets "caretaker" "invalid" otherwise. STATUS_RC_ERROR when
 * the database failed. */
int caretaker_assign(struct db *db, int64_t idea_id, int64_t actor_id, int64_t caretaker_id, int64_t now,
		     struct field_errors *fe);
/* The caretaker's ideas, most recently active first, keyset-paged by the
 * cursor "T.ID" (activity time and id): {items: [{...idea item, phase,
 * last_activity_at, last_activity_date}], next, limit}; NULL when the
 * database failed. */
json_t *caretaker_ideas(struct db *db, const char *lang, int64_t caretaker_id, int64_t before_t,
			int64_t before_id, int limit, int64_t now);
/* What waits for the caretaker: their ideas still submitted with no status
 * change yet, oldest first, at most CARETAKER_WAITING_MAX: {items, total};
 * NULL when the database failed. */
json_t *caretaker_waiting(struct db *db, const char *lang, int64_t caretaker_id, int64_t now);

/* ---- assisted submission ---- */

struct assisted_input {
	struct idea_input idea;
	const char *channel;          /* paper, event, meinungsmobil, campaign */
	const char *campaign;         /* campaign code, required for campaign */
	const char *resident_name;
	const char *resident_email;   /* optional */
	bool consent;                 /* the resident agreed to publication */
};

extern const char *const assisted_channels[];   /* NULL-terminated */
/* Everything but the database lookups; returns the number of problems added. */
int assisted_validate(const struct assisted_input *in, struct field_errors *fe);
/* Stores the idea in the cycle open for submission (IDEA_CLOSED when none),
 * with channel, consent, resident and who recorded it, and an audit row, in
 * one transaction. Returns an enum idea_rc. */
int assisted_submit(struct db *db, int64_t recorded_by, const struct assisted_input *in, int64_t now,
		    struct field_errors *fe, int64_t *id);

#endif
