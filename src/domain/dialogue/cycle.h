/* Cycles of the programme: number, annual theme, submission window, the
 * start dates of the four phases, the funding cap per project, the target
 * number of projects and the prototype duration. Several cycles can run at
 * once. The team creates and edits them (cycle_create, cycle_update). */
#ifndef UNBOX_CYCLE_H
#define UNBOX_CYCLE_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"

#define CYCLE_FUNDING_CAP_DEFAULT 50000    /* euros per project */
#define CYCLE_FUNDING_CAP_MAX 10000000
#define CYCLE_TARGET_DEFAULT 15
#define CYCLE_TARGET_MAX 15
#define CYCLE_MONTHS_DEFAULT 6
#define CYCLE_MONTHS_MAX 24
#define CYCLE_THEME_MIN 3                  /* characters of the annual theme, in each language */
#define CYCLE_THEME_MAX 200

struct cycle {
	int64_t number;
	const char *theme_de, *theme_en;
	int64_t submission_start, submission_end;    /* end exclusive */
	int64_t phase_start[4], phase4_end;          /* phase4_end exclusive */
	/* 0 = the default above; a negative value stands for input that was no number */
	int64_t funding_cap_eur, target_projects, prototype_months;
};

enum cycle_rc { CYCLE_OK = 0, CYCLE_INVALID, CYCLE_NOT_FOUND, CYCLE_ERROR };

/* Checks numbers, dates and texts; returns the number of problems added.
 * The submission window must lie within phase 1 (Ideensammlung). */
int cycle_validate(const struct cycle *c, struct field_errors *fe);
/* Inserts or, for an existing number, updates (demo content). DB_OK or an error. */
int cycle_save(struct db *db, const struct cycle *c, int64_t *id);
/* The team's forms: validate, store with an audit row, in one transaction.
 * A number another cycle has is the field error number/taken. */
int cycle_create(struct db *db, int64_t actor, const struct cycle *c, int64_t now,
		 struct field_errors *fe, int64_t *id);
int cycle_update(struct db *db, int64_t actor, int64_t id, const struct cycle *c, int64_t now,
		 struct field_errors *fe);
/* The newest cycle whose submission window contains now; 0 when none, -1
 * when the database failed. */
int64_t cycle_open_for_submission(struct db *db, int64_t now);
/* 0 before phase 1, 1..4 within, 5 after phase 4. */
int cycle_phase_at(const struct cycle *c, int64_t now);
/* [{id, number, theme, submission_open, phase: {number, key}, phases, funding_cap_eur, ...}]
 * newest first (at most 50); NULL when the database failed. */
json_t *cycle_list(struct db *db, const char *lang, int64_t now);
/* 1 when a cycle has this number, 0 when none has, -1 when the database failed. */
int cycle_number_exists(struct db *db, int64_t number);
/* One cycle as in the list, with both themes, each phase's start and end, and
 * "dates" (YYYY-MM-DD, ends inclusive) for the edit form: 1 found (*out, one
 * reference), 0 there is no such cycle, -1 the database failed (*out NULL). */
int cycle_get(struct db *db, const char *lang, int64_t id, int64_t now, json_t **out);

extern const char *const cycle_phase_keys[6];  /* "before", "ideensammlung", ..., "done" */

#endif
