#include "domain/search.h"
#include "core/log.h"
#include "core/utf8.h"
#include "domain/idea.h"
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
	"WHERE i.id IN (SELECT rowid FROM ideas_fts WHERE ideas_fts MATCH (SELECT m FROM q)) AND i.hidden_at IS NULL "
	"ORDER BY grp, score DESC, i.created_at DESC, i.id DESC LIMIT $2 OFFSET $3";

#define TS_HAS_ALL(weights) "ts_filter(i.search, '" weights "') @@ q"
static const char sql_postgres[] =
	"SELECT " IDEA_COLS ", "
	"  CASE WHEN " TS_HAS_ALL("{a}") " THEN 0 WHEN " TS_HAS_ALL("{a,b}") " THEN 1 ELSE 2 END AS grp, "
	"  2 * (" TS_HAS_ALL("{b}") ")::int + (" TS_HAS_ALL("{c}") ")::int AS score "
	IDEA_JOINS "CROSS JOIN plainto_tsquery('german', $1) AS q "
	"WHERE i.search @@ q AND i.hidden_at IS NULL "
	"ORDER BY grp, score DESC, i.created_at DESC, i.id DESC LIMIT $2 OFFSET $3";

json_t *search_ideas(struct db *db, const char *lang, const char *query, int limit, int offset)
{
	char *words = search_words(query);
	if (!words)
		return NULL;
	limit = limit == 0 ? SEARCH_PAGE_DEFAULT : limit < 1 ? 1 : limit > SEARCH_PAGE_MAX ? SEARCH_PAGE_MAX : limit;
	offset = offset < 0 ? 0 : offset > SEARCH_OFFSET_MAX ? SEARCH_OFFSET_MAX : offset;
	json_t *items = json_array();
	json_t *next = NULL;
	int rc = DB_OK;
	if (*words) {
		const char *sql = strcmp(db_backend(db), "postgres") == 0 ? sql_postgres : sql_sqlite;
		struct db_stmt *st = db_prepare(db, sql);
		rc = st ? db_bind(st, "sii", words, (int64_t)limit + 1, (int64_t)offset) : DB_ERROR;
		int n = 0;
		while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
			rc = DB_OK;
			if (n++ == limit) {       /* one more than a page: there is a next page */
				if (offset + limit <= SEARCH_OFFSET_MAX)
					next = json_integer((json_int_t)offset + limit);
				break;
			}
			json_array_append_new(items, idea_item(st, lang));
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
