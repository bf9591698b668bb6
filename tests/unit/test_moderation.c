/* Moderation on a real migrated database (SQLite, or PostgreSQL when
 * UNBOX_TEST_PG names a scripts/pgtmp cluster): reports with their rules,
 * hiding and unhiding ideas and comments, "no violation", the reporters'
 * notifications, audit rows and content versions, the queue, and blocking. */
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
#include "testtargets.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/comment.h"
#include "domain/content.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea.h"
#include "domain/moderation.h"
#include "domain/place.h"
#include "domain/session.h"
#include "domain/user.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */
#define REASON "Beleidigend gegenüber Nachbarn"
#define PUBLIC "Verstößt gegen die Regeln"

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
	int64_t cycle, author, reporter, other, team, admin, idea;
};

static int64_t make_user(struct db *db, const char *email, const char *name, const char *role)
{
	int64_t id = 0;
	assert_int_equal(user_create(db, email, name, "$argon2id$v=19$m=65536,t=2,p=1$x$y", role, T0, &id), DB_OK);
	return id;
}

static int64_t submit(struct fixture *f, const char *title)
{
	struct idea_input in = { .title = title, .summary = "Sitzgelegenheiten entlang der Promenade.",
				 .description = "Entlang der Promenade fehlen Bänke für alle.",
				 .field = "mobility", .stadtteil = "105" };
	struct field_errors fe = { 0 };
	int64_t id = 0;
	assert_int_equal(idea_submit(f->db, f->author, &in, T0 + DAY, &fe, &id), IDEA_OK);
	return id;
}

static int setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (testdb_world_open("moderation", f->dir, sizeof f->dir, f->dsn, sizeof f->dsn, &f->db, T0, &f->cycle) < 0)
		return -1;
	*state = f;
	f->author = make_user(f->db, "anna@example.org", "Anna Autorin", "resident");
	f->reporter = make_user(f->db, "ben@example.org", "Ben Beispiel", "resident");
	f->other = make_user(f->db, "cem@example.org", "Cem Dritter", "spurgruppe");
	f->team = make_user(f->db, "team@example.org", "Tina Team", "team");
	f->admin = make_user(f->db, "admin@example.org", "Adam Admin", "admin");
	f->idea = submit(f, "Mehr Bänke am Rhein");
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

static int64_t count(struct db *db, const char *sql, int64_t a)
{
	return db_one_int(db, -1, sql, "i", a);
}

static bool listed(struct db *db, int64_t id)
{
	struct idea_filter flt = { .limit = IDEA_PAGE_MAX };
	json_t *page = idea_list(db, "de", &flt);
	size_t i;
	json_t *it;
	bool found = false;
	json_array_foreach(json_object_get(page, "items"), i, it)
		found = found || json_integer_value(json_object_get(it, "id")) == id;
	json_decref(page);
	return found;
}

static void test_validation(void **state)
{
	(void)state;
	struct field_errors fe = { 0 };
	assert_int_equal(moderation_validate_reason("Ein guter Grund", &fe), 0);
	assert_int_equal(moderation_validate_reason("zu kurz", &fe), 1);
	assert_string_equal(fe.items[0].field, "reason");
	assert_string_equal(fe.items[0].code, "too_short");
	char long_text[1100];
	memset(long_text, 'x', 1001);
	long_text[1001] = '\0';
	fe = (struct field_errors){ 0 };
	assert_int_equal(moderation_validate_reason(long_text, &fe), 1);
	assert_string_equal(fe.items[0].code, "too_long");
	long_text[1000] = '\0';
	fe = (struct field_errors){ 0 };
	assert_int_equal(moderation_validate_reason(long_text, &fe), 0);
	assert_int_equal(moderation_validate_reason(NULL, &fe), 1);
	assert_string_equal(fe.items[0].code, "required");
	fe = (struct field_errors){ 0 };
	assert_int_equal(moderation_validate_reason("   \n ", &fe), 1);
	char *de = moderation_hidden_text("de", "Spam");
	char *en = moderation_hidden_text("en", "Spam");
	assert_string_equal(de, "Von der Moderation ausgeblendet: Spam");
	assert_string_equal(en, "Hidden by the moderation: Spam");
	free(de);
	free(en);
}

static void test_report_rules(void **state)
{
	struct field_errors dfe = { 0 };   /* comment_delete's */
	struct fixture *f = *state;
	struct db *db = f->db;
	struct field_errors fe = { 0 };
	int64_t r = 0, r2 = 0;
	assert_int_equal(moderation_report(db, &idea_target, f->idea, f->reporter, "kurz", T0, &fe, &r), MOD_INVALID);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM reports WHERE target_kind = 'idea' AND target_id = $1", f->idea), 0);
	assert_int_equal(moderation_report(db, &idea_target, 999999, f->reporter, REASON, T0, &fe, &r), MOD_NOT_FOUND);
	assert_int_equal(moderation_report(db, &comment_target, 999999, f->reporter, REASON, T0, &fe, &r), MOD_NOT_FOUND);
	assert_int_equal(moderation_report(db, &idea_target, f->idea, f->reporter, REASON, T0, &fe, &r), MOD_OK);
	assert_true(r > 0);
	assert_true(moderation_reported(db, &idea_target, f->idea, f->reporter));
	assert_false(moderation_reported(db, &idea_target, f->idea, f->other));
	/* one open report per person and item; another person may */
	assert_int_equal(moderation_report(db, &idea_target, f->idea, f->reporter, REASON, T0, &fe, &r2), MOD_DUPLICATE);
	assert_int_equal(moderation_report(db, &idea_target, f->idea, f->other, REASON, T0 + 1, &fe, &r2), MOD_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM reports WHERE target_kind = 'idea' AND target_id = $1", f->idea), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'moderation.report' AND actor_id = $1",
			       f->reporter), 1);
	/* the unique index holds even past the check */
	int rc = db_run(db, "INSERT INTO reports (target_kind, target_id, reporter_id, reason, created_at) "
			    "VALUES ('idea', $1, $2, 'x', 0)",
			"ii", f->idea, f->reporter);
	assert_int_equal(rc, DB_CONSTRAINT);
	/* a comment of the same idea is another item */
	struct comment_added c;
	assert_int_equal(comment_add(db, &idea_target, f->idea, f->author, 0, "Ein Kommentar", T0, &fe, &c), COMMENT_OK);
	assert_int_equal(moderation_report(db, &comment_target, c.id, f->reporter, REASON, T0, &fe, &r2), MOD_OK);
	assert_true(moderation_reported(db, &comment_target, c.id, f->reporter));
	/* deleted comments are gone */
	assert_int_equal(comment_delete(db, c.id, f->author, false, NULL, T0, &dfe), COMMENT_OK);
	assert_int_equal(moderation_report(db, &comment_target, c.id, f->other, REASON, T0, &fe, &r2), MOD_NOT_FOUND);
}

/* The idea as idea_get reads it for its page (the hidden state with it),
 * or NULL when it is shown. */
static json_t *hidden_idea(struct db *db, const char *lang, int64_t id)
{
	json_t *idea;
	assert_int_equal(idea_get(db, lang, id, &idea), 1);
	if (json_is_true(json_object_get(idea, "hidden")))
		return idea;
	assert_null(json_object_get(idea, "hidden_reason"));
	json_decref(idea);
	return NULL;
}

static void test_hide_idea(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	struct field_errors fe = { 0 };
	int64_t r = 0, idea = 0;
	assert_int_equal(moderation_report(db, &idea_target, f->idea, f->reporter, REASON, T0, &fe, &r), MOD_OK);
	assert_int_equal(moderation_report(db, &idea_target, f->idea, f->other, REASON, T0, &fe, &r), MOD_OK);
	assert_true(listed(db, f->idea));
	assert_null(hidden_idea(db, "de", f->idea));
	int64_t v0 = content_version(db);
	assert_int_equal(hide_on(db, &idea_target, f->idea, f->team, "kurz", T0 + 10, &fe, &idea), MOD_INVALID);
	assert_int_equal(content_version(db), v0);
	assert_int_equal(hide_on(db, &idea_target, 999999, f->team, PUBLIC, T0 + 10, &fe, &idea), MOD_NOT_FOUND);
	assert_int_equal(hide_on(db, &idea_target, f->idea, f->team, PUBLIC, T0 + 10, &fe, &idea), MOD_OK);
	assert_int_equal(idea, f->idea);
	assert_true(content_version(db) > v0);
	json_t *h = hidden_idea(db, "en", f->idea);
	assert_non_null(h);
	assert_string_equal(json_string_value(json_object_get(h, "hidden_reason")), PUBLIC);
	assert_string_equal(json_string_value(json_object_get(h, "hidden_text")), "Hidden by the moderation: " PUBLIC);
	json_decref(h);
	assert_false(listed(db, f->idea));
	/* the reports are decided; both reporters are told; audit */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM reports WHERE target_kind = 'idea' AND target_id = $1 AND outcome = 'hidden' "
				   "AND decided_at IS NOT NULL", f->idea), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM reports WHERE decided_by = $1", f->team), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM notifications WHERE kind = 'moderation' AND user_id = $1 "
				   "AND data LIKE '%hidden%'", f->reporter), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM notifications WHERE kind = 'moderation' AND user_id = $1",
			       f->other), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'idea.hide' AND actor_id = $1", f->team), 1);
	/* reporting a hidden idea: nothing to do */
	assert_int_equal(moderation_report(db, &idea_target, f->idea, f->admin, REASON, T0, &fe, &r), MOD_HIDDEN);
	/* unhide */
	int64_t v1 = content_version(db);
	assert_int_equal(unhide_on(db, &idea_target, f->idea, f->admin, T0 + 20, &idea), MOD_OK);
	assert_true(content_version(db) > v1);
	assert_null(hidden_idea(db, "de", f->idea));
	assert_true(listed(db, f->idea));
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'idea.unhide' AND actor_id = $1", f->admin), 1);
	assert_int_equal(unhide_on(db, &idea_target, 999999, f->admin, T0, &idea), MOD_NOT_FOUND);
}

static void test_hide_comment(void **state)
{
	struct field_errors dfe = { 0 };   /* comment_delete's */
	struct fixture *f = *state;
	struct db *db = f->db;
	struct field_errors fe = { 0 };
	struct comment_added top, reply;
	assert_int_equal(comment_add(db, &idea_target, f->idea, f->author, 0, "Ein *böser* Kommentar", T0, &fe, &top), COMMENT_OK);
	assert_int_equal(comment_add(db, &idea_target, f->idea, f->other, top.id, "Eine Antwort", T0 + 1, &fe, &reply), COMMENT_OK);
	int64_t r = 0, idea = 0;
	assert_int_equal(moderation_report(db, &comment_target, top.id, f->reporter, REASON, T0, &fe, &r), MOD_OK);
	assert_int_equal(hide_on(db, &comment_target, top.id, f->team, PUBLIC, T0 + 5, &fe, &idea), MOD_OK);
	assert_int_equal(idea, f->idea);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM reports WHERE target_kind = 'comment' AND target_id = $1 AND outcome = 'hidden'", top.id), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM notifications WHERE kind = 'moderation' AND user_id = $1",
			       f->reporter), 1);

	/* anonymous: the placeholder, no body, no forms; the reply stays */
	struct comment_viewer anon = { .now = T0 + 10 };
	json_t *page = threads_page(db, "de", f->idea, &anon, 0, 20);
	json_t *t = json_array_get(json_object_get(page, "items"), 0);
	assert_true(json_is_true(json_object_get(t, "hidden")));
	assert_null(json_object_get(t, "body"));
	assert_null(json_object_get(t, "body_html"));
	assert_string_equal(json_string_value(json_object_get(t, "hidden_text")), "Von der Moderation ausgeblendet: " PUBLIC);
	assert_true(json_is_null(json_object_get(t, "moderation")));
	json_t *rep = json_array_get(json_object_get(t, "replies"), 0);
	assert_true(json_is_false(json_object_get(rep, "hidden")));
	assert_non_null(json_object_get(rep, "body_html"));
	json_decref(page);
	/* the team: the unhide form; a resident: a report form on the reply only */
	struct comment_viewer team = { .user_id = f->team, .staff = true, .now = T0 + 10 };
	page = threads_page(db, "en", f->idea, &team, 0, 20);
	t = json_array_get(json_object_get(page, "items"), 0);
	json_t *m = json_object_get(t, "moderation");
	assert_non_null(json_object_get(m, "unhide_url"));
	assert_null(json_object_get(m, "report_url"));
	json_decref(page);
	struct comment_viewer res = { .user_id = f->reporter, .now = T0 + 10 };
	page = threads_page(db, "en", f->idea, &res, 0, 20);
	t = json_array_get(json_object_get(page, "items"), 0);
	assert_null(json_object_get(json_object_get(t, "moderation"), "report_url"));
	rep = json_array_get(json_object_get(t, "replies"), 0);
	assert_non_null(json_object_get(json_object_get(rep, "moderation"), "report_url"));
	assert_null(json_object_get(json_object_get(rep, "moderation"), "hide_url"));
	json_decref(page);

	assert_int_equal(unhide_on(db, &comment_target, top.id, f->team, T0 + 20, &idea), MOD_OK);
	json_t *c = comment_one(db, "de", top.id, &anon);
	assert_true(json_is_false(json_object_get(c, "hidden")));
	assert_non_null(strstr(json_string_value(json_object_get(c, "body_html")), "böser"));
	json_decref(c);
	/* deleted comments cannot be hidden */
	assert_int_equal(comment_delete(db, reply.id, f->other, false, NULL, T0 + 30, &dfe), COMMENT_OK);
	assert_int_equal(hide_on(db, &comment_target, reply.id, f->team, PUBLIC, T0 + 40, &fe, &idea), MOD_NOT_FOUND);
}

static void test_resolve_and_queue(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	struct field_errors fe = { 0 };
	int64_t second = submit(f, "Noch eine Idee am Rhein");
	int64_t r1 = 0, r2 = 0, r3 = 0;
	assert_int_equal(moderation_report(db, &idea_target, second, f->reporter, REASON, T0, &fe, &r1), MOD_OK);
	assert_int_equal(moderation_report(db, &idea_target, f->idea, f->reporter, REASON, T0 + 1, &fe, &r2), MOD_OK);
	assert_int_equal(moderation_report(db, &idea_target, second, f->other, "Auch ich finde das falsch", T0 + 2, &fe, &r3),
			 MOD_OK);
	/* oldest open report first, grouped by item */
	json_t *q = moderation_queue(db, "de", 0, 20);
	json_t *items = json_object_get(q, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *a = json_array_get(items, 0);
	assert_int_equal(json_integer_value(json_object_get(a, "report_id")), r1);
	assert_int_equal(json_integer_value(json_object_get(a, "report_count")), 2);
	assert_int_equal(json_array_size(json_object_get(a, "reasons")), 2);
	assert_string_equal(json_string_value(json_object_get(a, "kind")), "idea");
	assert_string_equal(json_string_value(json_object_get(json_object_get(a, "author"), "name")), "Anna Autorin");
	assert_true(json_is_null(json_object_get(q, "next")));
	json_decref(q);
	q = moderation_queue(db, "de", 0, 1);
	assert_int_equal(json_array_size(json_object_get(q, "items")), 1);
	const char *next = json_string_value(json_object_get(q, "next"));
	assert_non_null(next);
	json_t *q2 = moderation_queue(db, "de", strtoll(next, NULL, 10), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(q2, "items"), 0), "report_id")), r2);
	json_decref(q2);
	json_decref(q);

	int64_t v0 = content_version(db);
	assert_int_equal(moderation_resolve(db, r3, f->team, T0 + 10), MOD_OK);   /* any report of the item */
	assert_true(content_version(db) > v0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM reports WHERE target_kind = 'idea' AND target_id = $1 AND outcome = 'kept'", second), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM notifications WHERE kind = 'moderation' AND data LIKE '%kept%' "
				   "AND user_id = $1", f->other), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'moderation.keep' AND actor_id = $1", f->team), 1);
	assert_null(hidden_idea(db, "de", second));
	/* deciding twice changes nothing */
	assert_int_equal(moderation_resolve(db, r1, f->team, T0 + 11), MOD_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'moderation.keep' AND actor_id = $1", f->team), 1);
	assert_int_equal(moderation_resolve(db, 999999, f->team, T0), MOD_NOT_FOUND);
	q = moderation_queue(db, "de", 0, 20);
	assert_int_equal(json_array_size(json_object_get(q, "items")), 1);
	json_decref(q);
	/* a reporter of a decided item may report again */
	assert_int_equal(moderation_report(db, &idea_target, second, f->reporter, REASON, T0 + 20, &fe, &r1), MOD_OK);
	/* a reporter who is the one deciding gets no notification about their own decision */
	assert_int_equal(moderation_report(db, &idea_target, second, f->team, REASON, T0 + 21, &fe, &r2), MOD_OK);
	assert_int_equal(moderation_resolve(db, r2, f->team, T0 + 30), MOD_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1", f->team), 0);
}

static void test_block(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	struct arena *a = arena_new(4096);
	struct user u;
	char tok1[TOKEN_LEN + 1], tok2[TOKEN_LEN + 1];
	assert_int_equal(user_by_id(db, a, f->reporter, &u), 1);
	int64_t now = clock_now();
	assert_int_equal(session_create(db, &u, now, "test", tok1), DB_OK);
	assert_int_equal(session_create(db, &u, now, "test", tok2), DB_OK);
	struct session s;
	assert_int_equal(session_lookup(db, a, tok1, now, &s), 1);
	struct field_errors fe = { 0 };

	/* a reason is needed, of 10 characters at least */
	assert_int_equal(moderation_block(db, f->reporter, f->team, false, true, "kurz", now, &fe), MOD_INVALID);
	assert_string_equal(field_error_for(&fe, "reason"), "too_short");
	fe.count = 0;
	assert_int_equal(moderation_block(db, f->reporter, f->team, false, true, NULL, now, &fe), MOD_INVALID);
	fe.count = 0;
	assert_int_equal(count(db, "SELECT COUNT(*) FROM users WHERE blocked_at IS NOT NULL AND id = $1", f->reporter), 0);

	/* not oneself; team not team or admin; unknown people */
	assert_int_equal(moderation_block(db, f->team, f->team, false, true, REASON, now, &fe), MOD_FORBIDDEN);
	assert_int_equal(moderation_block(db, f->admin, f->team, false, true, REASON, now, &fe), MOD_FORBIDDEN);
	assert_int_equal(moderation_block(db, 999999, f->team, false, true, REASON, now, &fe), MOD_NOT_FOUND);

	int64_t v0 = content_version(db);
	assert_int_equal(moderation_block(db, f->reporter, f->team, false, true, REASON, now, &fe), MOD_OK);
	assert_true(content_version(db) > v0);
	assert_int_equal(session_lookup(db, a, tok1, now, &s), 0);
	assert_int_equal(session_lookup(db, a, tok2, now, &s), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", f->reporter), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'user.block' AND actor_id = $1", f->team), 1);
	struct db_stmt *st = db_prepare(db, "SELECT detail FROM audit WHERE action = 'user.block'");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text(st, 0), REASON);   /* the reason is in the audit row */
	db_done(st);
	struct user blocked;
	assert_int_equal(user_by_id(db, a, f->reporter, &blocked), 1);
	assert_true(blocked.blocked);
	assert_string_equal(blocked.blocked_reason, REASON);
	json_t *list = moderation_blocked_list(db, "de");
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), f->reporter);
	json_decref(list);
	/* a session started anyway is refused while blocked */
	assert_int_equal(session_create(db, &u, now, "test", tok1), DB_OK);
	assert_int_equal(session_lookup(db, a, tok1, now, &s), 0);

	assert_int_equal(moderation_block(db, f->reporter, f->team, false, false, REASON, now, &fe), MOD_OK);
	assert_int_equal(session_lookup(db, a, tok1, now, &s), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'user.unblock' AND actor_id = $1", f->team), 1);
	list = moderation_blocked_list(db, "de");
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	/* the admin may block team members */
	assert_int_equal(moderation_block(db, f->team, f->admin, true, true, REASON, now, &fe), MOD_OK);
	assert_int_equal(moderation_block(db, f->team, f->admin, true, false, REASON, now, &fe), MOD_OK);
	arena_free(a);
}

int main(void)
{
	areas_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validation),
		cmocka_unit_test_setup_teardown(test_report_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hide_idea, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hide_comment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_and_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
