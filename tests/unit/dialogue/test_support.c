/* Supports, follows and notifications on a real migrated database (SQLite,
 * or PostgreSQL when UNBOX_TEST_PG names a scripts/pgtmp cluster): one row
 * per person and idea even under parallel requests, the counter kept on
 * write, follows, and notification rows for followers but not the actor. */
#include <ftw.h>
#include <pthread.h>
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
#include "testtargets.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/content.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/follow.h"
#include "domain/dialogue/idea.h"
#include "domain/notification.h"
#include "domain/place.h"
#include "domain/dialogue/support.h"
#include "domain/user.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
	int64_t cycle, author, other, third, fourth, idea;
};

static int64_t make_user(struct db *db, const char *email, const char *name)
{
	int64_t id = 0;
	assert_int_equal(user_create(db, email, name, "$argon2id$v=19$m=65536,t=2,p=1$x$y", "resident", T0, &id), DB_OK);
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

static int setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (testdb_world_open("support", f->dir, sizeof f->dir, f->dsn, sizeof f->dsn, &f->db, T0, &f->cycle) < 0)
		return -1;
	*state = f;
	f->author = make_user(f->db, "anna@example.org", "Anna Autorin");
	f->other = make_user(f->db, "ben@example.org", "Ben Beispiel");
	f->third = make_user(f->db, "cem@example.org", "Cem Dritter");
	f->fourth = make_user(f->db, "dana@example.org", "Dana Vierte");
	f->idea = submit(f, f->author, "Mehr Bänke am Rhein");
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	testdb_remove(f->dir);
	free(f);
	return 0;
}

static int64_t rows(struct db *db, const char *sql, int64_t a, int64_t b)
{
	return db_one_int(db, -1, sql, "ii", a, b);
}

static void test_support_once_and_withdraw(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	int64_t n = -1, v0 = content_version(db);
	assert_int_equal(support_count(db, f->idea), 0);
	assert_false(support_exists(db, f->idea, f->other));

	assert_int_equal(support_add(db, f->idea, f->other, &n), SUPPORT_OK);
	assert_int_equal(n, 1);
	assert_true(content_version(db) > v0);
	int64_t v1 = content_version(db);
	/* supporting twice answers like once and changes nothing */
	assert_int_equal(support_add(db, f->idea, f->other, &n), SUPPORT_OK);
	assert_int_equal(n, 1);
	assert_int_equal(content_version(db), v1);
	assert_true(support_exists(db, f->idea, f->other));
	assert_int_equal(support_add(db, f->idea, f->third, &n), SUPPORT_OK);
	assert_int_equal(n, 2);
	assert_int_equal(support_count(db, f->idea), 2);
	assert_int_equal(rows(db, "SELECT COUNT(*) FROM audit WHERE action = 'idea.support' AND actor_id = $2 "
				  "AND subject = 'idea:' || CAST($1 AS TEXT)", f->idea, f->other), 1);

	assert_int_equal(support_remove(db, f->idea, f->other, &n), SUPPORT_OK);
	assert_int_equal(n, 1);
	assert_int_equal(support_remove(db, f->idea, f->other, &n), SUPPORT_OK);   /* again: no change */
	assert_int_equal(n, 1);
	assert_false(support_exists(db, f->idea, f->other));
	assert_int_equal(rows(db, "SELECT COUNT(*) FROM audit WHERE action = 'idea.unsupport' AND actor_id = $2 "
				  "AND subject = 'idea:' || CAST($1 AS TEXT)", f->idea, f->other), 1);
	/* and back again */
	assert_int_equal(support_add(db, f->idea, f->other, &n), SUPPORT_OK);
	assert_int_equal(n, 2);

	/* unknown idea */
	assert_int_equal(support_add(db, 999999, f->other, &n), SUPPORT_NOT_FOUND);
	assert_int_equal(support_remove(db, 999999, f->other, &n), SUPPORT_NOT_FOUND);
	assert_int_equal(support_count(db, 999999), -1);
	/* nothing left open: another connection sees the same */
	char err[256];
	struct db *other = db_open(f->dsn, err, sizeof err);
	assert_non_null(other);
	assert_int_equal(support_count(other, f->idea), 2);
	assert_int_equal(rows(other, "SELECT COUNT(*) FROM idea_supports WHERE idea_id = $1 OR $2 = 0", f->idea, 1), 2);
	db_close(other);
}

#define RACERS 24

struct racer {
	const char *dsn;
	int64_t idea, user;
	int rc;
	pthread_barrier_t *go;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	char err[256];
	struct db *db = db_open(r->dsn, err, sizeof err);
	pthread_barrier_wait(r->go);
	r->rc = db ? support_add(db, r->idea, r->user, NULL) : -1;
	db_close(db);
	return NULL;
}

static void run_race(struct fixture *f, bool same_user)
{
	pthread_t t[RACERS];
	struct racer r[RACERS];
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, RACERS);
	int64_t users[3] = { f->fourth, f->other, f->third };   /* not the author: nobody supports their own idea */
	for (int i = 0; i < RACERS; i++) {
		r[i] = (struct racer){ .dsn = f->dsn, .idea = f->idea, .user = same_user ? f->other : users[i % 3],
				       .go = &go };
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < RACERS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].rc, SUPPORT_OK);
	}
	pthread_barrier_destroy(&go);
}

static void test_support_race(void **state)
{
	struct fixture *f = *state;
	run_race(f, true);
	assert_int_equal(rows(f->db, "SELECT COUNT(*) FROM idea_supports WHERE idea_id = $1 AND user_id = $2",
			      f->idea, f->other), 1);
	assert_int_equal(support_count(f->db, f->idea), 1);
	/* three people racing: each counted once */
	run_race(f, false);
	assert_int_equal(rows(f->db, "SELECT COUNT(*) FROM idea_supports WHERE idea_id = $1 OR $2 = 0", f->idea, 1), 3);
	assert_int_equal(support_count(f->db, f->idea), 3);
	int64_t n = -1;
	assert_int_equal(support_remove(f->db, f->idea, f->other, &n), SUPPORT_OK);
	assert_int_equal(n, 2);
}

/* Nobody supports their own idea; a hidden, archived or withdrawn idea takes
 * no supports (and no follows), but what was given can be taken back. */
static void test_support_refused(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	int64_t n = -1;
	int64_t idea = submit(f, f->third, "Trinkbrunnen an jedem Spielplatz");
	assert_int_equal(support_add(db, idea, f->third, &n), SUPPORT_OWN);
	assert_int_equal(support_remove(db, idea, f->third, &n), SUPPORT_OK);   /* nothing to take back */
	assert_int_equal(support_add(db, idea, f->fourth, &n), SUPPORT_OK);
	assert_int_equal(follow_set(db, &idea_target, idea, f->fourth, true), FOLLOW_OK);
	for (int k = 0; k < 3; k++) {
		const char *closing = k == 0 ? "UPDATE ideas SET status = 'archived' WHERE id = $1"
				    : k == 1 ? "UPDATE ideas SET status = 'withdrawn' WHERE id = $1"
					     : "UPDATE ideas SET status = 'submitted', hidden_at = 1 WHERE id = $1";
		assert_int_equal(db_run(db, closing, "i", idea), DB_OK);
		int want = k == 2 ? SUPPORT_HIDDEN : SUPPORT_CLOSED;
		assert_int_equal(support_add(db, idea, f->other, &n), want);
		assert_int_equal(follow_set(db, &idea_target, idea, f->other, true), k == 2 ? FOLLOW_HIDDEN : FOLLOW_CLOSED);
		assert_false(support_exists(db, idea, f->other));
		assert_false(follow_exists(db, &idea_target, idea, f->other));
	}
	assert_int_equal(support_count(db, idea), 1);
	assert_int_equal(support_remove(db, idea, f->fourth, &n), SUPPORT_OK);
	assert_int_equal(n, 0);
	assert_int_equal(follow_set(db, &idea_target, idea, f->fourth, false), FOLLOW_OK);
	assert_false(follow_exists(db, &idea_target, idea, f->fourth));
}

static void test_follow(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	/* the author follows their idea from submission on */
	assert_true(follow_exists(db, &idea_target, f->idea, f->author));
	assert_false(follow_exists(db, &idea_target, f->idea, f->other));
	assert_int_equal(follow_set(db, &idea_target, f->idea, f->other, true), FOLLOW_OK);
	assert_int_equal(follow_set(db, &idea_target, f->idea, f->other, true), FOLLOW_OK);
	assert_int_equal(rows(db, "SELECT COUNT(*) FROM follows WHERE target_kind = 'idea' AND target_id = $1 AND user_id = $2", f->idea,
			      f->other), 1);
	assert_int_equal(follow_set(db, &idea_target, f->idea, f->other, false), FOLLOW_OK);
	assert_int_equal(follow_set(db, &idea_target, f->idea, f->other, false), FOLLOW_OK);
	assert_false(follow_exists(db, &idea_target, f->idea, f->other));

	assert_int_equal(follow_set(db, &cycle_target, f->cycle, f->other, true), FOLLOW_OK);
	assert_true(follow_exists(db, &cycle_target, f->cycle, f->other));
	assert_int_equal(follow_set(db, &cycle_target, f->cycle, f->other, false), FOLLOW_OK);
	assert_false(follow_exists(db, &cycle_target, f->cycle, f->other));

	assert_int_equal(follow_set(db, &idea_target, 999999, f->other, true), FOLLOW_NOT_FOUND);
	assert_int_equal(follow_set(db, &cycle_target, 999999, f->other, true), FOLLOW_NOT_FOUND);
}

static json_t *item(json_t *page, size_t i)
{
	return json_array_get(json_object_get(page, "items"), i);
}

static const char *data_str(json_t *it, const char *key)
{
	return json_string_value(json_object_get(json_object_get(it, "data"), key));
}

static void test_notifications(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	assert_int_equal(follow_set(db, &idea_target, f->idea, f->other, true), FOLLOW_OK);
	/* the actor (a follower) gets nothing; the other followers one row each */
	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(notify_followers(db, &idea_target, f->idea, f->other, "idea.comment", "{\"comment_id\":7}"), DB_OK);
	assert_int_equal(db_commit(db), DB_OK);
	assert_int_equal(notification_unread(db, f->author), 1);
	assert_int_equal(notification_unread(db, f->other), 0);
	assert_int_equal(notification_unread(db, f->third), 0);
	json_t *page = notification_list(db, "de", f->author, 0, 20);
	json_t *it = item(page, 0);
	assert_string_equal(json_string_value(json_object_get(it, "kind")), "idea.comment");
	assert_string_equal(data_str(it, "title"), "Mehr Bänke am Rhein");
	assert_string_equal(data_str(it, "actor"), "Ben Beispiel");
	char url[64];
	snprintf(url, sizeof url, "/ideas/%lld#comment-7", (long long)f->idea);
	assert_string_equal(json_string_value(json_object_get(it, "url")), url);
	assert_true(json_is_false(json_object_get(it, "read")));
	assert_true(json_is_null(json_object_get(page, "next")));
	json_decref(page);

	/* the system as actor: every follower */
	assert_int_equal(notify_followers(db, &idea_target, f->idea, 0, NOTIFY_IDEA_STATUS, "{\"status\":\"in_dialogue\"}"), DB_OK);
	assert_int_equal(notification_unread(db, f->author), 2);
	assert_int_equal(notification_unread(db, f->other), 1);
	/* data must be a JSON object */
	assert_int_not_equal(notify_followers(db, &idea_target, f->idea, 0, "x", "[1]"), DB_OK);
	assert_int_not_equal(notify_followers(db, &idea_target, f->idea, 0, "x", "nope"), DB_OK);
	assert_int_equal(notify_followers(db, &idea_target, f->idea, 0, "x", NULL), DB_OK);
	assert_int_equal(notification_unread(db, f->author), 3);

	/* one person; never oneself */
	assert_int_equal(notify_user(db, f->third, f->other, NOTIFY_COMMENT_REPLY, "idea:1", "{\"comment_id\":8}"), DB_OK);
	assert_int_equal(notify_user(db, f->other, f->other, NOTIFY_COMMENT_REPLY, "idea:1", NULL), DB_OK);
	assert_int_equal(notification_unread(db, f->third), 1);
	assert_int_equal(notification_unread(db, f->other), 2);

	/* a new idea in a followed cycle */
	assert_int_equal(follow_set(db, &cycle_target, f->cycle, f->third, true), FOLLOW_OK);
	assert_int_equal(follow_set(db, &cycle_target, f->cycle, f->other, true), FOLLOW_OK);
	int64_t second = submit(f, f->other, "Trinkbrunnen in Deutz");
	assert_int_equal(notification_unread(db, f->third), 2);
	assert_int_equal(notification_unread(db, f->other), 2);   /* not for its own author */
	page = notification_list(db, "en", f->third, 0, 20);
	it = item(page, 0);
	assert_string_equal(json_string_value(json_object_get(it, "kind")), NOTIFY_CYCLE_IDEA);
	assert_string_equal(data_str(it, "title"), "Trinkbrunnen in Deutz");
	snprintf(url, sizeof url, "/ideas/%lld", (long long)second);
	assert_string_equal(json_string_value(json_object_get(it, "url")), url);
	json_decref(page);

	/* paging, newest first */
	for (int i = 0; i < 45; i++)
		assert_int_equal(notify_user(db, f->third, 0, NOTIFY_IDEA_STATUS, "idea:1", "{\"status\":\"eligible\"}"), DB_OK);
	int64_t before = 0, seen = 0, last = INT64_MAX;
	int pages = 0;
	do {
		page = notification_list(db, "de", f->third, before, 20);
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(page, "items"), i, v) {
			int64_t id = json_integer_value(json_object_get(v, "id"));
			assert_true(id < last);
			last = id;
			seen++;
		}
		json_t *next = json_object_get(page, "next");
		before = json_is_integer(next) ? json_integer_value(next) : 0;
		json_decref(page);
		pages++;
	} while (before);
	assert_int_equal(seen, 47);
	assert_int_equal(pages, 3);
	/* the unread count stops at the cap */
	for (int i = 0; i < 60; i++)
		assert_int_equal(notify_user(db, f->third, 0, "x", "idea:1", NULL), DB_OK);
	assert_int_equal(notification_unread(db, f->third), NOTIFICATION_UNREAD_CAP);

	/* mark one, then all */
	page = notification_list(db, "de", f->third, 0, 1);
	int64_t newest = json_integer_value(json_object_get(item(page, 0), "id"));
	json_decref(page);
	assert_int_equal(notification_mark_read(db, f->third, newest, T0), 0);
	page = notification_list(db, "de", f->third, 0, 1);
	assert_true(json_is_true(json_object_get(item(page, 0), "read")));
	json_decref(page);
	/* someone else's notification: not found, and not marked */
	assert_int_equal(notification_mark_read(db, f->author, newest - 1, T0), 1);
	assert_int_equal(notification_mark_read(db, f->third, 0, T0), 0);
	assert_int_equal(notification_unread(db, f->third), 0);
	assert_int_equal(notification_unread(db, f->author), 3);
}

static void test_move(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	int64_t dup = submit(f, f->other, "Bänke am Rheinufer");
	int64_t n;
	assert_int_equal(support_add(db, f->idea, f->other, &n), SUPPORT_OK);
	assert_int_equal(support_add(db, f->idea, f->third, &n), SUPPORT_OK);
	assert_int_equal(support_add(db, dup, f->third, &n), SUPPORT_OK);
	assert_int_equal(support_add(db, dup, f->author, &n), SUPPORT_OK);
	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(support_move(db, dup, f->idea), DB_OK);
	assert_int_equal(follow_move(db, &idea_target, dup, f->idea), DB_OK);
	assert_int_equal(db_commit(db), DB_OK);
	/* third supported both: counted once */
	assert_int_equal(support_count(db, f->idea), 3);
	assert_int_equal(support_count(db, dup), 0);
	assert_true(follow_exists(db, &idea_target, f->idea, f->other));   /* dup's author */
	assert_int_equal(rows(db, "SELECT COUNT(*) FROM follows WHERE target_kind = 'idea' AND target_id = $1 AND user_id = $2", f->idea,
			      f->author), 1);
}

int main(void)
{
	areas_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_support_once_and_withdraw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_support_race, setup, teardown),
		cmocka_unit_test_setup_teardown(test_support_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notifications, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
