#include "domain/dialogue/search.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/clock.h"
#include "domain/dialogue/idea.h"
#include <errno.h>
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

/* HOW A PAGE IS FOUND. Every step reads matches newest first (id DESC) and
 * stops when the page is full, so a page costs about the same whether a word
 * is in ten ideas or in ten thousand: no statement computes a key for every
 * match and sorts them all. Ideas are read one group after the other (title,
 * title and summary, the rest), comments in one stream.
 *
 * SQLite: FTS5 keeps each word's list of rows in rowid order, so a MATCH with
 * ORDER BY rowid DESC streams; the groups are column filters of one MATCH
 * expression ("{title} : (...)", NOT for "but not the group before").
 *
 * PostgreSQL: a GIN index answers "which rows contain the words" in no
 * particular order, and the planner cannot tell in advance whether a word is
 * rare (take every match, sort them) or common (walk the primary key
 * backwards, test each row, stop after a page). So each step first takes up
 * to PROBE_IDEAS (PROBE_COMMENTS) matches through the index: fewer than that, and they are
 * all there is, sorted in the same statement. Otherwise the word is common
 * and a second statement walks the primary key, testing the words with
 * ts_match_vq (the function behind @@, which no index answers, so the
 * planner has no choice but the walk). A walk over ideas costs more per row
 * than one over comments (an idea's tsvector of all three texts is long and
 * read from TOAST), so ideas take more matches through the index first. Groups use their own columns
 * (migrations/postgres/012_search_groups.sql): search_title, search_lead
 * (title and summary) and search (all three texts).
 *
 * Parameters of every statement: $1 the match (an FTS5 expression on SQLite,
 * the words on PostgreSQL), $2 the id the page continues below, $3 how many
 * rows are wanted, $4..$10 the filter (idea_where_bind). */
#define PROBE_IDEAS 1000
#define PROBE_COMMENTS 250
#define STR_(x) #x
#define STR(x) STR_(x)
#define IDEA_FILTER \
	"AND i.hidden_at IS NULL AND i.merged_into IS NULL " \
	"AND " IDEA_WHERE_SQL("$4", "$5", "$6", "$7", "$8", "$9", "$10")
#define IDEA_JOINS_AFTER_I \
	"JOIN fields f ON f.id = i.field_id JOIN stadtbezirke b ON b.nr = i.bezirk_nr " \
	"JOIN stadtteile t ON t.nr = i.stadtteil_nr "

static const char ideas_sqlite[] =
	"SELECT " IDEA_COLS " FROM ideas_fts s JOIN ideas i ON i.id = s.rowid " IDEA_JOINS_AFTER_I
	"WHERE ideas_fts MATCH $1 AND s.rowid < $2 " IDEA_FILTER
	"ORDER BY s.rowid DESC LIMIT $3";

/* PostgreSQL, one pair of statements per group: the probe (gin: the group's
 * condition as the index answers it) and the walk. The probe sorts the
 * matches it took by id and reads their rows one after the other through
 * LATERAL, so that the first page's rows are read and no more (a plain join
 * lets the planner walk the whole table towards the matches instead). Its
 * answer ends with the number of matches it took (PROBE_COUNT_COL); when the page
 * is empty it is one row with NULL columns and that number. */
#define PG_PROBE(probe, gin, cols, from, filter) \
	"WITH m AS MATERIALIZED (SELECT x.id FROM " gin " AND x.id < $2 LIMIT " STR(probe) ") " \
	"SELECT page.*, (SELECT count(*) FROM m) FROM (SELECT 1) one LEFT JOIN (" \
	"  SELECT r.* FROM (SELECT id FROM m ORDER BY id DESC) mm CROSS JOIN LATERAL (" \
	"    SELECT " cols " " from " WHERE " filter ") r ORDER BY mm.id DESC LIMIT $3" \
	") page ON true ORDER BY page.id DESC"
#define PG_IDEA_PROBE(gin) \
	PG_PROBE(PROBE_IDEAS, "ideas x, plainto_tsquery('german', $1) q WHERE " gin, IDEA_COLS, "FROM ideas i " IDEA_JOINS_AFTER_I, \
		 "i.id = mm.id " IDEA_FILTER)
#define PG_WALK(cond) \
	"SELECT " IDEA_COLS ", 0 FROM ideas i " IDEA_JOINS_AFTER_I "CROSS JOIN plainto_tsquery('german', $1) q " \
	"WHERE " cond " AND i.id < $2 " IDEA_FILTER "ORDER BY i.id DESC LIMIT $3"
static const char *const ideas_postgres[3][2] = {
	{ PG_IDEA_PROBE("x.search_title @@ q"), PG_WALK("ts_match_vq(i.search_title, q)") },
	{ PG_IDEA_PROBE("x.search_lead @@ q AND NOT x.search_title @@ q"),
	  PG_WALK("ts_match_vq(i.search_lead, q) AND NOT ts_match_vq(i.search_title, q)") },
	{ PG_IDEA_PROBE("x.search @@ q AND NOT x.search_lead @@ q"),
	  PG_WALK("ts_match_vq(i.search, q) AND NOT ts_match_vq(i.search_lead, q)") },
};

/* Comments: the words in the text of a comment that is neither deleted nor
 * hidden, on an idea that is not hidden and passes the filter. */
#define COMMENT_COLS "c.id, c.target_id, i.title, c.body_md, c.created_at, COALESCE(u.name, '') "   /* COMMENT_... */
#define COMMENT_FILTER \
	"AND c.deleted_at IS NULL AND c.hidden_at IS NULL AND i.hidden_at IS NULL " \
	"AND " IDEA_WHERE_SQL("$4", "$5", "$6", "$7", "$8", "$9", "$10")
static const char comments_sqlite[] =
	"SELECT " COMMENT_COLS "FROM comments_fts s JOIN comments c ON c.id = s.rowid "
	"JOIN ideas i ON c.target_kind = 'idea' AND i.id = c.target_id LEFT JOIN users u ON u.id = c.author_id "
	"WHERE comments_fts MATCH $1 AND s.rowid < $2 " COMMENT_FILTER
	"ORDER BY s.rowid DESC LIMIT $3";
static const char *const comments_postgres[2] = {
	PG_PROBE(PROBE_COMMENTS, "comments x, plainto_tsquery('german', $1) q WHERE x.search @@ q", COMMENT_COLS,
		 "FROM comments c JOIN ideas i ON c.target_kind = 'idea' AND i.id = c.target_id LEFT JOIN users u ON u.id = c.author_id",
		 "c.id = mm.id " COMMENT_FILTER),
	"SELECT " COMMENT_COLS ", 0 FROM comments c JOIN ideas i ON c.target_kind = 'idea' AND i.id = c.target_id "
	"LEFT JOIN users u ON u.id = c.author_id CROSS JOIN plainto_tsquery('german', $1) q "
	"WHERE ts_match_vq(c.search, q) AND c.id < $2 " COMMENT_FILTER "ORDER BY c.id DESC LIMIT $3",
};
enum { COMMENT_ID, COMMENT_IDEA_ID, COMMENT_IDEA_TITLE, COMMENT_BODY, COMMENT_CREATED_AT, COMMENT_AUTHOR,
       COMMENT_NCOLS };
/* The probes' last column: the number of matches taken (after IDEA_COLS or COMMENT_COLS). */
#define PROBE_COUNT_COL(scope) ((scope) == SEARCH_COMMENTS ? COMMENT_NCOLS : IDEA_NCOLS)

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
	int64_t id = db_int(st, COMMENT_ID), idea = db_int(st, COMMENT_IDEA_ID), created = db_int(st, COMMENT_CREATED_AT);
	clock_format_iso(created, iso, sizeof iso);
	clock_format_date(created, lang, date, sizeof date);
	snprintf(idea_url, sizeof idea_url, "/ideas/%" PRId64, idea);
	snprintf(url, sizeof url, "/ideas/%" PRId64 "#comment-%" PRId64, idea, id);
	return json_pack("{sI ss so ss ss ss s{sI ss ss}}", "id", (json_int_t)id, "url", url,
			 "excerpt", excerpt(db_text(st, COMMENT_BODY)), "author", db_text(st, COMMENT_AUTHOR),
			 "created_at", iso, "created_date", date, "idea", "id", (json_int_t)idea,
			 "title", db_text(st, COMMENT_IDEA_TITLE), "url", idea_url);
}

int search_cursor_parse(const char *s, struct search_cursor *c)
{
	if (!s || s[0] < '0' || s[0] > '2' || s[1] != '-' || s[2] < '1' || s[2] > '9' || strlen(s) > 22)
		return -1;
	char *end;
	errno = 0;
	long long id = strtoll(s + 2, &end, 10);
	if (*end || errno)
		return -1;
	c->group = s[0] - '0';
	c->id = id;
	return 0;
}

/* The page being filled: items and the group each came from (for the cursor). */
struct page {
	struct db *db;
	const char *lang;
	enum search_scope scope;
	const struct idea_where *w;
	json_t *items;
	int groups[SEARCH_PAGE_MAX + 1];
	int have;
};

/* Runs one statement with its parameters and adds its rows to the page.
 * For a PostgreSQL probe (probe set) nothing is added when the probe took
 * all the matches it may take: *probe set true, and the walk has to answer. */
static int run(struct page *p, const char *sql, const char *match, int group, int64_t below, int want,
	       bool *probe)
{
	struct db_stmt *st = db_prepare(p->db, sql);
	int rc = st ? db_bind(st, "sii", match, below, (int64_t)want) : DB_ERROR;
	if (rc == DB_OK)
		rc = idea_where_bind(st, 4, p->w);
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		if (probe && (*probe = db_int(st, PROBE_COUNT_COL(p->scope)) >=
				       (p->scope == SEARCH_COMMENTS ? PROBE_COMMENTS : PROBE_IDEAS)))
			break;
		if (db_is_null(st, IDEA_COL_ID))       /* the probe's one row of an empty page (COMMENT_ID too) */
			continue;
		p->groups[p->have++] = group;
		json_array_append_new(p->items, p->scope == SEARCH_COMMENTS ? comment_item(st, p->lang)
									    : idea_item(st, p->lang));
	}
	db_done(st);
	return rc;
}

/* Up to want more rows of one group of ideas (or of the comments), below
 * the id given. */
static int fill(struct page *p, const char *match, int group, int64_t below, int want)
{
	bool comments = p->scope == SEARCH_COMMENTS;
	if (strcmp(db_backend(p->db), "postgres") != 0)
		return run(p, comments ? comments_sqlite : ideas_sqlite, match, group, below, want, NULL);
	const char *const *pair = comments ? comments_postgres : ideas_postgres[group];
	bool common = false;
	int rc = run(p, pair[0], match, group, below, want, &common);
	return rc == DB_OK && common ? run(p, pair[1], match, group, below, want, NULL) : rc;
}

/* The FTS5 expression of one group of ideas (SQLite): every word as a
 * phrase ("w1" "w2"), limited to the group's columns. */
static char *fts_match(const char *words, enum search_scope scope, int group)
{
	struct buf all;
	buf_init(&all, 4 * SEARCH_QUERY_MAX + 64);
	buf_putc(&all, '"');
	for (const char *p = words; *p; p++) {
		if (*p == ' ')
			buf_puts(&all, "\" \"");
		else
			buf_putc(&all, *p);
	}
	buf_putc(&all, '"');
	struct buf m;
	buf_init(&m, 3 * all.len + 128);
	if (scope == SEARCH_COMMENTS)
		buf_printf(&m, "%s", all.data);
	else if (group == 0)
		buf_printf(&m, "{title} : (%s)", all.data);
	else if (group == 1)
		buf_printf(&m, "({title summary} : (%s)) NOT ({title} : (%s))", all.data, all.data);
	else
		buf_printf(&m, "(%s) NOT ({title summary} : (%s))", all.data, all.data);
	char *out = all.overflow || m.overflow ? NULL : strdup(m.data);
	buf_free(&all);
	buf_free(&m);
	return out;
}

json_t *search_run(struct db *db, const char *lang, enum search_scope scope, const char *query,
		   const struct idea_where *w, int limit, const struct search_cursor *after)
{
	char *words = search_words(query);
	if (!words)
		return NULL;
	limit = limit == 0 ? SEARCH_PAGE_DEFAULT : limit < 1 ? 1 : limit > SEARCH_PAGE_MAX ? SEARCH_PAGE_MAX : limit;
	struct idea_where all = { .status = "", .cycles = "" };
	struct page s = { .db = db, .lang = lang, .scope = scope, .w = w ? w : &all, .items = json_array() };
	bool pg = strcmp(db_backend(db), "postgres") == 0;
	int first = after && scope == SEARCH_IDEAS ? after->group : 0;
	int last = scope == SEARCH_IDEAS ? 2 : 0;
	int rc = DB_OK;
	/* one row more than a page: then there is a next page */
	for (int g = first; *words && !s.w->none && rc == DB_OK && g <= last && s.have <= limit; g++) {
		int64_t below = after && g == first ? after->id : INT64_MAX;
		char *match = pg ? NULL : fts_match(words, scope, g);
		rc = pg || match ? fill(&s, pg ? words : match, g, below, limit + 1 - s.have) : DB_ERROR;
		free(match);
	}
	free(words);
	if (rc != DB_OK) {
		log_error("search: %s", db_errmsg(db));
		json_decref(s.items);
		return NULL;
	}
	json_t *next = json_null();
	if (s.have > limit) {
		json_array_remove(s.items, (size_t)limit);
		char c[32];
		json_t *lastitem = json_array_get(s.items, (size_t)limit - 1);
		snprintf(c, sizeof c, "%d-%" PRId64, s.groups[limit - 1],
			 (int64_t)json_integer_value(json_object_get(lastitem, "id")));
		next = json_string(c);
	}
	return json_pack("{so so si si}", "items", s.items, "next", next, "limit", limit, "max_limit", SEARCH_PAGE_MAX);
}

/* The matches of every group at once, counted up to $3 ($2: no cursor). */
static const char count_ideas_sqlite[] =
	"SELECT COUNT(*) FROM (SELECT 1 FROM ideas_fts s JOIN ideas i ON i.id = s.rowid "
	"WHERE ideas_fts MATCH $1 AND s.rowid < $2 " IDEA_FILTER "LIMIT $3) n";
static const char count_comments_sqlite[] =
	"SELECT COUNT(*) FROM (SELECT 1 FROM comments_fts s JOIN comments c ON c.id = s.rowid "
	"JOIN ideas i ON c.target_kind = 'idea' AND i.id = c.target_id "
	"WHERE comments_fts MATCH $1 AND s.rowid < $2 " COMMENT_FILTER "LIMIT $3) n";
static const char count_ideas_pg[] =
	"SELECT count(*) FROM (SELECT 1 FROM ideas i CROSS JOIN plainto_tsquery('german', $1) q "
	"WHERE i.search @@ q AND i.id < $2 " IDEA_FILTER "LIMIT $3) n";
static const char count_comments_pg[] =
	"SELECT count(*) FROM (SELECT 1 FROM comments c JOIN ideas i ON c.target_kind = 'idea' AND i.id = c.target_id "
	"CROSS JOIN plainto_tsquery('german', $1) q WHERE c.search @@ q AND c.id < $2 " COMMENT_FILTER "LIMIT $3) n";

int64_t search_count(struct db *db, enum search_scope scope, const char *query, const struct idea_where *w,
		     int64_t cap)
{
	char *words = search_words(query);
	if (!words)
		return -1;
	struct idea_where all = { .status = "", .cycles = "" };
	if (!w)
		w = &all;
	if (!*words || w->none) {
		free(words);
		return 0;
	}
	bool pg = strcmp(db_backend(db), "postgres") == 0;
	bool comments = scope == SEARCH_COMMENTS;
	char *match = pg ? NULL : fts_match(words, SEARCH_COMMENTS, 0);   /* the words in any column */
	struct db_stmt *st = !pg && !match ? NULL
		: db_prepare(db, pg ? (comments ? count_comments_pg : count_ideas_pg)
				    : (comments ? count_comments_sqlite : count_ideas_sqlite));
	int rc = st ? db_bind(st, "sii", pg ? words : match, INT64_MAX, cap + 1) : DB_ERROR;
	if (rc == DB_OK)
		rc = idea_where_bind(st, 4, w);
	if (rc == DB_OK)
		rc = db_step(st);
	int64_t n = rc == DB_ROW ? db_int(st, 0) : -1;
	db_done(st);
	free(match);
	free(words);
	return n;
}

json_t *search_ideas(struct db *db, const char *lang, const char *query, int limit,
		     const struct search_cursor *after)
{
	return search_run(db, lang, SEARCH_IDEAS, query, NULL, limit, after);
}
