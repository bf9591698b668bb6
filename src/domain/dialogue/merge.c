#include "domain/dialogue/merge.h"
#include "domain/dialogue/targets.h"
#include "core/buf.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/follow.h"
#include "domain/dialogue/idea.h"
#include "domain/notification.h"
#include "domain/dialogue/search.h"
#include "domain/dialogue/support.h"
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- similar ideas ---- */

/* title and summary joined by a blank, cut at a blank to at most
 * SIMILAR_TEXT_MAX characters. NULL when a text is not valid. malloc'd. */
static char *similar_text(const char *title, const char *summary)
{
	title = title ? title : "";
	summary = summary ? summary : "";
	if (!text_valid(title, true) || !text_valid(summary, true))
		return NULL;
	size_t lt = strlen(title), ls = strlen(summary);
	char *s = malloc(lt + ls + 2);
	if (!s)
		return NULL;
	memcpy(s, title, lt);
	s[lt] = ' ';
	memcpy(s + lt + 1, summary, ls + 1);
	size_t chars = 0, cut = 0, i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (++chars > SIMILAR_TEXT_MAX)
			break;
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			cut = i;
	}
	if (s[i])   /* too long: cut at the last blank (or hard, at a character boundary) */
		s[cut ? cut : i] = '\0';
	return s;
}

/* One word's matches: the visible ideas (not hidden, not merged, not
 * exclude) whose texts contain it, by id, at most $3 of them. */
static const char sql_word_sqlite[] =
	"SELECT i.id FROM ideas i WHERE i.id IN (SELECT rowid FROM ideas_fts WHERE ideas_fts MATCH '\"' || $1 || '\"') "
	"AND i.hidden_at IS NULL AND i.merged_into IS NULL AND i.id <> $2 ORDER BY i.id LIMIT $3";
static const char sql_word_postgres[] =
	"SELECT i.id FROM ideas i WHERE i.search @@ plainto_tsquery('german', $1) "
	"AND i.hidden_at IS NULL AND i.merged_into IS NULL AND i.id <> $2 ORDER BY i.id LIMIT $3";

struct hit { int64_t id; double weight; };

/* ln(x) for x >= 1, in plain arithmetic (the same everywhere, no libm):
 * x = 2^k * m with m in [1, 2), ln m = 2 atanh((m - 1) / (m + 1)). */
static double ln(double x)
{
	int k = 0;
	while (x >= 2) {
		x /= 2;
		k++;
	}
	double t = (x - 1) / (x + 1), t2 = t * t, term = t, sum = 0;
	for (int i = 1; i < 40; i += 2) {
		sum += term / i;
		term *= t2;
	}
	return k * 0.69314718055994530942 + 2 * sum;
}

static int hit_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct hit *)a)->id, y = ((const struct hit *)b)->id;
	return x < y ? -1 : x > y;
}

static int score_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;    /* newest first */
}

/* The ids of one word's matches into ids (cap + 1 room); their number, or -1. */
static long word_ids(struct db *db, const char *sql, const char *word, int64_t exclude, int64_t *ids)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st || db_bind(st, "sii", word, exclude, (int64_t)SIMILAR_COMMON + 1) != DB_OK) {
		db_done(st);
		return -1;
	}
	long n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		ids[n++] = db_int(st, 0);
	db_done(st);
	return rc == DB_OK ? n : -1;
}

static bool same_word(const char *a, size_t na, const char *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

bool similar_text_valid(const char *title, const char *summary)
{
	return text_valid(title ? title : "", true) && text_valid(summary ? summary : "", true);
}

json_t *similar_ideas(struct db *db, const char *lang, const char *title, const char *summary,
		      int64_t exclude, int limit)
{
	limit = limit < 1 || limit > SIMILAR_MAX ? SIMILAR_MAX : limit;
	char *text = similar_text(title, summary);
	char *words = text ? search_words(text) : NULL;
	free(text);
	if (!words)
		return NULL;
	const char *sql = strcmp(db_backend(db), "postgres") == 0 ? sql_word_postgres : sql_word_sqlite;
	/* the different words (of three characters or more), in order */
	char *w[SIMILAR_WORDS_MAX];
	size_t wn[SIMILAR_WORDS_MAX], nw = 0;
	for (char *p = words; *p && nw < SIMILAR_WORDS_MAX;) {
		size_t n = strcspn(p, " ");
		size_t chars = 0;
		for (size_t i = 0; i < n; i++)
			chars += ((unsigned char)p[i] & 0xC0) != 0x80;
		bool seen = chars < 3;
		for (size_t k = 0; k < nw && !seen; k++)
			seen = same_word(w[k], wn[k], p, n);
		if (!seen) {
			w[nw] = p;
			wn[nw++] = n;
		}
		p += n;
		if (*p)
			*p++ = '\0';
	}
	for (size_t k = 0; k < nw; k++)
		w[k][wn[k]] = '\0';

	int64_t total = db_one_int(db, -1, "SELECT COUNT(*) FROM ideas WHERE hidden_at IS NULL AND merged_into IS NULL "
				   "AND id <> $1", "i", exclude);
	struct hit *hits = malloc(sizeof *hits * (SIMILAR_COMMON + 1) * (nw ? nw : 1));
	int64_t *ids = malloc(sizeof *ids * (SIMILAR_COMMON + 1) * (nw ? nw : 1));
	long *starts = calloc(nw + 1, sizeof *starts), *counts = calloc(nw + 1, sizeof *counts);
	bool ok = total >= 0 && hits && ids && starts && counts;
	size_t nh = 0, used = 0;
	double sum = 0;
	for (size_t k = 0; ok && k < nw; k++) {
		int64_t *mine = ids + used;
		long n = word_ids(db, sql, w[k], exclude, mine);
		if (n < 0) {
			ok = false;
			break;
		}
		if (n == 0 || n > SIMILAR_COMMON)
			continue;
		bool dup = false;   /* exactly the ideas of an earlier word: another form of it */
		for (size_t j = 0; j < k && !dup; j++)
			dup = counts[j] == n && memcmp(ids + starts[j], mine, sizeof *mine * (size_t)n) == 0;
		if (dup)
			continue;
		starts[k] = (long)used;
		counts[k] = n;
		used += (size_t)n;
		double weight = ln((double)(total + 1) / (double)n);
		sum += weight;
		for (long i = 0; i < n; i++)
			hits[nh++] = (struct hit){ mine[i], weight };
	}
	free(words);
	free(ids);
	free(starts);
	free(counts);
	if (!ok) {
		free(hits);
		log_error("similar: %s", db_errmsg(db));
		return NULL;
	}
	/* one entry per idea with the sum of its words' weights (in word order) */
	size_t ni = 0;
	if (nh) {
		qsort(hits, nh, sizeof *hits, hit_cmp);
		for (size_t i = 0; i < nh; i++) {
			if (ni && hits[ni - 1].id == hits[i].id)
				hits[ni - 1].weight += hits[i].weight;
			else
				hits[ni++] = hits[i];
		}
		size_t kept = 0;
		for (size_t i = 0; i < ni; i++)
			if (hits[i].weight >= SIMILAR_SHARE * sum)
				hits[kept++] = hits[i];
		ni = kept;
		qsort(hits, ni, sizeof *hits, score_cmp);
	}
	json_t *items = json_array();
	int rc = DB_OK;
	for (size_t i = 0; rc == DB_OK && i < ni && (int)json_array_size(items) < limit; i++) {
		struct db_stmt *st = db_prepare(db, "SELECT " IDEA_COLS " " IDEA_JOINS "WHERE i.id = $1");
		rc = st ? db_bind(st, "i", hits[i].id) : DB_ERROR;
		if (rc == DB_OK)
			rc = db_step(st);
		if (rc == DB_ROW) {    /* none: deleted since the lookup */
			json_array_append_new(items, idea_item(st, lang));
			rc = DB_OK;
		}
		db_done(st);
	}
	free(hits);
	if (rc != DB_OK) {
		log_error("similar: %s", db_errmsg(db));
		json_decref(items);
		return NULL;
	}
	return json_pack("{so si si}", "items", items, "limit", limit, "max_limit", SIMILAR_MAX);
}

/* ---- merging ---- */

int64_t merge_target_parse(const char *s)
{
	if (!s)
		return 0;
	while (*s == ' ')
		s++;
	if (strncmp(s, "/ideas/", 7) == 0)
		s += 7;
	else if (*s == '#')
		s++;
	int64_t v = 0;
	size_t n = 0;
	for (; *s >= '0' && *s <= '9'; s++, n++) {
		if (n == 15)
			return 0;
		v = v * 10 + (*s - '0');
	}
	while (*s == ' ')
		s++;
	return *s || n == 0 ? 0 : v;
}

struct idea_facts {
	int64_t author;
	int64_t merged_into;
	int64_t comments;
	char status[24];
	char title[IDEA_TITLE_MAX * 4 + 1];
};

static int facts(struct db *db, int64_t id, struct idea_facts *f)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT COALESCE(author_id, 0), COALESCE(merged_into, 0), comment_count, status, title "
		"FROM ideas WHERE id = $1");
	enum { FACT_AUTHOR, FACT_MERGED_INTO, FACT_COMMENTS, FACT_STATUS, FACT_TITLE };
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		f->author = db_int(st, FACT_AUTHOR);
		f->merged_into = db_int(st, FACT_MERGED_INTO);
		f->comments = db_int(st, FACT_COMMENTS);
		snprintf(f->status, sizeof f->status, "%s", db_text(st, FACT_STATUS));
		snprintf(f->title, sizeof f->title, "%s", db_text(st, FACT_TITLE));
	}
	db_done(st);
	return rc;   /* DB_ROW found, DB_OK none, or an error */
}

static int history(struct db *db, int64_t idea, const char *from, const char *to, int64_t actor,
		   const char *role, const char *other_title, int64_t other, const char *reason, int64_t now)
{
	struct buf b;
	buf_init(&b, 8192);
	buf_printf(&b, "„%s“ (#%" PRId64 "): %s", other_title, other, reason);
	int rc = b.overflow ? DB_ERROR
		: db_run(db, "INSERT INTO idea_status_history (idea_id, from_status, to_status, actor_id, actor_role, "
			     "by_author, reason, at) VALUES ($1, $2, $3, $4, $5, 0, $6, $7)", "ississi",
			 idea, from, to, actor, role, b.data, now);
	buf_free(&b);
	return rc;
}

static int notify(struct db *db, int64_t user, int64_t actor, int64_t subject, int64_t into, int64_t from)
{
	char subj[40], data[96];
	snprintf(subj, sizeof subj, "idea:%" PRId64, subject);
	snprintf(data, sizeof data, "{\"into_id\": %" PRId64 ", \"from_id\": %" PRId64 "}", into, from);
	return notify_user(db, user, actor, NOTIFY_IDEA_MERGED, subj, data);
}

int idea_merge(struct db *db, int64_t id, int64_t target_id, int64_t actor_id, const char *actor_role,
	       const char *reason, int64_t now, struct field_errors *fe)
{
	size_t before = fe->count;
	if (!target_id)
		field_error(fe, "target", "required");
	else if (target_id == id)
		field_error(fe, "target", "self");
	check_text(fe, "reason", reason, MERGE_REASON_MIN, MERGE_REASON_MAX, 1);
	if (fe->count > before)
		return MERGE_INVALID;
	if (db_begin(db) != DB_OK)
		return MERGE_ERROR;
	/* both rows locked, the lower id first: merges running at the same time
	 * (a into b and b into a) wait for each other instead of both passing the checks */
	int rc = db_run(db, "UPDATE ideas SET merged_into = merged_into WHERE id = $1", "i", id < target_id ? id : target_id);
	if (rc == DB_OK)
		rc = db_run(db, "UPDATE ideas SET merged_into = merged_into WHERE id = $1", "i", id < target_id ? target_id : id);
	struct idea_facts dup, into;
	int found = rc == DB_OK ? facts(db, id, &dup) : rc;
	int found_target = found == DB_ROW ? facts(db, target_id, &into) : DB_ERROR;
	int result = MERGE_ERROR;
	if (found == DB_OK)
		result = MERGE_NOT_FOUND;
	else if (found == DB_ROW && dup.merged_into)
		result = MERGE_ALREADY;
	else if (found == DB_ROW && found_target == DB_OK)
		field_error(fe, "target", "not_found");
	else if (found == DB_ROW && found_target == DB_ROW && into.merged_into)
		field_error(fe, "target", "merged");
	if (fe->count > before)
		result = MERGE_INVALID;
	if (found != DB_ROW || found_target != DB_ROW || result != MERGE_ERROR) {
		db_rollback(db);
		return result;
	}
	char subject[40], detail[64];
	snprintf(subject, sizeof subject, "idea:%" PRId64, id);
	snprintf(detail, sizeof detail, "into idea:%" PRId64, target_id);
	rc = support_move(db, id, target_id);
	if (rc == DB_OK)
		rc = follow_move(db, &idea_target, id, target_id);
	if (rc == DB_OK)   /* the comments, threads and all (replies point to their thread, not the idea) */
		rc = db_run(db, "UPDATE comments SET target_id = $2 WHERE target_kind = 'idea' AND target_id = $1", "ii", id, target_id);
	if (rc == DB_OK)
		rc = db_run(db, "UPDATE ideas SET comment_count = comment_count + $2, last_activity_at = $3 WHERE id = $1",
			    "iii", target_id, dup.comments, now);
	if (rc == DB_OK)   /* ideas merged into the duplicate before lead to the target now */
		rc = db_run(db, "UPDATE ideas SET merged_into = $2 WHERE merged_into = $1", "ii", id, target_id);
	if (rc == DB_OK)
		rc = db_run(db, "UPDATE ideas SET merged_into = $2, merged_at = $3, comment_count = 0, "
				"last_activity_at = $3 WHERE id = $1", "iii", id, target_id, now);
	if (rc == DB_OK)
		rc = history(db, id, dup.status, "merged", actor_id, actor_role, into.title, target_id, reason, now);
	if (rc == DB_OK)
		rc = history(db, target_id, into.status, "merged_in", actor_id, actor_role, dup.title, id, reason, now);
	if (rc == DB_OK)
		rc = audit_add(db, actor_id, "idea.merge", subject, detail);
	if (rc == DB_OK)
		rc = notify(db, dup.author, actor_id, id, target_id, id);
	if (rc == DB_OK)
		rc = notify(db, into.author, actor_id, target_id, target_id, id);
	if (rc == DB_OK)
		rc = content_changed(db);
	if (rc != DB_OK || db_commit(db) != DB_OK) {
		log_error("merge: %s", db_errmsg(db));
		db_rollback(db);
		return MERGE_ERROR;
	}
	return MERGE_OK;
}

int64_t merge_target_of(struct db *db, int64_t id)
{
	int64_t into;
	return db_find_int(db, &into, "SELECT COALESCE(merged_into, 0) FROM ideas WHERE id = $1", "i", id) < 0 ? -1
													      : into;
}

json_t *merge_sources(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, title FROM ideas WHERE merged_into = $1 AND hidden_at IS NULL "
					    "ORDER BY merged_at, id LIMIT 50");
	if (!st)
		return NULL;
	json_t *out = json_array();
	int rc = db_bind(st, "i", id);
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		char url[48];
		snprintf(url, sizeof url, "/ideas/%" PRId64, db_int(st, 0));
		json_array_append_new(out, json_pack("{sI ss ss}", "id", (json_int_t)db_int(st, 0),
						     "title", db_text(st, 1), "url", url));
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}
