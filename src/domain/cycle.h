/* Cycles of the programme: number, annual theme, submission window and the
 * start dates of the four phases. Several cycles can run at once. */
#ifndef UNBOX_CYCLE_H
#define UNBOX_CYCLE_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"

struct cycle {
	int64_t number;
	const char *theme_de, *theme_en;
	int64_t submission_start, submission_end;
	int64_t phase_start[4], phase4_end;
};

/* Checks dates and texts; returns the number of problems added. */
int cycle_validate(const struct cycle *c, struct field_errors *fe);
/* Inserts or, for an existing number, updates. DB_OK or an error. */
int cycle_save(struct db *db, const struct cycle *c, int64_t *id);
/* The newest cycle whose submission window contains now; 0 when none. */
int64_t cycle_open_for_submission(struct db *db, int64_t now);
/* 0 before phase 1, 1..4 within, 5 after phase 4. */
int cycle_phase_at(const struct cycle *c, int64_t now);
/* [{number, theme, submission_open, phase: {number, key}, ...}] newest first. */
json_t *cycle_list(struct db *db, const char *lang, int64_t now);

extern const char *const cycle_phase_keys[6];  /* "before", "ideensammlung", ..., "done" */

#endif
