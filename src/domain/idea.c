#include "domain/idea.h"
#include "domain/idea_details.h"
#include "domain/idea_status.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/field.h"
#include "domain/follow.h"
#include "domain/notification.h"
#include "domain/cycle.h"
#include "domain/markdown.h"
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

/* Resolves the field slug and the Stadtteil number; records problems. */
static void resolve(struct db *db, const struct idea_input *in, struct field_errors *fe,
		    int64_t *field, int64_t *teil, int64_t *bezirk)
{
	*field = field_id(db, in->field);
	if (!in->field || !*in->field)
		field_error(fe, "field", "required");
	else if (!*field)
		field_error(fe, "field", "invalid");
	char *end = NULL;
	*teil = in->stadtteil ? strtoll(in->stadtteil, &end, 10) : 0;
	if (!in->stadtteil || !*in->stadtteil) {
		if (!in->lat || !*in->lat)     /* a point on the map gives the Stadtteil */
			field_error(fe, "stadtteil", "required");
	}
	else if (*end || !place_stadtteil(db, *teil, bezirk))
		field_error(fe, "stadtteil", "invalid");
}

static int insert(struct db *db, int64_t cycle, int64_t author, const struct idea_input *in,
		  int64_t field, int64_t teil, int64_t bezirk, int64_t created, int64_t *id)
{
	char *html = markdown_to_html(in->description, strlen(in->description));
	if (!html)
		return DB_ERROR;
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO ideas (cycle_id, author_id, title, summary, description_md, description_html, "
		"  field_id, bezirk_nr, stadtteil_nr, status, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'submitted', $10, $10) RETURNING id");
	int rc = DB_ERROR;
	if (st) {
		db_bind(st, "iissssiiii", cycle, author, in->title, in->summary, in->description, html,
			field, bezirk, teil, created);
		if (!author)
			db_bind_null(st, 2);
		rc = db_step(st);
		if (rc == DB_ROW) {
			*id = db_int(st, 0);
			rc = DB_OK;
		}
		db_done(st);
	}
	free(html);
	return rc;
}

int idea_submit(struct db *db, int64_t author_id, const struct idea_input *in, int64_t now,
		struct field_errors *fe, int64_t *id)
{
	int64_t field, teil, bezirk = 0;
	struct idea_details d;
	idea_validate_text(in, fe);
	resolve(db, in, fe, &field, &teil, &bezirk);
	idea_details_resolve(db, in, in->author_email, fe, &d, &teil, &bezirk);
	if (fe->count)
		return IDEA_INVALID;
	int64_t cycle = cycle_open_for_submission(db, now);
	if (!cycle)
		return IDEA_CLOSED;
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
		rc = follow_idea_in_tx(db, *id, author_id, now);
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
	resolve(db, in, &fe, &field, &teil, &bezirk);
	idea_details_resolve(db, in, in->author_email, &fe, &d, &teil, &bezirk);
	if (fe.count)
		return IDEA_INVALID;
	if (insert(db, cycle_id, author_id, in, field, teil, bezirk, created_at, id) != DB_OK ||
	    idea_details_store(db, *id, &d, in->form, in->author_name, in->title, in->base_url, in->lang) != DB_OK ||
	    content_changed(db) != DB_OK)
		return IDEA_ERROR;
	return IDEA_OK;
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
	int64_t id = db_int(st, 0), created = db_int(st, 4);
	clock_format_iso(created, iso, sizeof iso);
	clock_format_date(created, lang, date, sizeof date);
	snprintf(url, sizeof url, "/ideas/%" PRId64, id);
	json_t *o = json_object();
	jset_int(o, "id", id);
	jset_str(o, "url", url);
	jset_str(o, "title", db_text(st, 1));
	jset_str(o, "summary", db_text(st, 2));
	jset_str(o, "status", db_text(st, 3));
	jset_str(o, "status_label", status_label(db_text(st, 3), en));
	jset_str(o, "created_at", iso);
	jset_str(o, "created_date", date);
	jset(o, "field", named("slug", json_string_nocheck(db_text(st, 5)), db_text(st, en ? 7 : 6)));
	jset(o, "bezirk", named("nr", json_integer(db_int(st, 8)), db_text(st, 9)));
	jset(o, "stadtteil", named("nr", json_integer(db_int(st, 10)), db_text(st, 11)));
	return o;
}

json_t *idea_item(struct db_stmt *st, const char *lang)
{
	return idea_row(st, lang && strcmp(lang, "en") == 0, lang);
}

json_t *idea_list(struct db *db, const char *lang, const struct idea_filter *f)
{
	bool en = lang && strcmp(lang, "en") == 0;
	int limit = f->limit < 1 ? IDEA_PAGE_DEFAULT : f->limit > IDEA_PAGE_MAX ? IDEA_PAGE_MAX : f->limit;
	struct db_stmt *st = db_prepare(db,
		"SELECT " IDEA_COLS " " IDEA_JOINS
		"WHERE ($1 = '' OR f.slug = $1) AND ($2 = 0 OR i.bezirk_nr = $2) AND i.hidden_at IS NULL "
		"  AND ($3 = 0 OR (i.created_at, i.id) < ($3, $4)) "
		"  AND ($6 = '' OR EXISTS (SELECT 1 FROM idea_zielbilder iz JOIN zielbilder z ON z.id = iz.zielbild_id "
		"                          WHERE iz.idea_id = i.id AND z.slug = $6)) "
		"  AND ($7 = 0 OR (i.needs & $7) <> 0) "
		"ORDER BY i.created_at DESC, i.id DESC LIMIT $5");
	json_t *items = json_array();
	json_t *next = json_null();
	if (st && db_bind(st, "siiiisi", f->field ? f->field : "", f->bezirk, f->before_t, f->before_id,
			  (int64_t)limit + 1, f->zielbild ? f->zielbild : "", f->needs) == DB_OK) {
		int n = 0;
		while (db_step(st) == DB_ROW) {
			if (n++ == limit) {   /* one more than a page: there is a next page */
				json_t *last = json_array_get(items, (size_t)limit - 1);
				char cursor[48];
				snprintf(cursor, sizeof cursor, "%" PRId64 ".%" PRId64,
					 (int64_t)json_integer_value(json_object_get(last, "_t")),
					 (int64_t)json_integer_value(json_object_get(last, "id")));
				json_decref(next);
				next = json_string(cursor);
				break;
			}
			json_t *row = idea_row(st, en, lang);
			json_object_set_new(row, "_t", json_integer(db_int(st, 4)));
			json_array_append_new(items, row);
		}
	}
	db_done(st);
	size_t i;
	json_t *row;
	json_array_foreach(items, i, row)
		json_object_del(row, "_t");
	return json_pack("{so so si}", "items", items, "next", next, "limit", limit);
}

json_t *idea_get(struct db *db, const char *lang, int64_t id)
{
	bool en = lang && strcmp(lang, "en") == 0;
	struct db_stmt *st = db_prepare(db,
		"SELECT " IDEA_COLS ", i.description_md, i.description_html, c.number, c.theme_de, c.theme_en, "
		"  COALESCE(u.name, '') " IDEA_JOINS
		"JOIN cycles c ON c.id = i.cycle_id LEFT JOIN users u ON u.id = i.author_id WHERE i.id = $1");
	json_t *idea = NULL;
	if (st && db_bind(st, "i", id) == DB_OK && db_step(st) == DB_ROW) {
		idea = idea_row(st, en, lang);
		json_object_set_new(idea, "description", json_string(db_text(st, 12)));
		json_object_set_new(idea, "description_html", json_string(db_text(st, 13)));
		json_object_set_new(idea, "cycle", json_pack("{sI ss}", "number", (json_int_t)db_int(st, 14),
							    "theme", db_text(st, en ? 16 : 15)));
		json_object_set_new(idea, "author", json_string(db_text(st, 17)));
	}
	db_done(st);
	if (idea)
		idea_details_add(db, lang, id, idea);
	return idea;
}
