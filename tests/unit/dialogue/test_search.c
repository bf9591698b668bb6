/* Full-text search (src/domain/search.h) on a real migrated database: a
 * SQLite file, or a fresh PostgreSQL database when UNBOX_TEST_PG names a
 * scripts/pgtmp cluster (see testdb.h). Every expectation here is the same
 * on both backends: that is the point of the ordering contract. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "testdb.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea.h"
#include "domain/place.h"
#include "domain/dialogue/search.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */

struct fixture {
	char dir[64];
	struct db *db;
	int64_t cycle;
};

static int db_setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));    /* expected failures stay quiet */
	struct fixture *f = calloc(1, sizeof *f);
	char dsn[256];
	if (!f || testdb_world_open("search", f->dir, sizeof f->dir, dsn, sizeof dsn, &f->db, T0, &f->cycle) < 0)
		return -1;
	*state = f;
	return 0;
}

static int db_teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	testdb_remove(f->dir);
	free(f);
	return 0;
}

static struct db *DB(void **state) { return ((struct fixture *)*state)->db; }

/* Stores an idea created `day` days after T0; returns its id. */
static int64_t add(void **state, int day, const char *title, const char *summary, const char *description)
{
	struct fixture *f = *state;
	struct idea_input in = { .title = title, .summary = summary, .description = description,
				 .field = "mobility", .stadtteil = "105" };
	int64_t id = 0;
	assert_int_equal(idea_insert(f->db, f->cycle, 0, &in, T0 + (int64_t)day * DAY, &id), IDEA_OK);
	assert_true(id > 0);
	return id;
}

/* The ids search_ideas finds for q on the one page after cursor c (NULL:
 * the first; up to 100), as "3 1 2". */
static const char *found_cursor(struct db *db, const char *q, const struct search_cursor *c)
{
	static char out[1024];
	json_t *page = search_ideas(db, "de", q, SEARCH_PAGE_MAX, c);
	assert_non_null(page);
	size_t i, n = 0;
	json_t *item;
	out[0] = '\0';
	json_array_foreach(json_object_get(page, "items"), i, item)
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%lld", i ? " " : "",
				      (long long)json_integer_value(json_object_get(item, "id")));
	json_decref(page);
	return out;
}

static const char *found(struct db *db, const char *q)
{
	return found_cursor(db, q, NULL);
}

/* The same, but read in pages of limit, following the next cursors. */
static const char *found_paged(struct db *db, const char *q, int limit)
{
	static char out[1024];
	size_t n = 0;
	out[0] = '\0';
	struct search_cursor c, *after = NULL;
	for (int pages = 0; pages < 100; pages++) {
		json_t *page = search_ideas(db, "de", q, limit, after);
		assert_non_null(page);
		size_t i;
		json_t *item;
		json_t *items = json_object_get(page, "items");
		assert_true(json_array_size(items) <= (size_t)limit);
		json_array_foreach(items, i, item)
			n += (size_t)snprintf(out + n, sizeof out - n, "%s%lld", n ? " " : "",
					      (long long)json_integer_value(json_object_get(item, "id")));
		json_t *next = json_object_get(page, "next");
		if (json_is_null(next)) {
			json_decref(page);
			return out;
		}
		assert_int_equal(json_array_size(items), limit);      /* only a full page has a next one */
		assert_int_equal(search_cursor_parse(json_string_value(next), &c), 0);
		after = &c;
		json_decref(page);
	}
	fail_msg("more than 100 pages");
	return out;
}

/* The ids given, as found() writes them. */
static const char *ids(int count, ...)
{
	static char out[1024];
	va_list ap;
	va_start(ap, count);
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; i < count; i++)
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%lld", i ? " " : "", (long long)va_arg(ap, int64_t));
	va_end(ap);
	return out;
}

static char *repeat(const char *unit, int times)
{
	size_t n = strlen(unit);
	char *s = malloc(n * (size_t)times + 1);
	for (int i = 0; i < times; i++)
		memcpy(s + n * (size_t)i, unit, n);
	s[n * (size_t)times] = '\0';
	return s;
}

/* ---- the query parser (no database) ---- */

static void expect_words(const char *query, const char *words)
{
	char *w = search_words(query);
	assert_non_null(w);
	assert_string_equal(w, words);
	free(w);
}

static void test_words(void **state)
{
	expect_words("  Bäume am Rhein \t", "Bäume am Rhein");
	expect_words("", "");
	expect_words("   ", "");
	/* query syntax of FTS5 and tsquery is only a separator */
	expect_words("\"", "");
	expect_words("*", "");
	expect_words("NEAR(", "NEAR");
	expect_words("title:", "title");
	expect_words("'; DROP TABLE ideas; --", "DROP TABLE ideas");
	expect_words("\"Baum\" OR \"Rhein\"", "Baum OR Rhein");
	expect_words("{title summary}: Baum*", "title summary Baum");
	expect_words("-Baum +Rhein ^Park !Bank & | <-> :*", "Baum Rhein Park Bank");
	expect_words("a\"\"b", "a b");
	/* punctuation beyond ASCII too; letters with diacritics stay */
	expect_words("„Spielplätze“ – Straße… €5 ½", "Spielplätze Straße 5");
	expect_words("E-Mail 3.5 z.B.", "E Mail 3 5 z B");
	expect_words("Ça va, señor Øresund", "Ça va señor Øresund");
}

static void test_query_limits(void **state)
{
	char *max = repeat("ä", SEARCH_QUERY_MAX);         /* 200 characters, 400 bytes */
	assert_null(search_query_problem(max));
	char *over = repeat("ä", SEARCH_QUERY_MAX + 1);
	assert_string_equal(search_query_problem(over), "too_long");
	assert_null(search_words(over));
	/* leading and trailing blanks do not count */
	char padded[1024];
	snprintf(padded, sizeof padded, "   %s \t ", max);
	assert_null(search_query_problem(padded));
	assert_null(search_query_problem(""));
	assert_null(search_query_problem(NULL));
	assert_string_equal(search_query_problem("Baum\xff"), "invalid");
	assert_string_equal(search_query_problem("Baum\x01"), "invalid");
	assert_string_equal(search_query_problem("\xc3\xa4\xc3"), "invalid");
	assert_null(search_words("Baum\x01"));
	free(max);
	free(over);
}

/* ---- on the database ---- */

static void test_stemming(void **state)
{
	struct db *db = DB(state);
	int64_t spiel = add(state, 1, "Neue Spielplätze im Veedel", "Mehr Platz zum Spielen für alle Kinder.",
			    "Die alten Geräte sind kaputt und müssen ersetzt werden.");
	int64_t rad = add(state, 2, "Sichere Radwege", "Breite und sichere Wege für den Radverkehr.",
			  "Entlang der Hauptstraße fehlt ein Radweg für Schulkinder.");
	int64_t baum = add(state, 3, "Ein Baum für jede Straße", "Schatten im Sommer durch neue Bepflanzung.",
			   "Die Gärten hinter den Häusern sind zu klein für große Bäume.");
	int64_t zone = add(state, 4, "Tempo30-Zonen vor Schulen", "Langsamer fahren, wo Kinder unterwegs sind.",
			   "Mit der Mitfahrbank 2.0 und Tempo30 wird der Schulweg sicherer.");

	/* plural and singular, umlaut or not: one stem */
	assert_string_equal(found(db, "Spielplatz"), ids(1, spiel));
	assert_string_equal(found(db, "Spielplätze"), ids(1, spiel));
	assert_string_equal(found(db, "Spielplatzes"), ids(1, spiel));
	assert_string_equal(found(db, "Radweg"), ids(1, rad));
	assert_string_equal(found(db, "Radwegen"), ids(1, rad));
	assert_string_equal(found(db, "Bäume"), ids(1, baum));
	assert_string_equal(found(db, "Baum"), ids(1, baum));
	assert_string_equal(found(db, "Garten"), ids(1, baum));          /* "Gärten" */
	assert_string_equal(found(db, "Haus"), ids(1, baum));            /* "Häusern" */
	assert_string_equal(found(db, "Strassen"), ids(1, baum));        /* "Straße"; "Hauptstraße" is one word */
	assert_string_equal(found(db, "Kind"), ids(2, zone, spiel));     /* "Kinder", not "Schulkinder" */
	/* case does not matter, umlauts included */
	assert_string_equal(found(db, "SPIELPLÄTZE"), ids(1, spiel));
	assert_string_equal(found(db, "bäume"), ids(1, baum));
	/* no compound splitting, no irregular forms */
	assert_string_equal(found(db, "Rad"), "");
	assert_string_equal(found(db, "Platz"), ids(1, spiel));          /* the summary has "Platz" */
	assert_string_equal(found(db, "Spiel"), ids(1, spiel));          /* "Spielen" stems to "spiel" */
	/* words with a digit are taken as they are */
	assert_string_equal(found(db, "Tempo30"), ids(1, zone));
	assert_string_equal(found(db, "tempo30"), ids(1, zone));
	assert_string_equal(found(db, "Zone"), ids(1, zone));
	assert_string_equal(found(db, "2"), ids(1, zone));
	assert_string_equal(found(db, "Tempo"), "");
	/* stop words are left out on both sides */
	assert_string_equal(found(db, "und"), "");
	assert_string_equal(found(db, "der die das"), "");
	assert_string_equal(found(db, "Weg"), "");                       /* "weg" is a German stop word */
	assert_string_equal(found(db, "Wege"), ids(1, rad));
}

static void test_every_word(void **state)
{
	struct db *db = DB(state);
	int64_t both = add(state, 1, "Bänke am Rhein", "Sitzplätze mit Blick auf das Wasser.",
			   "Entlang der Promenade fehlen Sitzgelegenheiten.");
	int64_t bank = add(state, 2, "Bänke im Stadtgarten", "Mehr Sitzplätze im Grünen.",
			   "Der Park hat zu wenige Sitzgelegenheiten.");
	int64_t rhein = add(state, 3, "Fähre über den Rhein", "Eine zweite Fährlinie nach Deutz.",
			    "Morgens sind die Fähren überfüllt, eine weitere Linie hilft.");
	int64_t spread = add(state, 4, "Rheinufer beleben", "Konzerte auf den Bänken am Ufer.",
			     "Kultur am Wasser: kleine Bühnen neben dem Rhein.");

	assert_string_equal(found(db, "Bank"), ids(3, bank, both, spread));
	assert_string_equal(found(db, "Rhein"), ids(3, rhein, both, spread));
	/* every word, in any of the three texts */
	assert_string_equal(found(db, "Bank Rhein"), ids(2, both, spread));
	assert_string_equal(found(db, "Rhein Bank"), ids(2, both, spread));
	assert_string_equal(found(db, "Bänke am Rhein"), ids(2, both, spread));      /* "am" is a stop word */
	assert_string_equal(found(db, "Bank und der Rhein"), ids(2, both, spread));
	assert_string_equal(found(db, "Bank Rhein Fähre"), "");
	assert_string_equal(found(db, "Bank Wasser Promenade"), ids(1, both));
	assert_string_equal(found(db, "Kultur Ufer Bühne Konzert"), ids(1, spread));
}

static void test_ordering(void **state)
{
	struct db *db = DB(state);
	/* one word: title, then summary, then description; within each, the idea handed in last first */
	int64_t desc = add(state, 9, "Schatten für Plätze", "Sonnensegel über den Bänken im Sommer.",
			   "Wo Platz ist, könnte auch ein Baum stehen.");
	int64_t summ = add(state, 8, "Grüne Höfe", "Jeder Hof bekommt einen Baum und Beete.",
			   "Höfe werden entsiegelt und bepflanzt.");
	int64_t title_old = add(state, 1, "Ein Baum für den Schulhof", "Schatten für die Pause auf dem Schulhof.",
				"Der Schulhof ist im Sommer heiß und ohne Schatten.");
	int64_t title_new = add(state, 2, "Ein Baum für den Marktplatz", "Schatten für die Marktstände.",
				"Der Marktplatz ist im Sommer heiß und ohne Schatten.");
	int64_t title_summ = add(state, 0, "Baumpatenschaften: ein Baum pro Straße",
				 "Nachbarn gießen den Baum vor ihrer Tür.", "Die Stadt stellt Gießkannen bereit.");
	int64_t title_desc = add(state, 0, "Baum des Jahres pflanzen", "Jedes Jahr eine neue Art im Park.",
				 "Der Baum des Jahres wird mit einer Tafel erklärt.");
	int64_t all3 = add(state, 0, "Baum im Veedel", "Jeder Baum zählt für das Klima.",
			   "Ein Baum kühlt die Straße.");
	const char *want = ids(7, all3, title_desc, title_summ, title_new, title_old, summ, desc);
	assert_string_equal(found(db, "Baum"), want);
	assert_string_equal(found(db, "Bäume"), want);
	/* pages end inside a group and between groups: the cursors continue exactly */
	for (int limit = 1; limit <= 7; limit++)
		assert_string_equal(found_paged(db, "Baum", limit), want);
}

static void test_ordering_several_words(void **state)
{
	struct db *db = DB(state);
	int64_t spread = add(state, 9, "Ein Baum für Kalk", "Neue Bepflanzung am Bahnhof.",
			     "Später auch Büsche am Rhein.");                         /* title + description */
	int64_t in_desc = add(state, 8, "Grünzug entlang des Wassers", "Mehr Grün an der Promenade.",
			      "Jeder Baum am Rhein spendet Schatten.");                /* description alone */
	int64_t title_summ = add(state, 7, "Ein Baum für die Altstadt", "Schatten am Rhein für Radfahrende.",
				 "Die Altstadt braucht Grün.");                       /* title and summary together */
	int64_t in_summ = add(state, 6, "Schatten am Ufer", "Baum an Baum am Rhein entlang.",
			      "Eine Allee entlang der Promenade.");                   /* summary alone */
	int64_t in_title = add(state, 1, "Ein Baum am Rhein", "Ein Zeichen für die Stadt am Wasser.",
			       "Gepflanzt an der Promenade.");                        /* title alone */
	/* title alone; then title and summary together; then the rest; each newest first */
	const char *want = ids(5, in_title, in_summ, title_summ, in_desc, spread);
	assert_string_equal(found(db, "Baum Rhein"), want);
	assert_string_equal(found(db, "Rhein Bäume"), want);
	for (int limit = 1; limit <= 5; limit++)
		assert_string_equal(found_paged(db, "Baum Rhein", limit), want);
}

static void test_newest_first(void **state)
{
	struct db *db = DB(state);
	/* the idea handed in last first, whatever date it carries */
	int64_t a = add(state, 3, "Trinkbrunnen am Markt", "Wasser für alle an heißen Tagen.",
			"Ein Trinkbrunnen für Menschen und Hunde.");
	int64_t b = add(state, 5, "Trinkbrunnen am Markt", "Wasser für alle an heißen Tagen.",
			"Ein Trinkbrunnen für Menschen und Hunde.");
	int64_t c = add(state, 3, "Trinkbrunnen am Markt", "Wasser für alle an heißen Tagen.",
			"Ein Trinkbrunnen für Menschen und Hunde.");
	int64_t d = add(state, 1, "Trinkbrunnen am Markt", "Wasser für alle an heißen Tagen.",
			"Ein Trinkbrunnen für Menschen und Hunde.");
	assert_string_equal(found(db, "Trinkbrunnen"), ids(4, d, c, b, a));
	assert_string_equal(found(db, "Wasser"), ids(4, d, c, b, a));
	assert_string_equal(found(db, "Hund"), ids(4, d, c, b, a));
}

/* More matches than PROBE_IDEAS (search.c): PostgreSQL answers by walking the primary
 * key instead of sorting every match (src/domain/search.c); the order and
 * the pages are the same as for a few matches, next to a rare word. */
static void test_common_word(void **state)
{
	struct db *db = DB(state);
	int64_t rare = add(state, 1, "Lastenrad mit Kopfsteinpflaster-Federung", "Ein Lastenrad für die Altstadt.",
			   "Gefedert über das Pflaster.");
	int64_t tmpl = add(state, 2, "Lastenrad zum Ausleihen", "Ein Lastenrad für alle im Veedel.",
			   "Für Einkäufe und Umzüge.");
	/* 1,200 copies of tmpl, inserted with SQL (the same statement on both backends) */
	int rc = db_run(db,
		"WITH RECURSIVE n (k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 1200) "
		"INSERT INTO ideas (cycle_id, author_id, title, summary, description_md, description_html, field_id, "
		"  bezirk_nr, stadtteil_nr, status, created_at, updated_at, last_activity_at) "
		"SELECT cycle_id, author_id, title, summary, description_md, description_html, field_id, bezirk_nr, stadtteil_nr, "
		"  status, created_at + k, updated_at, last_activity_at FROM ideas, n WHERE id = $1", "i", tmpl);
	assert_int_equal(rc, DB_OK);
	int64_t top = db_one_int(db, -1, "SELECT MAX(id) FROM ideas", NULL);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM ideas", NULL), 1202);

	json_t *p1 = search_ideas(db, "de", "Lastenrad", 20, NULL);
	json_t *items = json_object_get(p1, "items");
	assert_int_equal(json_array_size(items), 20);
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(json_integer_value(json_object_get(json_array_get(items, i), "id")), top - (int64_t)i);
	struct search_cursor c;
	assert_int_equal(search_cursor_parse(json_string_value(json_object_get(p1, "next")), &c), 0);
	assert_int_equal(c.group, 0);
	assert_int_equal(c.id, top - 19);
	json_decref(p1);
	/* the last page: the template and then the rare one, oldest last */
	c.id = tmpl + 2;
	json_t *end = search_ideas(db, "de", "Lastenrad", 20, &c);
	items = json_object_get(end, "items");
	assert_int_equal(json_array_size(items), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 2), "id")), rare);
	assert_true(json_is_null(json_object_get(end, "next")));
	json_decref(end);
	/* a rare word among them, in the title and in the description */
	assert_string_equal(found(db, "Kopfsteinpflaster"), ids(1, rare));
	assert_string_equal(found(db, "Pflaster"), ids(1, rare));
	/* a common word outside the title (group 1) pages the same way */
	json_t *p2 = search_ideas(db, "de", "Veedel", 5, NULL);
	items = json_object_get(p2, "items");
	assert_int_equal(json_array_size(items), 5);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), top);
	char want[32];
	snprintf(want, sizeof want, "1-%lld", (long long)(top - 4));
	assert_string_equal(json_string_value(json_object_get(p2, "next")), want);
	json_decref(p2);
}

static void test_injection(void **state)
{
	struct db *db = DB(state);
	int64_t x = add(state, 1, "Baum am Rhein", "Schatten für die Promenade am Wasser.",
			"Ein Baum alle 100 Meter am Ufer; title und NEAR sind hier Wörter wie 1 und 2.");
	int64_t y = add(state, 2, "Rhein ohne Müll", "Mehr Mülleimer an der Promenade.",
			"Titel: sauberer Rhein. Der Baum am Ufer bleibt.");
	static const char *const attempts[] = {
		"\"", "\"\"", "*", "NEAR(", "NEAR(Baum Rhein, 1)", "title:", "title:Baum", "{title}:Baum",
		"'; DROP TABLE ideas; --", "'); DELETE FROM ideas; --", "Baum\" OR \"x", "Baum OR x",
		"Baum NOT Rhein", "Baum AND", "-Baum", "^Baum", "Baum*", "Baum:*", "Baum & !Rhein",
		"Baum <-> Rhein", "(Baum", ")", "\\", "%", "_", "$1", "::tsquery", "a\"b'c",
	};
	for (size_t i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
		json_t *page = search_ideas(db, "de", attempts[i], 20, NULL);
		assert_non_null(page);
		assert_true(json_is_array(json_object_get(page, "items")));
		json_decref(page);
	}
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM ideas", NULL), 2);
	/* operators are words or separators, never syntax */
	assert_string_equal(found(db, "NEAR(Baum Rhein, 1)"), ids(1, x));       /* needs "near" and "1" */
	assert_string_equal(found(db, "NEAR"), ids(1, x));
	assert_string_equal(found(db, "title:Baum"), ids(1, x));                /* "title" is a word */
	assert_string_equal(found(db, "{title}: Rhein"), ids(1, x));
	assert_string_equal(found(db, "Baum OR Fluss"), "");                   /* "or" is a word */
	assert_string_equal(found(db, "Baum NOT Rhein"), "");                  /* so is "not" */
	assert_string_equal(found(db, "Baum -Rhein"), ids(2, x, y));           /* "-" only separates */
	assert_string_equal(found(db, "\"Rhein Baum\""), ids(2, x, y));        /* no phrases */
	assert_string_equal(found(db, "Bau*"), "");                            /* no prefixes */
	assert_string_equal(found(db, "Baum:*"), ids(2, x, y));
	assert_string_equal(found(db, "'; DROP TABLE ideas; --"), "");
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM ideas", NULL), 2);
}

static void test_empty_and_overlong(void **state)
{
	struct db *db = DB(state);
	int64_t id = add(state, 1, "Baum am Rhein", "Schatten für die Promenade.", "Ein Baum alle 100 Meter am Ufer.");
	static const char *const nothing[] = { "", "   ", "\t\n", "***", "\"\"", "– … „“", "und", "der die das" };
	for (size_t i = 0; i < sizeof nothing / sizeof nothing[0]; i++) {
		json_t *page = search_ideas(db, "de", nothing[i], 0, NULL);
		assert_non_null(page);
		assert_int_equal(json_array_size(json_object_get(page, "items")), 0);
		assert_true(json_is_null(json_object_get(page, "next")));
		assert_int_equal(json_integer_value(json_object_get(page, "limit")), SEARCH_PAGE_DEFAULT);
		json_decref(page);
	}
	json_t *page = search_ideas(db, "de", NULL, 0, NULL);
	assert_non_null(page);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 0);
	json_decref(page);

	char *over = repeat("Baum ", 41);                 /* 205 characters */
	assert_null(search_ideas(db, "de", over, 0, NULL));
	over[SEARCH_QUERY_MAX] = '\0';                    /* 200: "Baum Baum ... Baum" */
	assert_string_equal(found(db, over), ids(1, id));
	free(over);
	assert_null(search_ideas(db, "de", "Baum\xff", 0, NULL));
}

static void test_paging(void **state)
{
	struct db *db = DB(state);
	int64_t id[25];
	for (int i = 0; i < 25; i++) {
		char title[64];
		snprintf(title, sizeof title, "Lastenrad Nummer %d", i);
		id[i] = add(state, i, title, "Ein Lastenrad zum Ausleihen.", "Für Einkäufe und Umzüge im Veedel.");
	}
	add(state, 30, "Carsharing im Veedel", "Autos zum Teilen für alle.", "Weniger Autos, mehr Platz.");

	json_t *p1 = search_ideas(db, "de", "Lastenräder", 0, NULL);
	json_t *items = json_object_get(p1, "items");
	assert_int_equal(json_array_size(items), SEARCH_PAGE_DEFAULT);
	assert_int_equal(json_integer_value(json_object_get(p1, "limit")), 20);
	assert_int_equal(json_integer_value(json_object_get(p1, "max_limit")), 100);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), id[24]);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 19), "id")), id[5]);
	char want[32];
	snprintf(want, sizeof want, "0-%lld", (long long)id[5]);
	assert_string_equal(json_string_value(json_object_get(p1, "next")), want);
	json_decref(p1);

	struct search_cursor c;
	assert_int_equal(search_cursor_parse(want, &c), 0);
	json_t *p2 = search_ideas(db, "de", "Lastenräder", 20, &c);
	items = json_object_get(p2, "items");
	assert_int_equal(json_array_size(items), 5);
	assert_true(json_is_null(json_object_get(p2, "next")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), id[4]);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 4), "id")), id[0]);
	json_decref(p2);

	/* limits are clamped: at most 100 */
	json_t *big = search_ideas(db, "de", "Lastenrad", 1000, NULL);
	assert_int_equal(json_integer_value(json_object_get(big, "limit")), SEARCH_PAGE_MAX);
	assert_int_equal(json_array_size(json_object_get(big, "items")), 25);
	json_decref(big);
	c.id = id[1];
	json_t *one = search_ideas(db, "de", "Lastenrad", 1, &c);
	assert_int_equal(json_array_size(json_object_get(one, "items")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(one, "items"), 0), "id")), id[0]);
	assert_true(json_is_null(json_object_get(one, "next")));
	json_decref(one);
	/* a cursor in a later group skips the earlier ones: the Veedel in a description (group 2) */
	c.group = 2;
	c.id = id[3];
	assert_string_equal(found_cursor(db, "Veedel", &c), ids(3, id[2], id[1], id[0]));
}

static void test_cursors(void **state)
{
	(void)state;
	struct search_cursor c;
	assert_int_equal(search_cursor_parse("0-1", &c), 0);
	assert_int_equal(c.group, 0);
	assert_int_equal(c.id, 1);
	assert_int_equal(search_cursor_parse("2-9223372036854775807", &c), 0);
	assert_int_equal(c.group, 2);
	assert_int_equal(c.id, INT64_MAX);
	static const char *const bad[] = { "", "0", "0-", "3-1", "-1-5", "0-0", "0-01", "1-5x", "1- 5", "1--5",
					   "a-1", "0-9223372036854775808", "1-99999999999999999999", "1-5 " };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(search_cursor_parse(bad[i], &c), -1);
	assert_int_equal(search_cursor_parse(NULL, &c), -1);
}

static void test_items_like_the_list(void **state)
{
	struct db *db = DB(state);
	int64_t id = add(state, 1, "Sensoren für saubere Luft", "Messstationen an Schulen zeigen die Luftqualität.",
			 "Offene Daten für alle.");
	struct idea_filter f = { .limit = 1 };
	for (int en = 0; en < 2; en++) {
		const char *lang = en ? "en" : "de";
		json_t *list = idea_list(db, lang, &f);
		json_t *page = search_ideas(db, lang, "Luft", 0, NULL);
		json_t *a = json_array_get(json_object_get(list, "items"), 0);
		json_t *b = json_array_get(json_object_get(page, "items"), 0);
		assert_non_null(b);
		assert_int_equal(json_integer_value(json_object_get(b, "id")), id);
		assert_true(json_equal(a, b));
		assert_string_equal(json_string_value(json_object_get(json_object_get(b, "field"), "name")),
				    en ? "Mobility" : "Mobilität");
		json_decref(list);
		json_decref(page);
	}
}

static void test_index_follows_changes(void **state)
{
	struct db *db = DB(state);
	int64_t id = add(state, 1, "Mehr Fahrradständer", "Abstellplätze am Bahnhof Deutz.",
			 "Jeden Morgen sind alle Ständer belegt.");
	assert_string_equal(found(db, "Fahrradständer"), ids(1, id));
	/* found at once after an insert */
	int64_t other = add(state, 2, "Fahrradständer am Rathaus", "Auch am Rathaus fehlen Abstellplätze.",
			    "Besucher stellen Räder an Laternen ab.");
	assert_string_equal(found(db, "Fahrradständer"), ids(2, other, id));

	assert_int_equal(db_run(db, "UPDATE ideas SET title = $1, summary = $2 WHERE id = $3", "ssi",
				"Mehr Bügel für Lastenräder", "Abstellplätze für große Räder.", id), DB_OK);
	assert_string_equal(found(db, "Fahrradständer"), ids(1, other));
	assert_string_equal(found(db, "Lastenrad"), ids(1, id));
	assert_string_equal(found(db, "Bügel Bahnhof"), "");           /* the old summary is gone */
	assert_string_equal(found(db, "Ständer"), ids(1, id));          /* the description stayed */

	assert_int_equal(db_run(db, "UPDATE ideas SET description_md = $1 WHERE id = $2", "si",
				"Am Bahnhof fehlen Bügel.", id), DB_OK);
	assert_string_equal(found(db, "Ständer"), "");
	assert_string_equal(found(db, "Bügel Bahnhof"), ids(1, id));

	assert_int_equal(db_run(db, "UPDATE ideas SET status = 'reviewed' WHERE id = $1", "i", other), DB_OK);
	assert_string_equal(found(db, "Rathaus"), ids(1, other));

	assert_int_equal(db_run(db, "DELETE FROM ideas WHERE id = $1", "i", id), DB_OK);
	assert_string_equal(found(db, "Bügel"), "");
	assert_string_equal(found(db, "Abstellplatz"), ids(1, other));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_query_limits),
		cmocka_unit_test_setup_teardown(test_stemming, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_every_word, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_ordering, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_ordering_several_words, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_newest_first, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_common_word, db_setup, db_teardown),
		cmocka_unit_test(test_cursors),
		cmocka_unit_test_setup_teardown(test_injection, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_overlong, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_paging, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_items_like_the_list, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_index_follows_changes, db_setup, db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
