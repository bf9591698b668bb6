/* What the platform holds about a person, on a real migrated database
 * (SQLite, or PostgreSQL when UNBOX_TEST_PG names a scripts/pgtmp cluster):
 * the export written row by row holds every row of a big account across the
 * parts' pages, and nobody else's; pages of a part follow one another; the
 * deletion withdraws supports with the counts kept, removes the texts when
 * asked, erases the account's row and ends its sessions; the browser a
 * User-Agent names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testdb.h"
#include "testtargets.h"
#include "core/arena.h"
#include "core/log.h"
#include "domain/account.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/personal.h"
#include "domain/dialogue/support.h"
#include "domain/export.h"
#include "domain/password.h"
#include "domain/personal.h"
#include "domain/session.h"
#include "domain/user.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */
#define PW "ein gutes langes Passwort"
#define MANY 450              /* comments: more than two of a part's pages */

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
	struct arena *a;
	int64_t cycle, anna, ben, idea_anna, idea_ben;
};

static int64_t make_user(struct db *db, const char *email, const char *name, const char *role)
{
	char hash[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash(PW, hash), 0);
	int64_t id = 0;
	assert_int_equal(user_create(db, email, name, hash, role, T0, &id), DB_OK);
	return id;
}

static int64_t submit(struct fixture *f, int64_t author, const char *title)
{
	struct idea_input in = { .title = title, .summary = "Sitzgelegenheiten entlang der Promenade.",
				 .description = "Entlang der Promenade fehlen Bänke für alle.",
				 .field = "mobility", .stadtteil = "105" };
	struct field_errors fe = { 0 };
	int64_t id = 0;
	assert_int_equal(idea_submit(f->db, author, &in, T0 + DAY, &fe, &id), IDEA_OK);
	return id;
}

static int64_t one(struct db *db, const char *sql, int64_t a)
{
	return db_one_int(db, -1, sql, "i", a);
}

static int setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (testdb_world_open("personal", f->dir, sizeof f->dir, f->dsn, sizeof f->dsn, &f->db, T0, &f->cycle) < 0)
		return -1;
	*state = f;
	f->a = arena_new(1 << 16);
	f->anna = make_user(f->db, "anna@example.org", "Anna Autorin", "resident");
	f->ben = make_user(f->db, "ben@example.org", "Ben Beispiel", "resident");
	f->idea_anna = submit(f, f->anna, "Mehr Bänke am Rhein");
	f->idea_ben = submit(f, f->ben, "Trinkbrunnen im Veedel");
	/* many comments of Anna's on Ben's idea (written directly: the count kept alike), one of Ben's */
	assert_int_equal(db_begin(f->db), DB_OK);
	for (int i = 0; i < MANY; i++) {
		char body[64];
		snprintf(body, sizeof body, "Kommentar Nummer %d von Anna", i);
		assert_int_equal(db_run(f->db, "INSERT INTO comments (target_kind, target_id, author_id, body_md, body_html, "
					       "created_at, last_activity_at) VALUES ('idea', $1, $2, $3, $3, $4, $4)",
					"iisi", f->idea_ben, f->anna, body, (int64_t)T0 + i), DB_OK);
	}
	assert_int_equal(db_run(f->db, "INSERT INTO comments (target_kind, target_id, author_id, body_md, body_html, "
				       "created_at, last_activity_at) VALUES ('idea', $1, $2, 'Bens eigener Kommentar', '', $3, $3)",
				"iii", f->idea_ben, f->ben, (int64_t)T0), DB_OK);
	assert_int_equal(db_run(f->db, "UPDATE ideas SET comment_count = $2 WHERE id = $1", "ii", f->idea_ben,
				(int64_t)MANY + 1), DB_OK);
	assert_int_equal(db_commit(f->db), DB_OK);
	int64_t n;
	assert_int_equal(support_add(f->db, f->idea_ben, f->anna, &n), SUPPORT_OK);
	assert_int_equal(support_add(f->db, f->idea_anna, f->ben, &n), SUPPORT_OK);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_close(f->db);
	testdb_remove(f->dir);
	free(f);
	return 0;
}

static void test_export_everything_and_nobody_else(void **state)
{
	struct fixture *f = *state;
	FILE *out = tmpfile();
	assert_non_null(out);
	assert_int_equal(export_write(f->db, f->anna, T0 + 2 * DAY, out), 0);
	rewind(out);
	json_error_t err;
	json_t *doc = json_loadf(out, 0, &err);
	fclose(out);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "format")), EXPORT_FORMAT);
	assert_string_equal(json_string_value(json_object_get(doc, "exported_at")), "2026-01-03T00:00:00Z");
	json_t *account = json_object_get(doc, "account");
	assert_string_equal(json_string_value(json_object_get(account, "email")), "anna@example.org");
	assert_true(json_is_null(json_object_get(account, "blocked_at")));
	/* every comment, in order, across the pages the parts are read in */
	json_t *comments = json_object_get(doc, "comments");
	assert_int_equal(json_array_size(comments), MANY);
	for (size_t i = 0; i < json_array_size(comments); i++) {
		char body[64];
		snprintf(body, sizeof body, "Kommentar Nummer %zu von Anna", i);
		assert_string_equal(json_string_value(json_object_get(json_array_get(comments, i), "body")), body);
	}
	assert_int_equal(json_array_size(json_object_get(doc, "ideas")), 1);
	json_t *support = json_array_get(json_object_get(doc, "supports"), 0);
	assert_int_equal(json_integer_value(json_object_get(support, "idea_id")), f->idea_ben);
	assert_int_equal(json_array_size(json_object_get(doc, "supports")), 1);
	/* the audit rows of her acts */
	json_t *audit = json_object_get(doc, "audit");
	assert_true(json_array_size(audit) >= 2);
	/* nothing of Ben's */
	char *text = json_dumps(doc, 0);
	assert_null(strstr(text, "ben@example.org"));
	assert_null(strstr(text, "Bens eigener Kommentar"));
	free(text);
	json_decref(doc);
}

static void test_pages_follow_one_another(void **state)
{
	struct fixture *f = *state;
	const struct personal_part *p = personal_part_find("comments");
	assert_non_null(p);
	int64_t after = 0, seen = 0, prev = 0;
	for (int pages = 0; pages < 10; pages++) {
		json_t *page = export_page(f->db, "de", f->anna, p, after, 100);
		assert_non_null(page);
		json_t *items = json_object_get(page, "items");
		for (size_t i = 0; i < json_array_size(items); i++) {
			int64_t id = json_integer_value(json_object_get(json_array_get(items, i), "id"));
			assert_true(id > prev);
			prev = id;
			seen++;
		}
		assert_non_null(json_object_get(json_array_get(items, 0), "created_at_date"));
		json_t *next = json_object_get(page, "next");
		after = json_is_integer(next) ? json_integer_value(next) : 0;
		json_decref(page);
		if (!after)
			break;
	}
	assert_int_equal(seen, MANY);
	assert_int_equal(p->count(f->db, f->anna), MANY);
}

static void test_delete_keeps_counts_and_removes_texts(void **state)
{
	struct fixture *f = *state;
	char token[TOKEN_LEN + 1];
	struct user anna;
	assert_int_equal(user_by_id(f->db, f->a, f->anna, &anna), 1);
	assert_int_equal(session_create(f->db, &anna, T0, "test", token), DB_OK);
	int64_t supports = support_count(f->db, f->idea_ben);
	struct field_errors fe = { 0 };
	struct account_erased erased;
	int retry = 0;
	assert_int_equal(account_delete(f->db, f->a, &anna, PW, false, true, T0 + DAY, &fe, &retry, &erased),
			 ACCOUNT_INVALID);
	assert_string_equal(field_error_for(&fe, "confirm"), "required");
	fe.count = 0;
	assert_int_equal(account_delete(f->db, f->a, &anna, "falsch", true, true, T0 + DAY, &fe, &retry, &erased),
			 ACCOUNT_INVALID);
	assert_string_equal(field_error_for(&fe, "password"), "wrong");
	fe.count = 0;
	assert_int_equal(account_delete(f->db, f->a, &anna, PW, true, true, T0 + DAY, &fe, &retry, &erased), ACCOUNT_OK);
	assert_int_equal(erased.comments, MANY);
	assert_int_equal(erased.ideas, 1);
	assert_int_equal(erased.supports, 1);
	/* the counts follow the rows */
	assert_int_equal(support_count(f->db, f->idea_ben), supports - 1);
	assert_int_equal(one(f->db, "SELECT comment_count FROM ideas WHERE id = $1", f->idea_ben), 1);
	assert_int_equal(one(f->db, "SELECT COUNT(*) FROM comments WHERE author_id = $1 AND body_md <> ''", f->anna), 0);
	struct db_stmt *st = db_prepare(f->db, "SELECT title FROM ideas WHERE id = $1");
	assert_int_equal(db_bind(st, "i", f->idea_anna), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text(st, 0), IDEA_REMOVED_TITLE);
	db_done(st);
	/* Ben's support of her idea stays: it is his */
	assert_int_equal(support_count(f->db, f->idea_anna), 1);
	/* the row keeps nothing personal; no session, no login */
	struct user gone;
	assert_int_equal(user_by_id(f->db, f->a, f->anna, &gone), 1);
	assert_true(gone.deleted);
	assert_string_equal(gone.name, "");
	assert_null(strstr(gone.email, "anna"));
	struct session s;
	assert_int_equal(session_lookup(f->db, f->a, token, T0 + DAY, &s), 0);
	assert_int_equal(account_login(f->db, f->a, "anna@example.org", PW, "192.0.2.1", "test", T0 + DAY, &gone, token,
				       &retry), ACCOUNT_DENIED);
	assert_int_equal(one(f->db, "SELECT COUNT(*) FROM audit WHERE action = 'account.delete' AND actor_id = $1", f->anna),
			 1);
	/* nothing personal left to export: no account, no supports, no sessions */
	FILE *out = tmpfile();
	assert_int_equal(export_write(f->db, f->anna, T0 + 2 * DAY, out), 0);
	rewind(out);
	json_error_t err;
	json_t *doc = json_loadf(out, 0, &err);
	fclose(out);
	assert_non_null(doc);
	assert_true(json_is_null(json_object_get(doc, "account")));
	assert_int_equal(json_array_size(json_object_get(doc, "supports")), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "sessions")), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "follows")), 0);
	json_decref(doc);
}

static void test_device(void **state)
{
	(void)state;
	static const struct { const char *ua, *browser, *system; } cases[] = {
		{ "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox", "Linux" },
		{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 "
		  "Safari/537.36 Edg/126.0", "Microsoft Edge", "Windows" },
		{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
		  "Version/17.5 Mobile/15E148 Safari/604.1", "Safari", "iOS" },
		{ "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile "
		  "Safari/537.36", "Chrome", "Android" },
		{ "curl/8.5.0", "curl", "" },
		{ "", "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *b, *s;
		session_device(cases[i].ua, &b, &s);
		assert_string_equal(b, cases[i].browser);
		assert_string_equal(s, cases[i].system);
	}
	const char *b, *s;
	session_device(NULL, &b, &s);
	assert_string_equal(b, "");
}

int main(void)
{
	areas_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device),
		cmocka_unit_test_setup_teardown(test_export_everything_and_nobody_else, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages_follow_one_another, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_keeps_counts_and_removes_texts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
