#include "domain/dialogue/idea_versions.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/dialogue/idea_details.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the line diff, pure ---- */

struct lines {
	const char **at;
	size_t *len;
	size_t n;
};

static int split(const char *s, struct lines *l)
{
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == '\n';
	l->at = malloc(n * sizeof *l->at);
	l->len = malloc(n * sizeof *l->len);
	l->n = 0;
	if (!l->at || !l->len)
		return -1;
	for (const char *p = s;;) {
		const char *e = strchr(p, '\n');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		if (k && p[k - 1] == '\r')
			k--;
		l->at[l->n] = p;
		l->len[l->n++] = k;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static bool same_line(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->at[i], b->at[j], a->len[i]) == 0;
}

static void put(json_t *out, const char *op, const char *text, size_t len)
{
	json_t *o = json_object();
	jset_str(o, "op", op);
	jset(o, "text", json_stringn(text, len));
	jset(o, op, json_true());   /* for templates: {{#del}} */
	json_array_append_new(out, o);
}

json_t *text_diff_lines(const char *a, const char *b)
{
	struct lines x = { 0 }, y = { 0 };
	json_t *out = NULL;
	uint32_t *lcs = NULL;
	if (split(a ? a : "", &x) < 0 || split(b ? b : "", &y) < 0)
		goto done;
	out = json_array();
	size_t n = x.n, m = y.n;
	if ((n + 1) * (m + 1) > TEXT_DIFF_CELLS) {   /* too long to compare: all of it replaced */
		for (size_t i = 0; i < n; i++)
			put(out, "del", x.at[i], x.len[i]);
		for (size_t j = 0; j < m; j++)
			put(out, "ins", y.at[j], y.len[j]);
		goto done;
	}
	lcs = calloc((n + 1) * (m + 1), sizeof *lcs);
	if (!lcs) {
		json_decref(out);
		out = NULL;
		goto done;
	}
#define L(i, j) lcs[(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			L(i, j) = same_line(&x, i, &y, j) ? L(i + 1, j + 1) + 1
				: L(i + 1, j) >= L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && same_line(&x, i, &y, j)) {
			put(out, "same", x.at[i], x.len[i]);
			i++, j++;
		} else if (i < n && (j == m || L(i + 1, j) >= L(i, j + 1))) {   /* what went first, then what came */
			put(out, "del", x.at[i], x.len[i]);
			i++;
		} else {
			put(out, "ins", y.at[j], y.len[j]);
			j++;
		}
	}
#undef L
done:
	free(lcs);
	free(x.at);
	free(x.len);
	free(y.at);
	free(y.len);
	return out;
}

/* ---- the versions ---- */

/* The columns of both statements below. */
enum { V_VERSION, V_TITLE, V_SUMMARY, V_DESCRIPTION, V_FIELD_SLUG, V_FIELD_DE, V_FIELD_EN, V_TEIL_NR, V_TEIL_NAME,
       V_DETAILS, V_ZIELBILDER = V_DETAILS + IDEA_DETAILS_NCOLS, V_EDITOR, V_CREATED };

/* IDEA_DETAILS_COLS read from the version's own columns (alias i). */
#define VERSION_COLS(src) \
	"i.version, i.title, i.summary, i.description_md, f.slug, f.name_de, f.name_en, t.nr, t.name, " \
	"i.lat_e6, i.lon_e6, i.needs, i.applicant_type, '', '', i.zielbilder, COALESCE(u.name, ''), i.created_at " \
	"FROM " src " i JOIN fields f ON f.id = i.field_id JOIN stadtteile t ON t.nr = i.stadtteil_nr "

static json_t *version_row(struct db_stmt *st, const char *lang, json_t *zielbild_names)
{
	char iso[32], date[32];
	bool en = lang && strcmp(lang, "en") == 0;
	json_t *o = json_object();
	jset_int(o, "version", db_int(st, V_VERSION));
	jset_str(o, "title", db_text(st, V_TITLE));
	jset_str(o, "summary", db_text(st, V_SUMMARY));
	jset_str(o, "description", db_text(st, V_DESCRIPTION));
	jset(o, "field", json_pack("{ss ss}", "slug", db_text(st, V_FIELD_SLUG),
				   "name", db_text(st, en ? V_FIELD_EN : V_FIELD_DE)));
	jset(o, "stadtteil", json_pack("{sI ss}", "nr", (json_int_t)db_int(st, V_TEIL_NR), "name", db_text(st, V_TEIL_NAME)));
	idea_details_row(st, V_DETAILS, lang, o);   /* location, needs, applicant_type (and an empty channel) */
	json_object_del(o, "channel");
	json_t *zb = json_array();
	const char *p = db_text(st, V_ZIELBILDER);
	while (*p) {
		size_t k = strcspn(p, ",");
		char slug[64];
		snprintf(slug, sizeof slug, "%.*s", (int)(k < 63 ? k : 63), p);
		const char *name = json_string_value(json_object_get(zielbild_names, slug));
		json_array_append_new(zb, json_pack("{ss ss}", "slug", slug, "name", name ? name : slug));
		p += k + (p[k] == ',');
	}
	jset(o, "zielbilder", zb);
	jset_str(o, "editor", db_text(st, V_EDITOR));
	clock_format_iso(db_int(st, V_CREATED), iso, sizeof iso);
	clock_format_date(db_int(st, V_CREATED), lang, date, sizeof date);
	jset_str(o, "created_at", iso);
	jset_str(o, "created_date", date);
	return o;
}

/* A list of {name} (or of {key, name}) as one text, for "before" and
 * "after"; malloc'd, NULL on out-of-memory. */
static char *names_text(json_t *list)
{
	struct buf b;
	buf_init(&b, 64 * 1024);
	size_t i;
	json_t *it;
	json_array_foreach(list, i, it) {
		if (i)
			buf_puts(&b, ", ");
		buf_puts(&b, json_string_value(json_object_get(it, "name")));
	}
	char *s = b.overflow ? NULL : strdup(b.data ? b.data : "");
	buf_free(&b);
	return s;
}

static const char *place_text(json_t *v, char *buf, size_t cap)
{
	json_t *loc = json_object_get(v, "location");
	if (!json_is_object(loc))
		return "";
	snprintf(buf, cap, "%s, %s", json_string_value(json_object_get(loc, "lat_text")),
		 json_string_value(json_object_get(loc, "lon_text")));
	return buf;
}

static void change(json_t *changes, const char *field, const char *before, const char *after)
{
	if (strcmp(before ? before : "", after ? after : "") != 0)
		json_array_append_new(changes, json_pack("{ss ss ss}", "field", field, "before", before ? before : "",
							 "after", after ? after : ""));
}

/* What changed from version a to version b. NULL on out-of-memory. */
static json_t *changes_between(json_t *a, json_t *b)
{
	json_t *out = json_array();
	static const char *const texts[] = { "title", "summary", NULL };
	for (int k = 0; texts[k]; k++)
		change(out, texts[k], json_string_value(json_object_get(a, texts[k])),
		       json_string_value(json_object_get(b, texts[k])));
	const char *da = json_string_value(json_object_get(a, "description"));
	const char *db_ = json_string_value(json_object_get(b, "description"));
	if (strcmp(da, db_) != 0) {
		json_t *lines = text_diff_lines(da, db_);
		if (!lines) {
			json_decref(out);
			return NULL;
		}
		json_array_append_new(out, json_pack("{ss so}", "field", "description", "lines", lines));
	}
	change(out, "field", json_string_value(json_object_get(json_object_get(a, "field"), "name")),
	       json_string_value(json_object_get(json_object_get(b, "field"), "name")));
	change(out, "stadtteil", json_string_value(json_object_get(json_object_get(a, "stadtteil"), "name")),
	       json_string_value(json_object_get(json_object_get(b, "stadtteil"), "name")));
	char pa[64], pb[64];
	change(out, "location", place_text(a, pa, sizeof pa), place_text(b, pb, sizeof pb));
	static const char *const lists[] = { "zielbilder", "needs", NULL };
	for (int k = 0; lists[k]; k++) {
		char *x = names_text(json_object_get(a, lists[k])), *y = names_text(json_object_get(b, lists[k]));
		if (x && y)
			change(out, lists[k], x, y);
		free(x);
		free(y);
	}
	json_t *ta = json_object_get(a, "applicant_type"), *tb = json_object_get(b, "applicant_type");
	change(out, "applicant_type", json_is_object(ta) ? json_string_value(json_object_get(ta, "name")) : "",
	       json_is_object(tb) ? json_string_value(json_object_get(tb, "name")) : "");
	size_t i;
	json_t *c;
	json_array_foreach(out, i, c) {   /* for templates: {{#is_description}} */
		char key[40];
		snprintf(key, sizeof key, "is_%s", json_string_value(json_object_get(c, "field")));
		jset(c, key, json_true());
	}
	return out;
}

int idea_versions(struct db *db, const char *lang, int64_t id, json_t **out)
{
	*out = NULL;
	json_t *zl = zielbild_list(db, lang);
	if (!zl)
		return -1;
	json_t *names = json_object();   /* slug -> name */
	size_t i;
	json_t *z;
	json_array_foreach(zl, i, z)
		json_object_set(names, json_string_value(json_object_get(z, "slug")), json_object_get(z, "name"));
	json_decref(zl);
	/* the newest IDEA_VERSIONS_MAX versions, oldest first (to compare each with the one before) */
	struct db_stmt *st = db_prepare(db,
		"SELECT * FROM (SELECT " VERSION_COLS("idea_versions") "LEFT JOIN users u ON u.id = i.edited_by WHERE i.idea_id = $1 "
		"ORDER BY i.version DESC LIMIT $2) v ORDER BY 1");
	int rc = st ? db_bind(st, "ii", id, (int64_t)IDEA_VERSIONS_MAX) : DB_ERROR;
	json_t *items = json_array();
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		json_array_append_new(items, version_row(st, lang, names));
	}
	db_done(st);
	if (rc == DB_OK && json_array_size(items) == 0) {   /* never edited: the idea as it is */
		st = db_prepare(db,
			"SELECT 1 AS version, i.title, i.summary, i.description_md, f.slug, f.name_de, f.name_en, "
			"t.nr, t.name, i.lat_e6, i.lon_e6, i.needs, i.applicant_type, '', '', '', COALESCE(u.name, ''), "
			"i.created_at FROM ideas i JOIN fields f ON f.id = i.field_id "
			"JOIN stadtteile t ON t.nr = i.stadtteil_nr LEFT JOIN users u ON u.id = i.author_id "
			"WHERE i.id = $1");
		rc = st ? db_bind(st, "i", id) : DB_ERROR;
		if (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
			rc = DB_OK;
			json_array_append_new(items, version_row(st, lang, names));
		} else if (rc == DB_OK) {
			rc = 1;   /* no such idea */
		}
		db_done(st);
	}
	json_decref(names);
	if (rc != DB_OK) {
		json_decref(items);
		return rc == 1 ? 0 : -1;
	}
	/* newest first, each with what changed against the one before */
	json_t *list = json_array();
	size_t n = json_array_size(items);
	bool failed = false;
	for (size_t k = n; k-- > 0;) {
		json_t *v = json_array_get(items, k);
		jset(v, "first", json_boolean(k == 0));
		json_t *ch = k > 0 ? changes_between(json_array_get(items, k - 1), v) : json_array();
		failed |= !ch;
		jset(v, "changes", ch ? ch : json_array());
		jset(v, "has_changes", json_boolean(ch && json_array_size(ch) > 0));
		json_array_append(list, v);
	}
	json_decref(items);
	if (failed) {
		json_decref(list);
		return -1;
	}
	*out = json_object();
	jset_int(*out, "count", (int64_t)n);
	jset_int(*out, "max", IDEA_VERSIONS_MAX);
	jset(*out, "items", list);
	return 1;
}
