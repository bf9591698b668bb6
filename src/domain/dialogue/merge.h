/* Duplicates: finding ideas similar to one being written, and merging a
 * duplicate into another idea.
 *
 * SIMILAR IDEAS. The words of title and summary (as search.h cuts them, at
 * most SIMILAR_TEXT_MAX characters, words of one or two characters left out,
 * at most SIMILAR_WORDS_MAX different words) are each looked up in the
 * full-text index on their own (German stems and stop words as in search.h),
 * among the ideas that are neither hidden nor merged. A word found in no
 * idea, in more than SIMILAR_COMMON ideas, or in exactly the same ideas as an
 * earlier word (another form of the same stem) counts no further. Each word
 * left weighs by how rare it is: ln((N + 1) / n), N the ideas searched, n
 * those with the word. An idea's score is the sum of the weights of its
 * words; ideas reaching SIMILAR_SHARE of the sum of all weights are similar,
 * the highest score first, equal scores newest id first. Everything after the
 * lookups is computed here from the ids found, so both backends give the
 * same list. Any idea with one of the words (OR semantics) may qualify.
 *
 * MERGING. The team merges a duplicate into a target idea, with a reason, in
 * one transaction: supports and followers move to the target (someone who
 * supported both counts once; the counters are set from the rows), the
 * comments move with their threads (comment counts kept), ideas merged into
 * the duplicate earlier now point to the target, the duplicate is marked
 * merged_into (its workflow status stays as it was), both ideas get a
 * history row (to_status "merged" on the duplicate, "merged_in" on the
 * target; the reason names the other idea), an audit row, a notification to
 * the author of each idea, and the content version changes. */
#ifndef UNBOX_MERGE_H
#define UNBOX_MERGE_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"

#define SIMILAR_MAX 5             /* similar ideas shown */
#define SIMILAR_TEXT_MAX 200      /* characters of title and summary looked at */
#define SIMILAR_WORDS_MAX 16
#define SIMILAR_COMMON 1000
#define SIMILAR_SHARE 0.2
#define MERGE_REASON_MIN 10
#define MERGE_REASON_MAX 1000

/* Whether title and summary (either may be NULL) can be looked up: valid
 * UTF-8 text without control characters. */
bool similar_text_valid(const char *title, const char *summary);
/* Up to limit (1..SIMILAR_MAX) ideas similar to title and summary (either
 * may be NULL or empty), leaving out the idea exclude (0: none):
 * {items: [... idea_list items], limit, max_limit}. NULL when the database
 * fails (or the text is not valid: check similar_text_valid first). */
json_t *similar_ideas(struct db *db, const char *lang, const char *title, const char *summary,
		      int64_t exclude, int limit);

enum merge_rc {
	MERGE_OK = 0,
	MERGE_NOT_FOUND,      /* no such idea (the duplicate) */
	MERGE_INVALID,        /* fe says why: target required | invalid | self | not_found | merged; reason */
	MERGE_ALREADY,        /* the duplicate was merged before */
	MERGE_ERROR,
};

/* Parses the target ("12", "#12" or "/ideas/12"); 0 when it is none. Pure. */
int64_t merge_target_parse(const char *s);

/* Merges idea id into target_id (see MERGING). actor_role is recorded in the
 * history; the caller has checked that the actor is team or admin. */
int idea_merge(struct db *db, int64_t id, int64_t target_id, int64_t actor_id, const char *actor_role,
	       const char *reason, int64_t now, struct field_errors *fe);

/* The idea id was merged into: its id, 0 when it was not merged (or does not
 * exist), -1 when the database failed. */
int64_t merge_target_of(struct db *db, int64_t id);
/* The ideas merged into id, oldest merge first (at most 50): [{id, title,
 * url}]; NULL when the database failed. */
json_t *merge_sources(struct db *db, int64_t id);

#endif
