/* Full-text search over ideas: title, summary and description (the Markdown
 * text), on SQLite (FTS5, migrations/003_search.sql) and PostgreSQL
 * (tsvector, migrations/postgres/003_search.sql) alike.
 *
 * WORDS. A query is cut into words at every character that is not a letter
 * or a digit; everything else (quotes, *, :, (, ), -, ...) only separates
 * words, so no query syntax of either backend reaches the database. Both
 * backends then treat each word the same way, as PostgreSQL's 'german'
 * configuration does: lower-case; German stop words ("und", "der", "für",
 * "weg", ... PostgreSQL's german.stop) are left out; words with a digit are
 * compared as they are; every other word is reduced to its Snowball German
 * stem, which removes inflection endings and then maps ä, ö, ü to a, o, u and
 * ß to ss. So "Bäume" finds "Baum", "Spielplätze" "Spielplatz", "Radwege"
 * "Radweg", "Bänke" "Bank" (and "Banken"), "Straße" "Strassen", "Gärten"
 * "Garten", "Häuser" "Haus". Compounds are not split ("Rad" does not find
 * "Radweg"), and irregular forms stay apart ("läuft" does not find "laufen").
 *
 * ORDERING CONTRACT, the same on SQLite and PostgreSQL:
 *   1. Found are the ideas that contain every word of the query (after the
 *      steps above) in title, summary and description taken together. A
 *      query without words (empty, punctuation or stop words only) finds
 *      nothing.
 *   2. Relevance, in three groups: first the ideas whose title alone
 *      contains every word; then those whose title and summary together
 *      contain every word (for one word: matches in the summary, not in the
 *      title); then the rest, which need the description.
 *   3. Within a group, newest first: the idea handed in last (highest id)
 *      first.
 * The groups are decided by which texts contain the words, never by a
 * backend's own ranking function: bm25 (SQLite) and ts_rank (PostgreSQL)
 * are different formulas and would order many result lists differently,
 * and column weights alone cannot keep a title match ahead of many matches
 * in a long description. The order is one an index can deliver (src/domain/
 * search.c, HOW A PAGE IS FOUND): a page costs about the same for a rare
 * word and for one in every second idea.
 *
 * PAGES. A query has at most SEARCH_QUERY_MAX characters (without leading
 * and trailing blanks). Pages have SEARCH_PAGE_DEFAULT items, at most
 * SEARCH_PAGE_MAX; the answer states the limit. The next page continues
 * after a cursor, "G-ID": the group and the id of the last item shown
 * (comments: group 0). */
#ifndef UNBOX_SEARCH_H
#define UNBOX_SEARCH_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"

#define SEARCH_QUERY_MAX 200
#define SEARCH_PAGE_DEFAULT 20
#define SEARCH_PAGE_MAX 100

/* NULL when query can be searched; else why not: "too_long", or "invalid"
 * (not UTF-8 text, or control characters). */
const char *search_query_problem(const char *query);

/* The words of query (see WORDS) joined by single spaces: the only text of
 * the query handed to the database. "" when there are none (also for a NULL
 * query); NULL when search_query_problem refuses the query or memory runs
 * out. Free it. */
char *search_words(const char *query);

/* Where a page continues (see PAGES). */
struct search_cursor {
	int group;       /* 0..2 */
	int64_t id;      /* items below this id */
};
/* 0 when s is a cursor "G-ID" (stored in *c), -1 when not. */
int search_cursor_parse(const char *s, struct search_cursor *c);

/* One page of the ideas that match query, in the order of the contract,
 * after the cursor (NULL: the first page): {items: [...], next: the cursor
 * of the next page or null, limit, max_limit}. Items have the shape of
 * idea_list's. limit is clamped to 1..SEARCH_PAGE_MAX (0:
 * SEARCH_PAGE_DEFAULT). NULL when the query is refused (see
 * search_query_problem) or the database fails. */
json_t *search_ideas(struct db *db, const char *lang, const char *query, int limit,
		     const struct search_cursor *after);

/* COMMENTS. The text of comments (migrations/011_comment_search.sql) is
 * searched with the same WORDS; found are the comments that contain every
 * word, neither deleted nor hidden, on ideas that are not hidden; newest
 * first (id DESC). Items: {id, url (the idea's page with #comment-ID),
 * excerpt (the start of the text, at most SEARCH_EXCERPT_MAX bytes), author,
 * created_at, created_date, idea: {id, title, url}}. */
#define SEARCH_EXCERPT_MAX 240
enum search_scope { SEARCH_IDEAS = 0, SEARCH_COMMENTS };

/* search_ideas for either scope, the ideas (or the comments' ideas) limited
 * by the filter w (domain/idea.h; NULL: all). Same answer and limits. */
struct idea_where;
json_t *search_run(struct db *db, const char *lang, enum search_scope scope, const char *query,
		   const struct idea_where *w, int limit, const struct search_cursor *after);

/* How many ideas (or comments) search_run finds for query under w, counted
 * up to cap + 1 and no further (cap + 1: "more than cap"); 0 for a query
 * without words; -1 when the query is refused or the database failed. */
int64_t search_count(struct db *db, enum search_scope scope, const char *query, const struct idea_where *w,
		     int64_t cap);

#endif
