#include "domain/portal/infotext.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/markdown.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const struct infotext_page infotext_pages[] = {
	{ "impressum", "/impressum", false },
	{ "datenschutz", "/datenschutz", false },
	{ "barrierefreiheit", "/barrierefreiheit", false },
	{ "kontakt", "/kontakt", false },
	{ "about", "/about", false },
	{ "leichte-sprache", "/leichte-sprache", true },
	{ 0 },
};

const struct infotext_page *infotext_page_by_slug(const char *slug)
{
	for (const struct infotext_page *p = infotext_pages; slug && p->slug; p++)
		if (strcmp(p->slug, slug) == 0)
			return p;
	return NULL;
}

const struct infotext_page *infotext_page_by_path(const char *path)
{
	for (const struct infotext_page *p = infotext_pages; path && p->slug; p++)
		if (strcmp(p->path, path) == 0)
			return p;
	return NULL;
}

static bool lang_ok(const struct infotext_page *p, const char *lang)
{
	return lang && (strcmp(lang, "de") == 0 || (!p->german_only && strcmp(lang, "en") == 0));
}

/* ---- the headings of a body ---- */

/* Up to three spaces of indentation, as CommonMark allows before a block. */
static const char *indent(const char *s)
{
	int n = 0;
	while (*s == ' ' && n < 3) {
		s++;
		n++;
	}
	return s;
}

/* The level of an ATX heading ("## Title") that line begins with, else 0. */
static int atx_level(const char *line)
{
	const char *s = indent(line);
	int n = 0;
	while (s[n] == '#')
		n++;
	return n >= 1 && n <= 6 && (s[n] == ' ' || s[n] == '\t' || s[n] == '\n' || s[n] == '\r' || !s[n]) ? n : 0;
}

/* A line of only c (a setext underline, or a fence when c is ` or ~ and
 * fence is set: three or more, then anything). */
static bool line_of(const char *line, char c, bool fence)
{
	const char *s = indent(line);
	int n = 0;
	while (s[n] == c)
		n++;
	if (fence)
		return n >= 3;
	if (n < 1)
		return false;
	for (s += n; *s && *s != '\n'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return false;
	return true;
}

static bool blank(const char *line)
{
	for (; *line && *line != '\n'; line++)
		if (*line != ' ' && *line != '\t' && *line != '\r')
			return false;
	return true;
}

/* NULL when the headings are in order: none at level 1 (the page's title
 * is the top heading), the first at level 2, none more than one level
 * below the one before. Else the field error code. Fenced code is skipped;
 * a "---" under text (a level 2 heading or a rule) never breaks the order. */
static const char *headings_problem(const char *md)
{
	int last = 1;
	bool in_fence = false, prev_text = false;
	char fence = 0;
	for (const char *line = md; line && *line; ) {
		const char *next = strchr(line, '\n');
		if (in_fence) {
			if (line_of(line, fence, true))
				in_fence = false;
		} else if (line_of(line, '`', true) || line_of(line, '~', true)) {
			in_fence = true;
			fence = *indent(line);
			prev_text = false;
		} else {
			int level = atx_level(line);
			if (!level && prev_text && line_of(line, '=', false))
				level = 1;
			if (level == 1)
				return "heading_top";
			if (level > last + 1)
				return "heading_order";
			if (level)
				last = level;
			prev_text = !level && !blank(line) && *indent(line) != '>';
		}
		line = next ? next + 1 : NULL;
	}
	return NULL;
}

int infotext_validate(const struct infotext_input *in, struct field_errors *fe)
{
	size_t before = fe->count;
	check_text(fe, "title", in->title, INFOTEXT_TITLE_MIN, INFOTEXT_TITLE_MAX, 0);
	if (check_text(fe, "body", in->body_md, 1, INFOTEXT_BODY_MAX, 1)) {
		const char *problem = headings_problem(in->body_md);
		if (problem)
			field_error(fe, "body", problem);
	}
	if (in->note && *in->note)
		check_text(fe, "note", in->note, 1, INFOTEXT_NOTE_MAX, 0);
	return (int)(fe->count - before);
}

/* ---- reads ---- */

#define TEXT_COLS "t.id, t.slug, t.lang, t.version, t.title, t.body_html, t.body_md, t.note, t.demo, " \
		  "t.created_at, u.id, u.name FROM info_texts t LEFT JOIN users u ON u.id = t.created_by"
enum { T_ID, T_SLUG, T_LANG, T_VERSION, T_TITLE, T_HTML, T_MD, T_NOTE, T_DEMO, T_CREATED_AT, T_AUTHOR_ID,
       T_AUTHOR_NAME, T_NCOLS };

static json_t *author(struct db_stmt *st)
{
	if (db_is_null(st, T_AUTHOR_ID))
		return json_null();
	json_t *a = json_object();
	jset_int(a, "id", db_int(st, T_AUTHOR_ID));
	jset(a, "name", json_string(db_text(st, T_AUTHOR_NAME)));
	return a;
}

static json_t *read_text(struct db_stmt *st, const char *date_lang)
{
	char iso[32], date[32];
	int64_t at = db_int(st, T_CREATED_AT);
	clock_format_iso(at, iso, sizeof iso);
	clock_format_date(at, date_lang, date, sizeof date);
	json_t *o = json_object();
	jset_int(o, "id", db_int(st, T_ID));
	jset(o, "slug", json_string(db_text(st, T_SLUG)));
	jset(o, "lang", json_string(db_text(st, T_LANG)));
	jset_int(o, "version", db_int(st, T_VERSION));
	jset(o, "title", json_string(db_text(st, T_TITLE)));
	jset(o, "html", json_string(db_text(st, T_HTML)));
	jset(o, "markdown", json_string(db_text(st, T_MD)));
	jset(o, "note", json_string(db_text(st, T_NOTE)));
	jset(o, "demo", json_boolean(db_int(st, T_DEMO) != 0));
	jset_str(o, "updated_at", iso);
	jset_str(o, "updated_date", date);
	jset(o, "updated_by", author(st));
	return o;
}

static int one(struct db_stmt *st, int rc, const char *date_lang, json_t **out)
{
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW)
		*out = read_text(st, date_lang);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int infotext_get(struct db *db, const char *slug, const char *lang, const char *date_lang, json_t **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " TEXT_COLS " WHERE t.slug = $1 AND t.lang = $2 "
					    "ORDER BY t.version DESC LIMIT 1");
	return st ? one(st, db_bind(st, "ss", slug, lang), date_lang, out) : -1;
}

int infotext_version(struct db *db, const char *date_lang, int64_t id, json_t **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " TEXT_COLS " WHERE t.id = $1");
	return st ? one(st, db_bind(st, "i", id), date_lang, out) : -1;
}

json_t *infotext_history(struct db *db, const char *slug, const char *lang, const char *date_lang, int64_t before,
			 int limit)
{
	struct db_stmt *st = db_prepare(db, "SELECT " TEXT_COLS " WHERE t.slug = $1 AND t.lang = $2 "
					    "AND t.version < $3 ORDER BY t.version DESC LIMIT $4");
	if (!st)
		return NULL;
	int rc = db_bind(st, "ssii", slug, lang, before > 0 ? before : INT64_MAX, (int64_t)limit + 1);
	json_t *items = json_array();
	int n = 0;
	int64_t last = 0;
	bool more = false;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		if (n == limit) {
			more = true;
			rc = DB_OK;
			break;
		}
		json_t *o = read_text(st, date_lang);
		json_object_del(o, "html");       /* the list names the versions; one is read by its id */
		json_object_del(o, "markdown");
		last = db_int(st, T_VERSION);
		json_array_append_new(items, o);
		n++;
		rc = DB_OK;
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(items);
		return NULL;
	}
	return jpage(items, more, last, limit);
}

/* ---- writes ---- */

int infotext_save(struct db *db, const struct infotext_input *in, int64_t now, struct field_errors *fe,
		  int64_t *version)
{
	const struct infotext_page *p = infotext_page_by_slug(in->slug);
	if (!p || !lang_ok(p, in->lang))
		return INFOTEXT_NOT_FOUND;
	if (infotext_validate(in, fe))
		return INFOTEXT_INVALID;
	char *html = markdown_to_html(in->body_md, strlen(in->body_md));   /* outside the transaction */
	if (!html)
		return INFOTEXT_ERROR;
	int result = INFOTEXT_ERROR;
	if (db_begin(db) != DB_OK) {
		free(html);
		return INFOTEXT_ERROR;
	}
	/* the current version, to tell a conflict and an unchanged text */
	struct db_stmt *st = db_prepare(db, "SELECT version, title, body_md, demo FROM info_texts "
					    "WHERE slug = $1 AND lang = $2 ORDER BY version DESC LIMIT 1");
	enum { C_VERSION, C_TITLE, C_BODY, C_DEMO };
	int64_t current = 0;
	bool same = false;
	int rc = st ? db_bind(st, "ss", in->slug, in->lang) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		current = db_int(st, C_VERSION);
		same = strcmp(db_text(st, C_TITLE), in->title) == 0 && strcmp(db_text(st, C_BODY), in->body_md) == 0 &&
		       (db_int(st, C_DEMO) != 0) == in->demo;
		rc = DB_OK;
	}
	db_done(st);
	if (rc == DB_OK && current != in->base_version) {
		*version = current;
		result = INFOTEXT_CONFLICT;
		rc = DB_ERROR;     /* nothing to write */
	} else if (rc == DB_OK && same) {
		*version = current;
		result = INFOTEXT_OK;
		rc = DB_ERROR;
	}
	if (rc == DB_OK) {
		*version = current + 1;
		st = db_prepare(db, "INSERT INTO info_texts (slug, lang, version, title, body_md, body_html, note, demo, "
				    "created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
		rc = st ? db_bind(st, "ssissssiii", in->slug, in->lang, *version, in->title, in->body_md, html,
				  in->note ? in->note : "", (int64_t)in->demo, now, in->actor)
			: DB_ERROR;
		if (rc == DB_OK && !in->actor)
			rc = db_bind_null(st, 10);
		if (rc == DB_OK)
			rc = db_step(st);
		db_done(st);
		if (rc == DB_CONSTRAINT) {     /* saved by someone else at the same moment */
			result = INFOTEXT_CONFLICT;
			*version = current + 1;
		}
	}
	free(html);
	if (rc == DB_OK) {
		char subject[64], detail[INFOTEXT_NOTE_MAX * 4 + 32];
		snprintf(subject, sizeof subject, "text:%s:%s", in->slug, in->lang);
		snprintf(detail, sizeof detail, "version %" PRId64 "%s%s", *version, in->note && *in->note ? ": " : "",
			 in->note ? in->note : "");
		rc = audit_add(db, in->actor, "text.edit", subject, detail);
	}
	if (rc == DB_OK)
		rc = content_changed(db);
	if (rc == DB_OK && db_commit(db) == DB_OK)
		return INFOTEXT_OK;
	db_rollback(db);
	return result;
}
