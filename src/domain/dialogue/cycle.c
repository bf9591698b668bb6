#include "domain/dialogue/cycle.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/content.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400

const char *const cycle_phase_keys[6] = { "before", "ideensammlung", "projektkonkretisierung",
					  "massnahmenqualifizierung", "umsetzung", "done" };

static const char *const phase_names[2][4] = {
	{ "Ideensammlung", "Projektkonkretisierung", "Maßnahmenqualifizierung", "Umsetzung" },
	{ "Collecting ideas", "Making projects concrete", "Qualifying measures", "Building the prototype" },
};

static int64_t or_default(int64_t v, int64_t def)
{
	return v == 0 ? def : v;
}

int cycle_validate(const struct cycle *c, struct field_errors *fe)
{
	size_t before = fe->count;
	if (c->number < 1 || c->number > 1000)
		field_error(fe, "number", "invalid");
	check_text(fe, "theme_de", c->theme_de, CYCLE_THEME_MIN, CYCLE_THEME_MAX, 0);
	check_text(fe, "theme_en", c->theme_en, CYCLE_THEME_MIN, CYCLE_THEME_MAX, 0);
	if (c->submission_start <= 0 || c->submission_end <= c->submission_start)
		field_error(fe, "submission_end", "before_start");
	else if (c->phase_start[0] > 0 && c->phase_start[1] > c->phase_start[0] &&
		 (c->submission_start < c->phase_start[0] || c->submission_end > c->phase_start[1]))
		field_error(fe, "submission_start", "outside_phase1");
	for (int i = 1; i < 4; i++)
		if (c->phase_start[i] < c->phase_start[i - 1])
			field_error(fe, "phases", "out_of_order");
	if (c->phase4_end < c->phase_start[3])
		field_error(fe, "phases", "out_of_order");
	if (c->funding_cap_eur < 0 || c->funding_cap_eur > CYCLE_FUNDING_CAP_MAX)
		field_error(fe, "funding_cap_eur", "out_of_range");
	if (c->target_projects < 0 || c->target_projects > CYCLE_TARGET_MAX)
		field_error(fe, "target_projects", "out_of_range");
	if (c->prototype_months < 0 || c->prototype_months > CYCLE_MONTHS_MAX)
		field_error(fe, "prototype_months", "out_of_range");
	return (int)(fe->count - before);
}

static int bind_cycle(struct db_stmt *st, const struct cycle *c, int64_t now)
{
	return db_bind(st, "issiiiiiiiiiii", c->number, c->theme_de, c->theme_en, c->submission_start,
		       c->submission_end, c->phase_start[0], c->phase_start[1], c->phase_start[2],
		       c->phase_start[3], c->phase4_end,
		       or_default(c->funding_cap_eur, CYCLE_FUNDING_CAP_DEFAULT),
		       or_default(c->target_projects, CYCLE_TARGET_DEFAULT),
		       or_default(c->prototype_months, CYCLE_MONTHS_DEFAULT), now);
}

int cycle_save(struct db *db, const struct cycle *c, int64_t *id)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO cycles (number, theme_de, theme_en, submission_start, submission_end, "
		"  phase1_start, phase2_start, phase3_start, phase4_start, phase4_end, "
		"  funding_cap_eur, target_projects, prototype_months, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
		"ON CONFLICT (number) DO UPDATE SET theme_de = $2, theme_en = $3, submission_start = $4, "
		"  submission_end = $5, phase1_start = $6, phase2_start = $7, phase3_start = $8, "
		"  phase4_start = $9, phase4_end = $10, funding_cap_eur = $11, target_projects = $12, "
		"  prototype_months = $13, updated_at = $14 "
		"RETURNING id");
	if (!st)
		return DB_ERROR;
	int rc = bind_cycle(st, c, clock_now());
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_int(st, 0);
		rc = DB_OK;
	}
	db_done(st);
	return rc;
}

/* The rest of a write: audit row, content version, commit; rolls back on error. */
static int finish(struct db *db, int rc, int64_t actor, const char *action, int64_t id, int64_t number)
{
	char subject[32], detail[32];
	snprintf(subject, sizeof subject, "cycle:%" PRId64, id);
	snprintf(detail, sizeof detail, "number %" PRId64, number);
	if (rc == DB_OK)
		rc = audit_add(db, actor, action, subject, detail);
	if (rc == DB_OK)
		rc = content_changed(db);     /* the start page and idea pages show cycles */
	if (rc != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return CYCLE_ERROR;
	}
	return CYCLE_OK;
}

int cycle_create(struct db *db, int64_t actor, const struct cycle *c, int64_t now,
		 struct field_errors *fe, int64_t *id)
{
	if (cycle_validate(c, fe))
		return CYCLE_INVALID;
	if (db_begin(db) != DB_OK)
		return CYCLE_ERROR;
	int64_t other;
	int taken = db_find_int(db, &other, "SELECT id FROM cycles WHERE number = $1", "i", c->number);
	if (taken) {
		db_rollback(db);
		if (taken < 0)
			return CYCLE_ERROR;
		field_error(fe, "number", "taken");
		return CYCLE_INVALID;
	}
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO cycles (number, theme_de, theme_en, submission_start, submission_end, "
		"  phase1_start, phase2_start, phase3_start, phase4_start, phase4_end, "
		"  funding_cap_eur, target_projects, prototype_months, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id");
	int rc = DB_ERROR;
	if (st && bind_cycle(st, c, now) == DB_OK) {
		rc = db_step(st);
		if (rc == DB_ROW) {
			*id = db_int(st, 0);
			rc = DB_OK;
		}
	}
	db_done(st);
	return finish(db, rc, actor, "cycle.create", *id, c->number);
}

int cycle_update(struct db *db, int64_t actor, int64_t id, const struct cycle *c, int64_t now,
		 struct field_errors *fe)
{
	if (cycle_validate(c, fe))
		return CYCLE_INVALID;
	if (db_begin(db) != DB_OK)
		return CYCLE_ERROR;
	int64_t other;
	int exists = db_find_int(db, &other, "SELECT 1 FROM cycles WHERE id = $1", "i", id);
	int taken = exists > 0 ? db_find_int(db, &other, "SELECT id FROM cycles WHERE number = $1 AND id <> $2", "ii",
					     c->number, id) : 0;
	if (exists <= 0 || taken) {
		db_rollback(db);
		if (exists < 0 || taken < 0)
			return CYCLE_ERROR;
		if (!exists)
			return CYCLE_NOT_FOUND;
		field_error(fe, "number", "taken");
		return CYCLE_INVALID;
	}
	struct db_stmt *st = db_prepare(db,
		"UPDATE cycles SET number = $1, theme_de = $2, theme_en = $3, submission_start = $4, "
		"  submission_end = $5, phase1_start = $6, phase2_start = $7, phase3_start = $8, "
		"  phase4_start = $9, phase4_end = $10, funding_cap_eur = $11, target_projects = $12, "
		"  prototype_months = $13, updated_at = $14 WHERE id = $15");
	int rc = DB_ERROR;
	if (st && bind_cycle(st, c, now) == DB_OK && db_bind_int(st, 15, id) == DB_OK)
		rc = db_step(st);
	db_done(st);
	return finish(db, rc, actor, "cycle.update", id, c->number);
}

int64_t cycle_open_for_submission(struct db *db, int64_t now)
{
	int64_t id;
	int found = db_find_int(db, &id, "SELECT id FROM cycles WHERE submission_start <= $1 AND submission_end > $1 "
					  "ORDER BY number DESC LIMIT 1", "i", now);
	return found < 0 ? -1 : id;
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

/* 50000 as "50.000 €" (de) or "€50,000" (en). */
static void format_euros(int64_t v, bool en, char *out, size_t cap)
{
	char digits[32], grouped[48];
	snprintf(digits, sizeof digits, "%" PRId64, v < 0 ? 0 : v);
	size_t n = strlen(digits), j = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			grouped[j++] = en ? ',' : '.';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	if (en)
		snprintf(out, cap, "€%s", grouped);
	else
		snprintf(out, cap, "%s €", grouped);
}

static void iso_date(int64_t t, char *out, size_t cap)
{
	char iso[32];
	clock_format_iso(t, iso, sizeof iso);
	snprintf(out, cap, "%.10s", iso);
}

#define CYCLE_COLS \
	"id, number, theme_de, theme_en, submission_start, submission_end, phase1_start, " \
	"phase2_start, phase3_start, phase4_start, phase4_end, funding_cap_eur, target_projects, " \
	"prototype_months"
enum { CYCLE_ID, CYCLE_NUMBER, CYCLE_THEME_DE, CYCLE_THEME_EN, CYCLE_SUBMISSION_START, CYCLE_SUBMISSION_END,
       CYCLE_PHASE1_START, CYCLE_PHASE2_START, CYCLE_PHASE3_START, CYCLE_PHASE4_START, CYCLE_PHASE4_END,
       CYCLE_FUNDING_CAP_EUR, CYCLE_TARGET_PROJECTS, CYCLE_PROTOTYPE_MONTHS };

/* The calendar day of t as ISO 8601 ("2026-09-01"), beside the formatted dates. */
static json_t *iso_day(int64_t t)
{
	char iso[32];
	clock_format_iso(t, iso, sizeof iso);
	return json_stringn(iso, 10);
}

static json_t *cycle_row(struct db_stmt *st, const char *lang, int64_t now, bool full)
{
	bool en = lang && strcmp(lang, "en") == 0;
	struct cycle c = { .number = db_int(st, CYCLE_NUMBER), .submission_start = db_int(st, CYCLE_SUBMISSION_START),
			   .submission_end = db_int(st, CYCLE_SUBMISSION_END), .phase4_end = db_int(st, CYCLE_PHASE4_END) };
	for (int i = 0; i < 4; i++)
		c.phase_start[i] = db_int(st, CYCLE_PHASE1_START + i);
	int64_t id = db_int(st, CYCLE_ID);
	int phase = cycle_phase_at(&c, now);
	char from[32], until[32], url[48], money[64];
	clock_format_date(c.submission_start, lang, from, sizeof from);
	clock_format_date(c.submission_end - 1, lang, until, sizeof until);
	snprintf(url, sizeof url, "/cycles/%" PRId64, id);
	json_t *phases = json_array();
	for (int i = 0; i < 4; i++) {
		char d[32], e[32];
		int64_t end = i < 3 ? c.phase_start[i + 1] : c.phase4_end;
		clock_format_date(c.phase_start[i], lang, d, sizeof d);
		clock_format_date(end > c.phase_start[i] ? end - 1 : end, lang, e, sizeof e);
		json_t *p = json_object();
		jset_int(p, "number", i + 1);
		jset_str(p, "key", cycle_phase_keys[i + 1]);
		jset_str(p, "name", phase_names[en][i]);
		jset_str(p, "start", d);
		jset_str(p, "end", e);
		jset(p, "starts_on", iso_day(c.phase_start[i]));
		jset(p, "ends_on", iso_day(end > c.phase_start[i] ? end - 1 : end));
		jset(p, "current", json_boolean(phase == i + 1));
		json_array_append_new(phases, p);
	}
	json_t *o = json_object();
	jset_int(o, "id", id);
	jset_int(o, "number", c.number);
	jset_str(o, "url", url);
	jset_str(o, "theme", db_text(st, en ? CYCLE_THEME_EN : CYCLE_THEME_DE));
	jset(o, "submission_open", json_boolean(now >= c.submission_start && now < c.submission_end));
	jset_str(o, "submission_from", from);
	jset_str(o, "submission_until", until);
	jset(o, "submission_starts_on", iso_day(c.submission_start));
	jset(o, "submission_ends_on", iso_day(c.submission_end - 1));
	jset(o, "phase", json_pack("{si ss}", "number", phase, "key", cycle_phase_keys[phase]));
	jset(o, "phases", phases);
	format_euros(db_int(st, CYCLE_FUNDING_CAP_EUR), en, money, sizeof money);
	jset_int(o, "funding_cap_eur", db_int(st, CYCLE_FUNDING_CAP_EUR));
	jset_str(o, "funding_cap", money);
	jset_int(o, "target_projects", db_int(st, CYCLE_TARGET_PROJECTS));
	jset_int(o, "prototype_months", db_int(st, CYCLE_PROTOTYPE_MONTHS));
	if (full) {
		jset_str(o, "theme_de", db_text(st, CYCLE_THEME_DE));
		jset_str(o, "theme_en", db_text(st, CYCLE_THEME_EN));
		/* the dates in the order of their columns, submission_start to phase4_end */
		static const char *const keys[] = { "submission_start", "submission_end", "phase1_start",
						    "phase2_start", "phase3_start", "phase4_start", "phase4_end" };
		json_t *dates = json_object();
		for (int i = 0; i < 7; i++) {
			int col = CYCLE_SUBMISSION_START + i;
			int64_t t = db_int(st, col);
			char d[16];
			/* ends are stored exclusive and shown as the last day */
			iso_date(col == CYCLE_SUBMISSION_END || col == CYCLE_PHASE4_END ? t - DAY : t, d, sizeof d);
			jset_str(dates, keys[i], d);
		}
		jset(o, "dates", dates);
	}
	return o;
}

int cycle_number_exists(struct db *db, int64_t number)
{
	int64_t one;
	return db_find_int(db, &one, "SELECT 1 FROM cycles WHERE number = $1", "i", number);
}

json_t *cycle_list(struct db *db, const char *lang, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT " CYCLE_COLS " FROM cycles ORDER BY number DESC LIMIT 50");
	if (!st)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(out, cycle_row(st, lang, now, false));
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int cycle_get(struct db *db, const char *lang, int64_t id, int64_t now, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_prepare(db, "SELECT " CYCLE_COLS " FROM cycles WHERE id = $1");
	if (!st)
		return -1;
	int rc = db_bind(st, "i", id);
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW)
		*out = cycle_row(st, lang, now, true);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}
