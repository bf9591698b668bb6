#include "domain/cycle.h"
#include "core/clock.h"
#include <string.h>

const char *const cycle_phase_keys[6] = { "before", "ideensammlung", "projektkonkretisierung",
					  "massnahmenqualifizierung", "umsetzung", "done" };

static const char *const phase_names[2][4] = {
	{ "Ideensammlung", "Projektkonkretisierung", "Maßnahmenqualifizierung", "Umsetzung" },
	{ "Collecting ideas", "Making projects concrete", "Qualifying measures", "Building the prototype" },
};

int cycle_validate(const struct cycle *c, struct field_errors *fe)
{
	size_t before = fe->count;
	if (c->number < 1 || c->number > 1000)
		field_error(fe, "number", "invalid");
	check_text(fe, "theme_de", c->theme_de, 3, 200, 0);
	check_text(fe, "theme_en", c->theme_en, 3, 200, 0);
	if (c->submission_start <= 0 || c->submission_end <= c->submission_start)
		field_error(fe, "submission_end", "before_start");
	for (int i = 1; i < 4; i++)
		if (c->phase_start[i] < c->phase_start[i - 1])
			field_error(fe, "phases", "out_of_order");
	if (c->phase4_end < c->phase_start[3])
		field_error(fe, "phases", "out_of_order");
	return (int)(fe->count - before);
}

int cycle_save(struct db *db, const struct cycle *c, int64_t *id)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO cycles (number, theme_de, theme_en, submission_start, submission_end, "
		"  phase1_start, phase2_start, phase3_start, phase4_start, phase4_end) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
		"ON CONFLICT (number) DO UPDATE SET theme_de = $2, theme_en = $3, submission_start = $4, "
		"  submission_end = $5, phase1_start = $6, phase2_start = $7, phase3_start = $8, "
		"  phase4_start = $9, phase4_end = $10 "
		"RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind(st, "issiiiiiii", c->number, c->theme_de, c->theme_en, c->submission_start,
		c->submission_end, c->phase_start[0], c->phase_start[1], c->phase_start[2],
		c->phase_start[3], c->phase4_end);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_int(st, 0);
		rc = DB_OK;
	}
	db_done(st);
	return rc;
}

int64_t cycle_open_for_submission(struct db *db, int64_t now)
{
	return db_one_int(db, 0, "SELECT id FROM cycles WHERE submission_start <= $1 AND submission_end > $1 "
				 "ORDER BY number DESC LIMIT 1", "i", now);
}

int cycle_phase_at(const struct cycle *c, int64_t now)
{
	if (now < c->phase_start[0])
		return 0;
	if (now >= c->phase4_end)
		return 5;
	int p = 1;
	for (int i = 1; i < 4; i++)
		if (now >= c->phase_start[i])
			p = i + 1;
	return p;
}

json_t *cycle_list(struct db *db, const char *lang, int64_t now)
{
	json_t *out = json_array();
	struct db_stmt *st = db_prepare(db,
		"SELECT id, number, theme_de, theme_en, submission_start, submission_end, phase1_start, "
		"phase2_start, phase3_start, phase4_start, phase4_end FROM cycles ORDER BY number DESC LIMIT 50");
	bool en = lang && strcmp(lang, "en") == 0;
	while (st && db_step(st) == DB_ROW) {
		struct cycle c = { .number = db_int(st, 1), .submission_start = db_int(st, 4),
				   .submission_end = db_int(st, 5), .phase4_end = db_int(st, 10) };
		for (int i = 0; i < 4; i++)
			c.phase_start[i] = db_int(st, 6 + i);
		int phase = cycle_phase_at(&c, now);
		char from[32], until[32];
		clock_format_date(c.submission_start, lang, from, sizeof from);
		clock_format_date(c.submission_end - 1, lang, until, sizeof until);
		json_t *phases = json_array();
		for (int i = 0; i < 4; i++) {
			char d[32];
			clock_format_date(c.phase_start[i], lang, d, sizeof d);
			json_array_append_new(phases, json_pack("{si ss ss ss sb}", "number", i + 1,
				"key", cycle_phase_keys[i + 1], "name", phase_names[en][i], "start", d,
				"current", phase == i + 1));
		}
		json_array_append_new(out, json_pack("{sI sI ss sb ss ss s{si ss} so}",
			"id", (json_int_t)db_int(st, 0), "number", (json_int_t)c.number,
			"theme", db_text(st, en ? 3 : 2),
			"submission_open", now >= c.submission_start && now < c.submission_end,
			"submission_from", from, "submission_until", until,
			"phase", "number", phase, "key", cycle_phase_keys[phase], "phases", phases));
	}
	db_done(st);
	return out;
}
