/* Reads that tell "not there" from "failed", and writes whose failure is
 * reported, for the modules at the root of the domain layer (accounts,
 * sessions, throttling, places), on a real database (SQLite, or PostgreSQL
 * when UNBOX_TEST_PG names a scripts/pgtmp cluster). A read is made to fail
 * for real by renaming the table it uses on the test's connection, and works
 * again once the table has its name back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testdb.h"
#include "core/arena.h"
#include "core/log.h"
#include "domain/account.h"
#include "domain/password.h"
#include "domain/place.h"
#include "domain/session.h"
#include "domain/throttle.h"
#include "domain/token.h"
#include "domain/user.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define T0 1767225600        /* 2026-01-01T00:00:00Z */

static const char *const good_pw = "correct horse battery";

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
	struct arena *arena;
	int64_t cycle, user;
};

static int group_setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));    /* the failures below are expected */
	return token_init();
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	*state = f;
	if (testdb_world_open("reads", f->dir, sizeof f->dir, f->dsn, sizeof f->dsn, &f->db, T0, &f->cycle) < 0)
		return -1;
	f->arena = arena_new(0);
	char hash[PASSWORD_HASH_MAX];
	if (!f->arena || password_hash(good_pw, hash) != 0 ||
	    user_create(f->db, "anna@example.org", "Anna Muster", hash, "resident", T0, &f->user) != DB_OK)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->arena);
	db_close(f->db);
	testdb_remove(f->dir);
	free(f);
	return 0;
}

static int64_t count(struct db *db, const char *sql)
{
	return db_one_int(db, -1, sql, NULL);
}

static void away(struct db *db, const char *table)
{
	char to[64];
	snprintf(to, sizeof to, "%s_away", table);
	assert_int_equal(testdb_rename(db, table, to), 0);
}

static void back(struct db *db, const char *table)
{
	char from[64];
	snprintf(from, sizeof from, "%s_away", table);
	assert_int_equal(testdb_rename(db, from, table), 0);
}

static void test_user_reads(void **state)
{
	struct fixture *f = *state;
	struct user u;
	char *pw = NULL;
	assert_int_equal(user_by_id(f->db, f->arena, f->user, &u), 1);
	assert_string_equal(u.email, "anna@example.org");
	assert_int_equal(user_by_id(f->db, f->arena, f->user + 100, &u), 0);
	assert_int_equal(user_by_email(f->db, f->arena, "anna@example.org", &u, &pw), 1);
	assert_true(password_verify(pw, good_pw));
	assert_int_equal(user_by_email(f->db, f->arena, "nobody@example.org", &u, NULL), 0);

	away(f->db, "users");
	assert_int_equal(user_by_id(f->db, f->arena, f->user, &u), -1);
	assert_int_equal(user_by_email(f->db, f->arena, "anna@example.org", &u, NULL), -1);
	back(f->db, "users");
	assert_int_equal(user_by_id(f->db, f->arena, f->user, &u), 1);
}

static void test_session_reads_and_ends(void **state)
{
	struct fixture *f = *state;
	struct user u;
	struct session s;
	char token[TOKEN_LEN + 1], other[TOKEN_LEN + 1];
	assert_int_equal(user_by_id(f->db, f->arena, f->user, &u), 1);
	assert_int_equal(session_create(f->db, &u, T0, "test", token), DB_OK);
	assert_int_equal(session_lookup(f->db, f->arena, token, T0 + 1, &s), 1);
	assert_int_equal(s.user.id, f->user);
	token_new(other);
	assert_int_equal(session_lookup(f->db, f->arena, other, T0 + 1, &s), 0);
	assert_int_equal(session_lookup(f->db, f->arena, "short", T0 + 1, &s), 0);

	away(f->db, "sessions");
	assert_int_equal(session_lookup(f->db, f->arena, token, T0 + 1, &s), -1);
	/* a malformed token names no session without asking the database */
	assert_int_equal(session_lookup(f->db, f->arena, "short", T0 + 1, &s), 0);
	assert_int_not_equal(session_end(f->db, token), DB_OK);
	assert_int_not_equal(session_end_all(f->db, f->user), DB_OK);
	assert_int_not_equal(session_create(f->db, &u, T0 + 2, "test", other), DB_OK);   /* its clean-up fails first */
	assert_int_equal(session_end(f->db, "short"), DB_OK);
	back(f->db, "sessions");

	/* nothing ended while the table was away */
	assert_int_equal(session_lookup(f->db, f->arena, token, T0 + 1, &s), 1);
	assert_int_equal(session_end(f->db, token), DB_OK);
	assert_int_equal(session_lookup(f->db, f->arena, token, T0 + 1, &s), 0);
	assert_int_equal(session_create(f->db, &u, T0, "test", token), DB_OK);
	assert_int_equal(session_end_all(f->db, f->user), DB_OK);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM sessions"), 0);
}

static void test_throttle(void **state)
{
	struct fixture *f = *state;
	const char *key = "login:ip:192.0.2.1";
	int retry = 0;
	assert_int_equal(throttle_blocked(f->db, key, 1, 60, 1000, &retry), 0);
	assert_int_equal(throttle_hit(f->db, key, 1, 60, 1000, &retry), 1);
	assert_int_equal(throttle_hit(f->db, key, 1, 60, 1001, &retry), 0);
	assert_int_equal(retry, 59);
	assert_int_equal(throttle_blocked(f->db, key, 1, 60, 1002, &retry), 1);

	away(f->db, "throttle");
	assert_int_equal(throttle_blocked(f->db, key, 1, 60, 1002, &retry), -1);
	assert_int_equal(throttle_hit(f->db, key, 1, 60, 1002, &retry), -1);
	assert_int_not_equal(throttle_clear(f->db, key), DB_OK);
	back(f->db, "throttle");

	assert_int_equal(throttle_blocked(f->db, key, 1, 60, 1002, &retry), 1);   /* not cleared */
	assert_int_equal(throttle_clear(f->db, key), DB_OK);
	assert_int_equal(throttle_blocked(f->db, key, 1, 60, 1002, &retry), 0);
}

/* A login whose session, audit row or throttle count cannot be written is an
 * error, and leaves nothing half done. */
static void test_login_failures(void **state)
{
	struct fixture *f = *state;
	struct user u;
	char token[TOKEN_LEN + 1];
	int retry = 0;
	int64_t now = T0 + 10;
	/* one wrong attempt, so that a successful login has a count to clear */
	assert_int_equal(account_login(f->db, f->arena, "anna@example.org", "wrong password!", "192.0.2.9", "test", now, &u,
				       token, &retry), ACCOUNT_DENIED);
	assert_int_equal(count(f->db, "SELECT hits FROM throttle WHERE key = 'login:email:anna@example.org'"), 1);

	static const char *const tables[] = { "throttle", "users", "sessions", "audit" };
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		away(f->db, tables[i]);
		assert_int_equal(account_login(f->db, f->arena, "anna@example.org", good_pw, "192.0.2.9", "test", now, &u,
					       token, &retry), ACCOUNT_ERROR);
		back(f->db, tables[i]);
		/* all or nothing: no session, no audit row, the count not cleared (nor counted past the failure) */
		assert_int_equal(count(f->db, "SELECT COUNT(*) FROM sessions"), 0);
		assert_int_equal(count(f->db, "SELECT COUNT(*) FROM audit WHERE action = 'account.login'"), 0);
		assert_true(count(f->db, "SELECT hits FROM throttle WHERE key = 'login:email:anna@example.org'") >= 1);
	}

	assert_int_equal(account_login(f->db, f->arena, "anna@example.org", good_pw, "192.0.2.9", "test", now, &u, token, &retry),
			 ACCOUNT_OK);
	struct session s;
	assert_int_equal(session_lookup(f->db, f->arena, token, now, &s), 1);
	assert_int_equal(s.user.id, f->user);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM audit WHERE action = 'account.login'"), 1);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM throttle WHERE key = 'login:email:anna@example.org'"), 0);
}

/* A confirmation link that cannot be checked is an error, not an invalid link. */
static void test_confirm_failure(void **state)
{
	struct fixture *f = *state;
	char token[TOKEN_LEN + 1];
	token_new(token);
	assert_int_equal(account_confirm(f->db, token, T0), ACCOUNT_INVALID);
	away(f->db, "email_tokens");
	assert_int_equal(account_confirm(f->db, token, T0), ACCOUNT_ERROR);
	back(f->db, "email_tokens");
	assert_int_equal(account_confirm(f->db, token, T0), ACCOUNT_INVALID);
}

static void test_place_reads(void **state)
{
	struct fixture *f = *state;
	int64_t bezirk = 0, teil = 0;
	assert_int_equal(place_stadtteil(f->db, 105, &bezirk), 1);
	assert_int_equal(bezirk, 1);
	assert_int_equal(place_stadtteil(f->db, 999, &bezirk), 0);
	assert_int_equal(place_bezirk_exists(f->db, 1), 1);
	assert_int_equal(place_bezirk_exists(f->db, 99), 0);
	assert_int_equal(place_locate(f->db, 10.0, 10.0, &teil, &bezirk), 0);   /* outside every Stadtteil */
	json_t *tree = place_tree(f->db), *bezirke = place_bezirke(f->db);
	assert_int_equal(json_array_size(tree), 1);
	assert_int_equal(json_array_size(bezirke), 1);
	json_decref(tree);
	json_decref(bezirke);

	away(f->db, "stadtteile");
	assert_int_equal(place_stadtteil(f->db, 105, &bezirk), -1);
	assert_int_equal(place_locate(f->db, 10.0, 10.0, &teil, &bezirk), -1);
	assert_null(place_tree(f->db));
	back(f->db, "stadtteile");
	away(f->db, "stadtbezirke");
	assert_int_equal(place_bezirk_exists(f->db, 1), -1);
	assert_null(place_bezirke(f->db));
	back(f->db, "stadtbezirke");
	assert_int_equal(place_bezirk_exists(f->db, 1), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_user_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_reads_and_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confirm_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_place_reads, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
