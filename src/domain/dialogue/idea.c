#include "domain/dialogue/idea.h"
#include "domain/dialogue/targets.h"
#include "domain/dialogue/idea_details.h"
#include "domain/dialogue/idea_status.h"
#include "domain/dialogue/coauthor.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/dialogue/field.h"
#include "domain/follow.h"
#include "domain/notification.h"
#include "domain/dialogue/cycle.h"
#include "domain/markdown.h"
#include "domain/moderation.h"
#include "domain/place.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int idea_validate_text(const struct idea_input *in, struct field_errors *fe)
{
	size_t before = fe->count;
	check_text(fe, "title", in->title, IDEA_TITLE_MIN, IDEA_TITLE_MAX, 0);
	check_text(fe, "summary", in->summary, IDEA_SUMMARY_MIN, IDEA_SUMMARY_MAX, 1);
	check_text(fe, "description", in->description, IDEA_DESCRIPTION_MIN, IDEA_DESCRIPTION_MAX, 1);
	return (int)(fe->count - before);
}

/* Resolves the field slug and the Stadtteil number; records problems.
 * Returns 0, or -1 when the database failed on a lookup. */
static int resolve(struct db *db, const struct idea_input *in, struct field_errors *fe,
		   int64_t *field, int64_t *teil, int64_t *bezirk)
{
	*field = field_id(db, in->field);
	if (*field < 0)
		return -1;
	if (!in->field || !*in->field)
		field_error(fe, "field", "required");
	else if (!*field)
		field_error(fe, "field", "invalid");
	char *end = NULL;
	*teil = in->stadtteil ? strtoll(in->stadtteil, &end, 10) : 0;
	int found = 1;
	if (!in->stadtteil || !*in->stadtteil) {
		if (!in->lat || !*in->lat)     /* a point on the map gives the Stadtteil */
			field_error(fe, "stadtteil", "required");
	}
	else if (*end || !(found = place_stadtteil(db, *teil, bezirk)))
		field_error(fe, "stadtteil", "invalid");
	return found < 0 ? -1 : 0;
}

static int insert(struct db *db, int64_t cycle, int64_t author, const struct idea_input *in,
		  int64_t field, int64_t teil, int64_t bezirk, int64_t created, int64_t *id)
{
	char *html = markdown_to_html(in->description, strlen(in->description));
	if (!html)
		return DB_ERROR;
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO ideas (cycle_id, author_id, title, summary, description_md, description_html, "
		"  field_id, bezirk_nr, stadtteil_nr, status, created_at, updated_at, last_activity_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'submitted', $10, $10, $10) RETURNING id");
	int rc = st ? db_bind(st, "iissssiiii", cycle, author, in->title, in->summary, in->description, html,
			      field, bezirk, teil, created) : DB_ERROR;
	if (rc == DB_OK && !author)
		rc = db_bind_null(st, 2);
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_int(st, 0);
		rc = DB_OK;
	}
	db_done(st);
	free(html);
	return rc;
}

int idea_submit(struct db *db, int64_t author_id, const struct idea_input *in, int64_t now,
		struct field_errors *fe, int64_t *id)
{
	int64_t field, teil, bezirk = 0;
	struct idea_details d;
	idea_validate_text(in, fe);
	if (resolve(db, in, fe, &field, &teil, &bezirk) < 0 ||
	    idea_details_resolve(db, in, in->author_email, fe, &d, &teil, &bezirk) < 0)
		return IDEA_ERROR;
	if (fe->count)
		return IDEA_INVALID;
	int64_t cycle = cycle_open_for_submission(db, now);
	if (cycle <= 0)
		return cycle < 0 ? IDEA_ERROR : IDEA_CLOSED;
	if (db_begin(db) != DB_OK)
		return IDEA_ERROR;
	char subject[32];
	int rc = insert(db, cycle, author_id, in, field, teil, bezirk, now, id);
	if (rc == DB_OK) {
		snprintf(subject, sizeof subject, "idea:%" PRId64, *id);
		rc = audit_add(db, author_id, "idea.submit", subject, "");
	}
	if (rc == DB_OK)
		rc = idea_details_store(db, *id, &d, in->form, in->author_name, in->title, in->base_url, in->lang);
	if (rc == DB_OK && author_id)   /* the author follows their idea */
		rc = follow_in_tx(db, &idea_target, *id, author_id, now);
	if (rc == DB_OK)   /* and the followers of the cycle hear of it */
		rc = notify_new_idea(db, cycle, *id, author_id, in->title);
	if (rc == DB_OK)
		rc = content_changed(db);
	if (rc != DB_OK) {
		db_rollback(db);
		return IDEA_ERROR;
	}
	return db_commit(db) == DB_OK ? IDEA_OK : IDEA_ERROR;
}

int idea_insert(struct db *db, int64_t cycle_id, int64_t author_id, const struct idea_input *in,
		int64_t created_at, int64_t *id)
{
	struct field_errors fe = { 0 };
	int64_t field, teil, bezirk = 0;
	struct idea_details d;
	idea_validate_text(in, &fe);
	if (resolve(db, in, &fe, &field, &teil, &bezirk) < 0 ||
	    idea_details_resolve(db, in, in->author_email, &fe, &d, &teil, &bezirk) < 0)
		return IDEA_ERROR;
	if (fe.count)
		return IDEA_INVALID;
	if (insert(db, cycle_id, author_id, in, field, teil, bezirk, created_at, id) != DB_OK ||
	    idea_details_store(db, *id, &d, in->form, in->author_name, in->title, in->base_url, in->lang) != DB_OK ||
	    content_changed(db) != DB_OK)
		return IDEA_ERROR;
	return IDEA_OK;
}

/* ---- editing ---- */

/* Whether the idea can be edited now, from its row (inside a transaction on
 * PostgreSQL the row is locked, so two edits take their turns): OK,
 * NOT_FOUND, NOT_NOW or ERROR. */
static int editable(struct db *db, int64_t id, bool lock)
{
	bool pg = lock && strcmp(db_backend(db), "postgres") == 0;
	struct db_stmt *st = db_prepare(db, pg
		? "SELECT status, hidden_at, merged_into FROM ideas WHERE id = $1 FOR UPDATE"
		: "SELECT status, hidden_at, merged_into FROM ideas WHERE id = $1");
	enum { E_STATUS, E_HIDDEN, E_MERGED };
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	int answer = rc == DB_OK ? IDEA_EDIT_NOT_FOUND : rc != DB_ROW ? IDEA_EDIT_ERROR
		: !db_is_null(st, E_HIDDEN) || !db_is_null(st, E_MERGED) ? IDEA_EDIT_NOT_NOW
		: strcmp(db_text(st, E_STATUS), "submitted") == 0 || strcmp(db_text(st, E_STATUS), "in_dialogue") == 0
			? IDEA_EDIT_OK : IDEA_EDIT_NOT_NOW;
	db_done(st);
	return answer;
}

int idea_may_edit(struct db *db, int64_t id, int64_t user_id, const char *email)
{
	int state = editable(db, id, false);
	if (state != IDEA_EDIT_OK)
		return state;
	int author = idea_is_author(db, id, user_id, email);
	return author < 0 ? IDEA_EDIT_ERROR : author ? IDEA_EDIT_OK : IDEA_EDIT_FORBIDDEN;
}

/* The slugs of the idea's Zielbilder in their order, joined by commas, into
 * out: 0, or -1 when the database failed. */
static int zielbild_slugs(struct db *db, int64_t id, char *out, size_t cap)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT z.slug FROM idea_zielbilder iz JOIN zielbilder z ON z.id = iz.zielbild_id "
		"WHERE iz.idea_id = $1 ORDER BY z.position, z.id");
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	size_t len = 0;
	out[0] = '\0';
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		int n = snprintf(out + len, cap - len, "%s%s", len ? "," : "", db_text(st, 0));
		if (n < 0 || (size_t)n >= cap - len)
			rc = DB_ERROR;
		else
			len += (size_t)n;
	}
	db_done(st);
	return rc == DB_OK ? 0 : -1;
}

/* The idea's row as it is now becomes version `version` of idea_versions,
 * made by edited_by (0: the author of the idea) at `at` (0: when it was
 * handed in). */
static int store_version(struct db *db, int64_t id, int64_t version, int64_t edited_by, int64_t at,
			 const char *zielbilder)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO idea_versions (idea_id, version, title, summary, description_md, field_id, stadtteil_nr, "
		"  lat_e6, lon_e6, needs, applicant_type, zielbilder, edited_by, created_at) "
		"SELECT id, $2, title, summary, description_md, field_id, stadtteil_nr, lat_e6, lon_e6, needs, "
		"  applicant_type, $3, CASE WHEN $4 = 0 THEN author_id ELSE $4 END, "
		"  CASE WHEN $5 = 0 THEN created_at ELSE $5 END FROM ideas WHERE id = $1");
	int rc = st ? db_bind(st, "iisii", id, version, zielbilder, edited_by, at) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	return rc;
}

/* Followers (but the editor) hear that the idea was changed, and its
 * caretaker too when not following. In the caller's transaction. */
static int notify_edited(struct db *db, int64_t id, int64_t editor, int64_t version)
{
	char data[48], subject[40];
	snprintf(data, sizeof data, "{\"version\": %" PRId64 "}", version);
	int rc = notify_followers(db, &idea_target, id, editor, NOTIFY_IDEA_EDITED, data);
	int64_t caretaker = 0;
	if (rc == DB_OK && db_find_int(db, &caretaker, "SELECT COALESCE(caretaker_id, 0) FROM ideas WHERE id = $1", "i",
				       id) < 0)
		rc = DB_ERROR;
	if (rc != DB_OK || !caretaker || caretaker == editor)
		return rc;
	int follows = follow_exists(db, &idea_target, id, caretaker);
	if (follows != 0)
		return follows < 0 ? DB_ERROR : DB_OK;
	snprintf(subject, sizeof subject, "idea:%" PRId64, id);
	return notify_user(db, caretaker, editor, NOTIFY_IDEA_EDITED, subject, data);
}

int idea_edit(struct db *db, int64_t id, int64_t user_id, const char *email, const struct idea_input *in, int64_t now,
	      struct field_errors *fe, int64_t *version)
{
	int may = idea_may_edit(db, id, user_id, email);
	if (may != IDEA_EDIT_OK)
		return may;
	struct idea_input what = *in;
	what.form = false;           /* consent and applicant type were given on submission */
	what.co_authors = what.campaign = what.consent = NULL;
	int64_t field, teil, bezirk = 0;
	struct idea_details d;
	idea_validate_text(&what, fe);
	if (resolve(db, &what, fe, &field, &teil, &bezirk) < 0 ||
	    idea_details_resolve(db, &what, NULL, fe, &d, &teil, &bezirk) < 0)
		return IDEA_EDIT_ERROR;
	if (fe->count)
		return IDEA_EDIT_INVALID;
	char *html = markdown_to_html(what.description, strlen(what.description));
	if (!html)
		return IDEA_EDIT_ERROR;
	if (db_begin(db) != DB_OK) {
		free(html);
		return IDEA_EDIT_ERROR;
	}
	int state = editable(db, id, true);   /* a status change may have come first */
	if (state != IDEA_EDIT_OK) {
		db_rollback(db);
		free(html);
		return state;
	}
	char before[IDEA_ZIELBILDER_MAX * 64 + 16], after[IDEA_ZIELBILDER_MAX * 64 + 16];
	int64_t same = 0, versions = 0;
	int rc = zielbild_slugs(db, id, before, sizeof before) < 0 ? DB_ERROR : DB_OK;
	if (rc == DB_OK && db_find_int(db, &same,
		"SELECT CASE WHEN title = $2 AND summary = $3 AND description_md = $4 AND field_id = $5 "
		"  AND stadtteil_nr = $6 AND COALESCE(lat_e6, -1000000000) = $7 AND COALESCE(lon_e6, -1000000000) = $8 "
		"  AND needs = $9 AND applicant_type = $10 THEN 1 ELSE 0 END FROM ideas WHERE id = $1",
		"isssiiiiis", id, what.title, what.summary, what.description, field, teil,
		d.has_point ? d.lat_e6 : -1000000000, d.has_point ? d.lon_e6 : -1000000000, d.needs,
		d.applicant_type) <= 0)
		rc = DB_ERROR;
	if (rc == DB_OK && db_find_int(db, &versions, "SELECT COALESCE(MAX(version), 0) FROM idea_versions WHERE idea_id = $1",
				       "i", id) <= 0)
		rc = DB_ERROR;
	if (rc == DB_OK && versions == 0) {   /* the first edit: the idea as it was handed in */
		rc = store_version(db, id, 1, 0, 0, before);
		versions = 1;
	}
	if (rc == DB_OK) {
		struct db_stmt *st = db_prepare(db,
			"UPDATE ideas SET title = $2, summary = $3, description_md = $4, description_html = $5, "
			"  field_id = $6, bezirk_nr = $7, stadtteil_nr = $8, lat_e6 = $9, lon_e6 = $10, needs = $11, "
			"  applicant_type = $12, updated_at = $13, last_activity_at = $13 WHERE id = $1");
		rc = st ? db_bind(st, "issssiiiiiisi", id, what.title, what.summary, what.description, html, field, bezirk,
				  teil, d.lat_e6, d.lon_e6, d.needs, d.applicant_type, now) : DB_ERROR;
		if (rc == DB_OK && !d.has_point)
			rc = db_bind_null(st, 9) == DB_OK && db_bind_null(st, 10) == DB_OK ? DB_OK : DB_ERROR;
		if (rc == DB_OK)
			rc = db_step(st);
		db_done(st);
	}
	free(html);
	if (rc == DB_OK)
		rc = db_run(db, "DELETE FROM idea_zielbilder WHERE idea_id = $1", "i", id);
	for (int i = 0; rc == DB_OK && i < d.nzielbild; i++)
		rc = db_run(db, "INSERT INTO idea_zielbilder (idea_id, zielbild_id) VALUES ($1, $2)", "ii", id, d.zielbild[i]);
	if (rc == DB_OK && zielbild_slugs(db, id, after, sizeof after) < 0)
		rc = DB_ERROR;
	if (rc == DB_OK && same && strcmp(before, after) == 0) {
		db_rollback(db);
		*version = versions;
		return IDEA_EDIT_UNCHANGED;
	}
	*version = versions + 1;
	if (rc == DB_OK)
		rc = store_version(db, id, *version, user_id, now, after);
	if (rc == DB_OK) {
		char subject[32], detail[32];
		snprintf(subject, sizeof subject, "idea:%" PRId64, id);
		snprintf(detail, sizeof detail, "version %" PRId64, *version);
		rc = audit_add(db, user_id, "idea.edit", subject, detail);
	}
	if (rc == DB_OK)
		rc = notify_edited(db, id, user_id, *version);
	if (rc == DB_OK)
		rc = content_changed(db);
	if (rc != DB_OK) {
		db_rollback(db);
		return IDEA_EDIT_ERROR;
	}
	return db_commit(db) == DB_OK ? IDEA_EDIT_OK : IDEA_EDIT_ERROR;
}

int idea_cursor_parse(const char *s, int64_t *t, int64_t *id)
{
	char *end;
	if (!s || !*s)
		return -1;
	*t = strtoll(s, &end, 10);
	if (*end != '.' || *t <= 0)
		return -1;
	*id = strtoll(end + 1, &end, 10);
	return *end || *id <= 0 ? -1 : 0;
}

const char *const idea_sort_keys[IDEA_SORT_COUNT] = { "newest", "supported", "discussed", "active" };
static const char sort_letters[IDEA_SORT_COUNT] = { 0, 's', 'd', 'a' };

int idea_sort_parse(const char *key)
{
	for (int i = 0; key && i < IDEA_SORT_COUNT; i++)
		if (strcmp(key, idea_sort_keys[i]) == 0)
			return i;
	return -1;
}

int idea_cursor_parse_sort(const char *s, int sort, int64_t *key, int64_t *id)
{
	if (sort <= IDEA_SORT_NEWEST || sort >= IDEA_SORT_COUNT)
		return sort == IDEA_SORT_NEWEST ? idea_cursor_parse(s, key, id) : -1;
	if (!s || s[0] != sort_letters[sort] || s[1] < '0' || s[1] > '9' || strlen(s) > 40)
		return -1;
	char *end;
	*key = strtoll(s + 1, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return -1;
	*id = strtoll(end + 1, &end, 10);
	return *end || *id <= 0 ? -1 : 0;
}

int idea_where_resolve(struct db *db, const struct idea_filter *f, struct idea_where *w)
{
	*w = (struct idea_where){ .bezirk = f->bezirk, .needs = f->needs, .status = f->status ? f->status : "" };
	/* an unknown slug or number matches nothing; a failed lookup is no answer */
	if (f->field && *f->field && (w->field_id = field_id(db, f->field)) <= 0) {
		if (w->field_id < 0)
			return -1;
		w->none = true;
	}
	if (f->zielbild && *f->zielbild && (w->zielbild_id = zielbild_id(db, f->zielbild)) <= 0) {
		if (w->zielbild_id < 0)
			return -1;
		w->none = true;
	}
	if (f->cycle) {
		int found = db_find_int(db, &w->cycle_id, "SELECT id FROM cycles WHERE number = $1", "i", f->cycle);
		if (found < 0)
			return -1;
		w->none |= found == 0;
	}
	if (!f->phase || !*f->phase || w->none)
		return 0;
	int phase = -1;
	for (int k = 0; k < 6; k++)
		if (strcmp(f->phase, cycle_phase_keys[k]) == 0)
			phase = k;
	struct db_stmt *st = db_prepare(db, "SELECT id, phase1_start, phase2_start, phase3_start, phase4_start, "
					    "phase4_end FROM cycles ORDER BY id");
	enum { PH_ID, PH_PHASE1_START, PH_PHASE4_END = PH_PHASE1_START + 4 };
	if (!st)
		return -1;
	int64_t only = 0;
	int n = 0, rc;
	size_t len = 0;
	bool in_cycle = false;
	w->cycles[0] = '\0';
	while ((rc = db_step(st)) == DB_ROW) {
		struct cycle c = { .phase4_end = db_int(st, PH_PHASE4_END) };
		for (int k = 0; k < 4; k++)
			c.phase_start[k] = db_int(st, PH_PHASE1_START + k);
		if (cycle_phase_at(&c, f->now) != phase)
			continue;
		int64_t cid = db_int(st, PH_ID);
		in_cycle |= cid == w->cycle_id;
		only = cid;
		n++;
		int k = snprintf(w->cycles + len, sizeof w->cycles - len, "%s%" PRId64 ",", len ? "" : ",", cid);
		if (k < 0 || (size_t)k >= sizeof w->cycles - len) {
			rc = DB_ERROR;
			break;
		}
		len += (size_t)k;
	}
	db_done(st);
	if (rc != DB_OK)
		return -1;
	if (w->cycle_id) {            /* a cycle and a phase: that cycle, when it is in the phase */
		w->none = !in_cycle;
		w->cycles[0] = '\0';
	} else if (n <= 1) {          /* the common case: one cycle (or none) */
		w->cycle_id = n ? only : -1;
		w->none = n == 0;
		w->cycles[0] = '\0';
	} else {
		w->cycle_id = -1;
	}
	return 0;
}

int idea_where_bind(struct db_stmt *st, int first, const struct idea_where *w)
{
	int rc = db_bind_int(st, first, w->field_id);
	rc |= db_bind_int(st, first + 1, w->bezirk);
	rc |= db_bind_int(st, first + 2, w->zielbild_id);
	rc |= db_bind_int(st, first + 3, w->needs);
	rc |= db_bind_text(st, first + 4, w->status);
	rc |= db_bind_int(st, first + 5, w->cycle_id);
	rc |= db_bind_text(st, first + 6, w->cycles);
	return rc ? DB_ERROR : DB_OK;
}

static const char *status_label(const char *status, bool en)
{
	return idea_status_label(status, en);    /* every state of the workflow */
}

static json_t *named(const char *key, json_t *id, const char *name)
{
	json_t *o = json_object();
	jset(o, key, id);
	jset_str(o, "name", name);
	return o;
}

static json_t *idea_row(struct db_stmt *st, bool en, const char *lang)
{
	char iso[32], date[32], url[48];
	int64_t id = db_int(st, IDEA_COL_ID), created = db_int(st, IDEA_COL_CREATED_AT);
	clock_format_iso(created, iso, sizeof iso);
	clock_format_date(created, lang, date, sizeof date);
	snprintf(url, sizeof url, "/ideas/%" PRId64, id);
	json_t *o = json_object();
	jset_int(o, "id", id);
	jset_str(o, "url", url);
	jset_str(o, "title", db_text(st, IDEA_COL_TITLE));
	jset_str(o, "summary", db_text(st, IDEA_COL_SUMMARY));
	jset_str(o, "status", db_text(st, IDEA_COL_STATUS));
	jset_str(o, "status_label", status_label(db_text(st, IDEA_COL_STATUS), en));
	jset_str(o, "created_at", iso);
	jset_str(o, "created_date", date);
	jset(o, "field", named("slug", json_string_nocheck(db_text(st, IDEA_COL_FIELD_SLUG)),
			       db_text(st, en ? IDEA_COL_FIELD_NAME_EN : IDEA_COL_FIELD_NAME_DE)));
	jset(o, "bezirk", named("nr", json_integer(db_int(st, IDEA_COL_BEZIRK_NR)), db_text(st, IDEA_COL_BEZIRK_NAME)));
	jset(o, "stadtteil", named("nr", json_integer(db_int(st, IDEA_COL_STADTTEIL_NR)),
				   db_text(st, IDEA_COL_STADTTEIL_NAME)));
	jset_int(o, "supports", db_int(st, IDEA_COL_SUPPORTS));         /* counted on write */
	jset_int(o, "comment_count", db_int(st, IDEA_COL_COMMENTS));
	return o;
}

json_t *idea_item(struct db_stmt *st, const char *lang)
{
	return idea_row(st, lang && strcmp(lang, "en") == 0, lang);
}

/* One page in the order of a sort column: the page is picked from ideas
 * alone (the sort index, the filters, the cursor), then joined. $1, $2 the
 * cursor (key and id; the largest values when there is none), $3 the page
 * size plus one, $4..$10 the filter (idea_where_bind). */
#define LIST_SQL(col) \
	"SELECT " IDEA_COLS ", p.k " IDEA_JOINS \
	"JOIN (SELECT i.id, i." col " AS k FROM ideas i WHERE i.hidden_at IS NULL AND i.merged_into IS NULL " \
	"  AND (i." col ", i.id) < (CAST($1 AS BIGINT), CAST($2 AS BIGINT)) " \
	"  AND " IDEA_WHERE_SQL("$4", "$5", "$6", "$7", "$8", "$9", "$10") \
	"  ORDER BY i." col " DESC, i.id DESC LIMIT $3) p ON p.id = i.id " \
	"ORDER BY p.k DESC, p.id DESC"
enum { LIST_SORT_KEY = IDEA_NCOLS };   /* p.k, after IDEA_COLS */
static const char *const list_sql[IDEA_SORT_COUNT] = {
	LIST_SQL("created_at"), LIST_SQL("supports"), LIST_SQL("comment_count"), LIST_SQL("last_activity_at"),
};

json_t *idea_list(struct db *db, const char *lang, const struct idea_filter *f)
{
	bool en = lang && strcmp(lang, "en") == 0;
	int limit = f->limit < 1 ? IDEA_PAGE_DEFAULT : f->limit > IDEA_PAGE_MAX ? IDEA_PAGE_MAX : f->limit;
	int sort = f->sort > 0 && f->sort < IDEA_SORT_COUNT ? f->sort : IDEA_SORT_NEWEST;
	struct idea_where w;
	if (idea_where_resolve(db, f, &w) < 0)
		return NULL;
	json_t *items = json_array();
	json_t *next = json_null();
	if (w.none)
		return json_pack("{so so si}", "items", items, "next", next, "limit", limit);
	struct db_stmt *st = db_prepare(db, list_sql[sort]);
	bool cursor = f->before_id > 0;
	int rc = st ? db_bind(st, "iii", cursor ? f->before_t : INT64_MAX, cursor ? f->before_id : INT64_MAX,
			      (int64_t)limit + 1) : DB_ERROR;
	if (rc == DB_OK)
		rc = idea_where_bind(st, 4, &w);
	int n = 0;
	int64_t last_k = 0, last_id = 0;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		if (n++ == limit) {   /* one more than a page: there is a next page */
			char c[64];
			if (sort == IDEA_SORT_NEWEST)
				snprintf(c, sizeof c, "%" PRId64 ".%" PRId64, last_k, last_id);
			else
				snprintf(c, sizeof c, "%c%" PRId64 ".%" PRId64, sort_letters[sort], last_k, last_id);
			json_decref(next);
			next = json_string(c);
			break;
		}
		json_array_append_new(items, idea_row(st, en, lang));
		last_k = db_int(st, LIST_SORT_KEY);
		last_id = db_int(st, IDEA_COL_ID);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(items);
		json_decref(next);
		return NULL;
	}
	return json_pack("{so so si}", "items", items, "next", next, "limit", limit);
}

int64_t idea_list_count(struct db *db, const struct idea_filter *f, int64_t cap)
{
	struct idea_where w;
	if (idea_where_resolve(db, f, &w) < 0)
		return -1;
	if (w.none)
		return 0;
	struct db_stmt *st = db_prepare(db,
		"SELECT COUNT(*) FROM (SELECT 1 FROM ideas i WHERE i.hidden_at IS NULL AND i.merged_into IS NULL "
		"AND " IDEA_WHERE_SQL("$2", "$3", "$4", "$5", "$6", "$7", "$8") "LIMIT $1) n");
	int rc = st ? db_bind_int(st, 1, cap + 1) : DB_ERROR;
	if (rc == DB_OK)
		rc = idea_where_bind(st, 2, &w);
	if (rc == DB_OK)
		rc = db_step(st);
	int64_t n = rc == DB_ROW ? db_int(st, 0) : -1;
	db_done(st);
	return n;
}

/* The idea page's one row: IDEA_COLS, then these (GET_...). */
static const char get_sql[] =
	"SELECT " IDEA_COLS ", i.description_md, i.description_html, c.number, c.theme_de, c.theme_en, "
	"  COALESCE(u.name, ''), COALESCE(i.merged_into, 0), i.supports, ct.id, COALESCE(ct.name, ''), "
	IDEA_DETAILS_COLS ", i.hidden_at, COALESCE(i.hidden_reason, ''), "
	"  EXISTS (SELECT 1 FROM co_authors a WHERE a.idea_id = i.id AND a.status = 'accepted'), "
	"  EXISTS (SELECT 1 FROM ideas m WHERE m.merged_into = i.id AND m.hidden_at IS NULL), "
	"  COALESCE((SELECT n FROM attachment_counts x WHERE x.target_kind = 'idea' AND x.target_id = i.id), 0), "
	"  u.deleted_at IS NOT NULL, "
	"  (SELECT MAX(v.version) FROM idea_versions v WHERE v.idea_id = i.id), "
	"  (SELECT MAX(v.created_at) FROM idea_versions v WHERE v.idea_id = i.id) " IDEA_JOINS
	"JOIN cycles c ON c.id = i.cycle_id LEFT JOIN users u ON u.id = i.author_id "
	"LEFT JOIN users ct ON ct.id = i.caretaker_id WHERE i.id = $1";
enum { GET_DESCRIPTION_MD = IDEA_NCOLS, GET_DESCRIPTION_HTML, GET_CYCLE_NUMBER, GET_THEME_DE, GET_THEME_EN,
       GET_AUTHOR, GET_MERGED_INTO, GET_SUPPORTS, GET_CARETAKER_ID, GET_CARETAKER_NAME,
       GET_DETAILS, GET_HIDDEN_AT = GET_DETAILS + IDEA_DETAILS_NCOLS, GET_HIDDEN_REASON,
       GET_HAS_CO_AUTHORS, GET_HAS_MERGED_FROM, GET_ATTACHMENTS, GET_AUTHOR_DELETED, GET_VERSION, GET_EDITED_AT };

int idea_get_merged(struct db *db, const char *lang, int64_t id, json_t **out, int64_t *merged_into)
{
	bool en = lang && strcmp(lang, "en") == 0;
	*out = NULL;
	if (merged_into)
		*merged_into = 0;
	struct db_stmt *st = db_prepare(db, get_sql);
	if (!st)
		return -1;
	int rc = db_bind(st, "i", id);
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_OK ? 0 : -1;
	}
	json_t *idea = idea_row(st, en, lang);
	json_object_set_new(idea, "description", json_string(db_text(st, GET_DESCRIPTION_MD)));
	json_object_set_new(idea, "description_html", json_string(db_text(st, GET_DESCRIPTION_HTML)));
	json_object_set_new(idea, "cycle", json_pack("{sI ss}", "number", (json_int_t)db_int(st, GET_CYCLE_NUMBER),
						    "theme", db_text(st, en ? GET_THEME_EN : GET_THEME_DE)));
	json_object_set_new(idea, "author", json_string(db_text(st, GET_AUTHOR)));
	/* the author deleted their account: "by a deleted account" */
	jset(idea, "author_deleted", json_boolean(db_int(st, GET_AUTHOR_DELETED) != 0));
	if (merged_into)
		*merged_into = db_int(st, GET_MERGED_INTO);
	jset_int(idea, "supports", db_int(st, GET_SUPPORTS));
	if (db_is_null(st, GET_CARETAKER_ID)) {
		jset(idea, "caretaker", json_null());
	} else {   /* as caretaker_of (idea_status.h) */
		json_t *ct = json_object();
		jset_int(ct, "id", db_int(st, GET_CARETAKER_ID));
		jset_str(ct, "name", db_text(st, GET_CARETAKER_NAME));
		jset(idea, "caretaker", ct);
	}
	idea_details_row(st, GET_DETAILS, lang, idea);
	bool hidden = !db_is_null(st, GET_HIDDEN_AT);
	jset(idea, "hidden", json_boolean(hidden));
	/* hidden, archived or withdrawn: no new comments, supports or follows */
	jset(idea, "closed", json_boolean(hidden || idea_status_closed(db_text(st, IDEA_COL_STATUS))));
	if (hidden) {
		jset_str(idea, "hidden_reason", db_text(st, GET_HIDDEN_REASON));
		char *text = moderation_hidden_text(lang, db_text(st, GET_HIDDEN_REASON));
		jset(idea, "hidden_text", json_string(text ? text : ""));
		free(text);
	}
	bool edited = !db_is_null(st, GET_VERSION);   /* versions are kept from the first edit on */
	jset_int(idea, "version", edited ? db_int(st, GET_VERSION) : 1);
	jset(idea, "edited", json_boolean(edited));
	if (edited) {
		char iso[32], date[32];
		clock_format_iso(db_int(st, GET_EDITED_AT), iso, sizeof iso);
		clock_format_date(db_int(st, GET_EDITED_AT), lang, date, sizeof date);
		jset_str(idea, "edited_at", iso);
		jset_str(idea, "edited_date", date);
	}
	bool co_authors = db_int(st, GET_HAS_CO_AUTHORS) != 0;
	jset(idea, "has_merged_from", json_boolean(db_int(st, GET_HAS_MERGED_FROM) != 0));
	jset_int(idea, "attachment_count", db_int(st, GET_ATTACHMENTS));   /* the list is read only when there are any */
	db_done(st);
	/* the lists the row said are not empty */
	if (idea_details_add(db, lang, id, idea, co_authors) != DB_OK) {
		json_decref(idea);
		if (merged_into)
			*merged_into = 0;
		return -1;
	}
	*out = idea;
	return 1;
}

int idea_access(struct db *db, int64_t id, int64_t *author_id, bool *hidden, int64_t *merged_into)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT COALESCE(author_id, 0), CASE WHEN hidden_at IS NULL THEN 0 ELSE 1 END, COALESCE(merged_into, 0) "
		"FROM ideas WHERE id = $1");
	enum { A_AUTHOR, A_HIDDEN, A_MERGED };
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		*author_id = db_int(st, A_AUTHOR);
		*hidden = db_int(st, A_HIDDEN) != 0;
		*merged_into = db_int(st, A_MERGED);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int idea_is_author(struct db *db, int64_t id, int64_t user_id, const char *email)
{
	int64_t one;
	if (!user_id)
		return 0;
	int found = db_find_int(db, &one, "SELECT 1 FROM ideas WHERE id = $1 AND author_id = $2", "ii", id, user_id);
	return found != 0 ? found : coauthor_is_accepted(db, id, user_id, email);
}

int idea_get(struct db *db, const char *lang, int64_t id, json_t **out)
{
	return idea_get_merged(db, lang, id, out, NULL);
}
