#include "domain/search.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/clock.h"
#include "domain/idea.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The query without leading and trailing blanks: start and length. */
static const char *trimmed(const char *q, size_t *n)
{
	while (blank(*q))
		q++;
	size_t len = strlen(q);
	while (len > 0 && blank(q[len - 1]))
		len--;
	*n = len;
	return q;
}

const char *search_query_problem(const char *query)
{
	if (!query)
		return NULL;
	if (!text_valid(query, true))
		return "invalid";
	size_t n, chars = 0;
	const char *q = trimmed(query, &n);
	for (size_t i = 0; i < n; i++)
		chars += ((unsigned char)q[i] & 0xC0) != 0x80;
	return chars > SEARCH_QUERY_MAX ? "too_long" : NULL;
}

/* The code point at s (valid UTF-8) and its length in bytes. */
static uint32_t decode(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if (s[0] < 0xE0) {
		*len = 2;
		return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if (s[0] < 0xF0) {
		*len = 3;
		return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	*len = 4;
	return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
	       (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

/* Letters and digits belong to words; ASCII punctuation, controls, and the
 * common punctuation and symbol blocks beyond ASCII separate them. */
static bool word_char(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (c <= 0xBF)      /* C1 controls, no-break space, Latin-1 punctuation and signs */
		return c == 0xAA || c == 0xB5 || c == 0xBA;            /* ª µ º are letters */
	if (c == 0xD7 || c == 0xF7)                                    /* × ÷ */
		return false;
	static const struct { uint32_t from, to; } separators[] = {
		{ 0x2000, 0x206F },    /* spaces, dashes, quotes, ellipsis, bullets */
		{ 0x20A0, 0x20CF },    /* currency signs */
		{ 0x2190, 0x23FF },    /* arrows, mathematical operators, technical signs */
		{ 0x2500, 0x27BF },    /* box drawing, shapes, symbols, dingbats */
		{ 0x2E00, 0x2E7F },    /* supplemental punctuation */
		{ 0x3000, 0x3004 },    /* ideographic space and punctuation */
		{ 0x3008, 0x3020 },
		{ 0xFE10, 0xFE1F }, { 0xFE30, 0xFE4F },    /* vertical and compatibility forms */
		{ 0xFF01, 0xFF0F }, { 0xFF1A, 0xFF20 }, { 0xFF3B, 0xFF40 }, { 0xFF5B, 0xFF65 },  /* fullwidth */
		{ 0x1F000, 0x1FAFF },  /* emoji and other pictographs */
	};
	for (size_t i = 0; i < sizeof separators / sizeof separators[0]; i++)
		if (c >= separators[i].from && c <= separators[i].to)
			return false;
	return true;
}

char *search_words(const char *query)
{
	if (!query)
		query = "";
	if (search_query_problem(query))
		return NULL;
	size_t n;
	const unsigned char *q = (const unsigned char *)trimmed(query, &n);
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	bool in_word = false;
	for (size_t i = 0, len; i < n; i += len) {
		uint32_t c = decode(q + i, &len);
		if (!word_char(c)) {
			in_word = false;
			continue;
		}
		if (!in_word && o > out)
			*o++ = ' ';
		in_word = true;
		memcpy(o, q + i, len);
		o += len;
	}
	*o = '\0';
	return out;
}

/* The one difference between the backends: how matches are found and how
 * the keys of the ordering contract are computed. $1 is search_words(query),
 * $2 the page size (plus one, to know whether there is a next page), $3 the
 * offset. Both select the idea_item columns, then grp (0: the title contains
 * every word, 1: title and summary together do, 2: the rest) and score
 * (2 when the summary alone contains every word, plus 1 when the
 * description does). */
#define FTS_HAS_ALL(columns) \
	"i.id IN (SELECT rowid FROM ideas_fts WHERE ideas_fts MATCH (SELECT '{" columns "} : (' || m || ')' FROM q))"
static const char sql_sqlite[] =
	"WITH q (m) AS (SELECT '\"' || replace($1, ' ', '\" \"') || '\"') "
	"SELECT " IDEA_COLS ", "
	"  CASE WHEN " FTS_HAS_ALL("title") " THEN 0 WHEN " FTS_HAS_ALL("title summary") " THEN 1 ELSE 2 END AS grp, "
	"  2 * (" FTS_HAS_ALL("summary") ") + (" FTS_HAS_ALL("description_md") ") AS score "
	IDEA_JOINS
	"WHERE i.id IN (SELECT rowid FROM ideas_fts WHERE ideas_fts MATCH (SELECT m FROM q)) AND i.hidden_at IS NULL AND i.merged_into IS NULL "
	"  AND " IDEA_WHERE_SQL("$4", "$5", "$6", "$7", "$8", "$9", "$10")
	"ORDER BY grp, score DESC, i.created_at DESC, i.id DESC LIMIT $2 OFFSET $3";

#define TS_HAS_ALL(weights) "ts_filter(i.search, '" weights "') @@ q"
static const char sql_postgres[] =
	"SELECT " IDEA_COLS ", "
	"  CASE WHEN " TS_HAS_ALL("{a}") " THEN 0 WHEN " TS_HAS_ALL("{a,b}") " THEN 1 ELSE 2 END AS grp, "
	"  2 * (" TS_HAS_ALL("{b}") ")::int + (" TS_HAS_ALL("{c}") ")::int AS score "
	IDEA_JOINS "CROSS JOIN plainto_tsquery('german', $1) AS q "
	"WHERE i.search @@ q AND i.hidden_at IS NULL AND i.merged_into IS NULL "
	"  AND " IDEA_WHERE_SQL("$4", "$5", "$6", "$7", "$8", "$9", "$10")
	"ORDER BY grp, score DESC, i.created_at DESC, i.id DESC LIMIT $2 OFFSET $3";

/* Comments: the words in the text of a comment that is neither deleted nor
 * hidden, on an idea that is not hidden; newest first. $1..$3 as above,
 * $4..$10 the filter on the comment's idea. */
#define COMMENT_COLS "c.id, c.idea_id, i.title, c.body_md, c.created_at, COALESCE(u.name, '') "
#define COMMENT_WHERE \
	"AND c.deleted_at IS NULL AND c.hidden_at IS NULL AND i.hidden_at IS NULL " \
	"AND " IDEA_WHERE_SQL("$4", "$5", "$6", "$7", "$8", "$9", "$10")
static const char comments_sqlite[] =
	"SELECT " COMMENT_COLS "FROM comments_fts ft JOIN comments c ON c.id = ft.rowid "
	"JOIN ideas i ON i.id = c.idea_id LEFT JOIN users u ON u.id = c.author_id "
	"WHERE comments_fts MATCH ('\"' || replace($1, ' ', '\" \"') || '\"') " COMMENT_WHERE
	"ORDER BY ft.rowid DESC LIMIT $2 OFFSET $3";
static const char comments_postgres[] =
	"SELECT " COMMENT_COLS "FROM comments c JOIN ideas i ON i.id = c.idea_id "
	"LEFT JOIN users u ON u.id = c.author_id CROSS JOIN plainto_tsquery('german', $1) AS q "
	"WHERE c.search @@ q " COMMENT_WHERE
	"ORDER BY c.id DESC LIMIT $2 OFFSET $3";

/* The start of a comment's text, blanks collapsed, cut at a character
 * boundary after at most SEARCH_EXCERPT_MAX bytes, with "…" when cut. */
static json_t *excerpt(const char *text)
{
	char out[SEARCH_EXCERPT_MAX + 8];
	size_t o = 0;
	bool space = false;
	for (const char *p = text; *p; p++) {
		if (blank(*p)) {
			space = o > 0;
			continue;
		}
		size_t len = 1;
		while ((p[len] & 0xC0) == 0x80)
			len++;
		if (o + (space ? 1 : 0) + len > SEARCH_EXCERPT_MAX) {
			memcpy(out + o, "\xE2\x80\xA6", 3);   /* … */
			o += 3;
			break;
		}
		if (space)
			out[o++] = ' ';
		space = false;
		memcpy(out + o, p, len);
		o += len;
		p += len - 1;
	}
	out[o] = '\0';
	return json_string(out);
}

static json_t *comment_item(struct db_stmt *st, const char *lang)
{
	char iso[32], date[32], url[80], idea_url[48];
	int64_t id = db_int(st, 0), idea = db_int(st, 1), created = db_int(st, 4);
	clock_format_iso(created, iso, sizeof iso);
	clock_format_date(created, lang, date, sizeof date);
	snprintf(idea_url, sizeof idea_url, "/ideas/%" PRId64, idea);
	snprintf(url, sizeof url, "/ideas/%" PRId64 "#comment-%" PRId64, idea, id);
	return json_pack("{sI ss so ss ss ss s{sI ss ss}}", "id", (json_int_t)id, "url", url,
			 "excerpt", excerpt(db_text(st, 3)), "author", db_text(st, 5), "created_at", iso,
			 "created_date", date, "idea", "id", (json_int_t)idea, "title", db_text(st, 2), "url", idea_url);
}

json_t *search_run(struct db *db, const char *lang, enum search_scope scope, const char *query,
		   const struct idea_where *w, int limit, int offset)
{
	char *words = search_words(query);
	if (!words)
		return NULL;
	limit = limit == 0 ? SEARCH_PAGE_DEFAULT : limit < 1 ? 1 : limit > SEARCH_PAGE_MAX ? SEARCH_PAGE_MAX : limit;
	offset = offset < 0 ? 0 : offset > SEARCH_OFFSET_MAX ? SEARCH_OFFSET_MAX : offset;
	json_t *items = json_array();
	json_t *next = NULL;
	int rc = DB_OK;
	struct idea_where all = { .status = "", .cycles = "" };
	if (!w)
		w = &all;
	if (*words && !w->none) {
		bool pg = strcmp(db_backend(db), "postgres") == 0;
		const char *sql = scope == SEARCH_COMMENTS ? (pg ? comments_postgres : comments_sqlite)
							   : (pg ? sql_postgres : sql_sqlite);
		struct db_stmt *st = db_prepare(db, sql);
		rc = st ? db_bind(st, "sii", words, (int64_t)limit + 1, (int64_t)offset) : DB_ERROR;
		if (rc == DB_OK)
			rc = idea_where_bind(st, 4, w);
		int n = 0;
		while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
			rc = DB_OK;
			if (n++ == limit) {       /* one more than a page: there is a next page */
				if (offset + limit <= SEARCH_OFFSET_MAX)
					next = json_integer((json_int_t)offset + limit);
				break;
			}
			json_array_append_new(items, scope == SEARCH_COMMENTS ? comment_item(st, lang)
									 : idea_item(st, lang));
		}
		db_done(st);
	}
	free(words);
	if (rc != DB_OK) {
		log_error("search: %s", db_errmsg(db));
		json_decref(items);
		json_decref(next);
		return NULL;
	}
	return json_pack("{so so si si}", "items", items, "next", next ? next : json_null(), "limit", limit,
			 "max_limit", SEARCH_PAGE_MAX);
}

json_t *search_ideas(struct db *db, const char *lang, const char *query, int limit, int offset)
{
	return search_run(db, lang, SEARCH_IDEAS, query, NULL, limit, offset);
}
