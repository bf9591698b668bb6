/* The status workflow of ideas (the transition table, exhaustively over
 * states, roles and authorship; reasons), its history and timeline, the
 * caretakers' lists and assisted submission, on a real migrated database:
 * SQLite, or PostgreSQL when UNBOX_TEST_PG names a scripts/pgtmp cluster. */
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
#include "domain/dialogue/campaign.h"
#include "domain/dialogue/idea_status.h"
#include "domain/place.h"
#include "domain/user.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */

/* ---- the transition table ---- */

static const char *const roles[] = { "resident", "team", "spurgruppe", "committee", "supporter", "steward",
				     "admin", NULL };

/* The rules written out once more, as the list of allowed changes. */
static const struct { const char *from, *to, *who; } allowed[] = {
	{ "submitted", "in_dialogue", "team" },
	{ "prioritised", "qualified", "team" },
	{ "in_dialogue", "eligible", "committee" },
	{ "in_dialogue", "not_eligible", "committee" },
	{ "eligible", "prioritised", "committee" },
	{ "submitted", "withdrawn", "author" },
	{ "in_dialogue", "withdrawn", "author" },
	{ "submitted", "archived", "team" },
	{ "in_dialogue", "archived", "team" },
	{ "eligible", "archived", "team" },
	{ "not_eligible", "archived", "team" },
	{ "prioritised", "archived", "team" },
	{ "qualified", "archived", "team" },
	{ "withdrawn", "archived", "team" },
};

static bool who_matches(const char *who, const char *role, bool author)
{
	if (strcmp(who, "author") == 0)
		return author;
	if (strcmp(who, "team") == 0)
		return strcmp(role, "team") == 0 || strcmp(role, "admin") == 0;
	return strcmp(who, role) == 0;
}

static enum status_check expected(const char *from, const char *to, const char *role, bool author)
{
	bool ever = false;
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
		if (strcmp(allowed[i].to, to) != 0 || !who_matches(allowed[i].who, role, author))
			continue;
		if (strcmp(allowed[i].from, from) == 0)
			return STATUS_ALLOWED;
		ever = true;
	}
	return ever ? STATUS_NOT_NOW : STATUS_FORBIDDEN;
}

static void test_transition_table(void **state)
{
	(void)state;
	int n = 0, yes = 0;
	for (int f = 0; idea_statuses[f]; f++)
		for (int t = 0; idea_statuses[t]; t++)
			for (int r = 0; roles[r]; r++)
				for (int a = 0; a < 2; a++) {
					enum status_check got = idea_status_check(idea_statuses[f], idea_statuses[t], roles[r], a);
					enum status_check want = expected(idea_statuses[f], idea_statuses[t], roles[r], a);
					if (got != want)
						fail_msg("%s -> %s by %s%s: got %d, want %d", idea_statuses[f], idea_statuses[t],
							 roles[r], a ? " (author)" : "", got, want);
					n++;
					yes += got == STATUS_ALLOWED;
				}
	assert_int_equal(n, IDEA_STATUS_COUNT * IDEA_STATUS_COUNT * 7 * 2);
	assert_true(yes > 0);
	/* spot checks of the rules in words */
	assert_int_equal(idea_status_check("submitted", "eligible", "team", false), STATUS_FORBIDDEN);
	assert_int_equal(idea_status_check("submitted", "eligible", "committee", false), STATUS_NOT_NOW);
	assert_int_equal(idea_status_check("eligible", "withdrawn", "resident", true), STATUS_NOT_NOW);
	assert_int_equal(idea_status_check("submitted", "withdrawn", "resident", false), STATUS_FORBIDDEN);
	assert_int_equal(idea_status_check("submitted", "withdrawn", "team", false), STATUS_FORBIDDEN);
	assert_int_equal(idea_status_check("archived", "archived", "admin", false), STATUS_NOT_NOW);
	assert_int_equal(idea_status_check("archived", "archived", "committee", false), STATUS_FORBIDDEN);
	assert_int_equal(idea_status_check("submitted", "done", "admin", false), STATUS_UNKNOWN);
	assert_int_equal(idea_status_check(NULL, "archived", "admin", false), STATUS_UNKNOWN);
	assert_int_equal(idea_status_check("submitted", "in_dialogue", NULL, false), STATUS_FORBIDDEN);
}

static void test_labels_and_reasons(void **state)
{
	(void)state;
	for (int i = 0; idea_statuses[i]; i++) {
		assert_string_not_equal(idea_status_label(idea_statuses[i], false), idea_statuses[i]);
		assert_string_not_equal(idea_status_label(idea_statuses[i], true), idea_statuses[i]);
	}
	assert_string_equal(idea_status_label("in_dialogue", false), "Im Dialog");
	assert_string_equal(idea_status_label("not_eligible", true), "Not eligible");
	assert_string_equal(idea_status_label("mystery", true), "mystery");

	struct field_errors fe = { 0 };
	assert_int_equal(idea_status_validate_reason("not_eligible", NULL, &fe), 1);
	assert_string_equal(field_error_for(&fe, "reason"), "required");
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_status_validate_reason("withdrawn", "  \n ", &fe), 1);
	assert_string_equal(field_error_for(&fe, "reason"), "required");
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_status_validate_reason("archived", "zu kurz", &fe), 1);
	assert_string_equal(field_error_for(&fe, "reason"), "too_short");
	fe = (struct field_errors){ 0 };
	char long_reason[1100];
	memset(long_reason, 'x', 1001);
	long_reason[1001] = '\0';
	assert_int_equal(idea_status_validate_reason("archived", long_reason, &fe), 1);
	assert_string_equal(field_error_for(&fe, "reason"), "too_long");
	long_reason[1000] = '\0';
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_status_validate_reason("archived", long_reason, &fe), 0);
	/* optional where no door closes, but not without limits */
	assert_int_equal(idea_status_validate_reason("in_dialogue", NULL, &fe), 0);
	assert_int_equal(idea_status_validate_reason("eligible", "ok", &fe), 0);
	long_reason[1000] = 'x';
	assert_int_equal(idea_status_validate_reason("eligible", long_reason, &fe), 1);
	for (int i = 0; idea_statuses[i]; i++)
		assert_int_equal(idea_status_needs_reason(idea_statuses[i]),
				 !strcmp(idea_statuses[i], "not_eligible") || !strcmp(idea_statuses[i], "withdrawn") ||
				 !strcmp(idea_statuses[i], "archived"));

	json_t *opts = idea_status_options("in_dialogue", "committee", false, "en");
	char *dump = json_dumps(opts, JSON_COMPACT);
	assert_string_equal(dump, "[{\"value\":\"eligible\",\"label\":\"Eligible\",\"needs_reason\":false},"
				  "{\"value\":\"not_eligible\",\"label\":\"Not eligible\",\"needs_reason\":true}]");
	free(dump);
	json_decref(opts);
	opts = idea_status_options("submitted", "resident", false, "de");
	assert_int_equal(json_array_size(opts), 0);
	json_decref(opts);
	opts = idea_status_options("submitted", "team", true, "de");   /* a team member's own idea */
	assert_int_equal(json_array_size(opts), 3);                   /* in_dialogue, withdrawn, archived */
	json_decref(opts);
}

/* ---- on a database ---- */

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
	int64_t cycle, team, team2, committee, author, other;
};

static int64_t make_user(struct db *db, const char *email, const char *name, const char *role)
{
	int64_t id = 0;
	assert_int_equal(user_create(db, email, name, "x", role, T0, &id), DB_OK);
	return id;
}

static int db_setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (testdb_world_open("status", f->dir, sizeof f->dir, f->dsn, sizeof f->dsn, &f->db, T0, &f->cycle) < 0)
		return -1;
	*state = f;
	f->team = make_user(f->db, "team@example.org", "Tina Team", "team");
	f->team2 = make_user(f->db, "team2@example.org", "Theo Team", "team");
	f->committee = make_user(f->db, "committee@example.org", "Clara Komitee", "committee");
	f->author = make_user(f->db, "anna@example.org", "Anna Autorin", "resident");
	f->other = make_user(f->db, "otto@example.org", "Otto Other", "resident");
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

static int64_t new_idea(struct fixture *f, const char *title, int64_t created)
{
	struct idea_input in = { .title = title, .summary = "Eine kurze Zusammenfassung.",
				 .description = "Eine Beschreibung, die lang genug ist.", .field = "mobility",
				 .stadtteil = "105" };
	int64_t id = 0;
	assert_int_equal(idea_insert(f->db, f->cycle, f->author, &in, created, &id), IDEA_OK);
	return id;
}

static int64_t count_for(struct db *db, const char *sql, int64_t id)
{
	return db_one_int(db, -1, sql, "i", id);
}

static void test_change_history_timeline(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_idea(f, "Bänke am Rhein", T0 + DAY);
	int64_t v0 = db_one_int(f->db, 0, "SELECT n FROM content_version", NULL);
	struct field_errors fe = { 0 };

	/* a resident who is not the author may do nothing */
	assert_int_equal(idea_status_change(f->db, id, f->other, "resident", "withdrawn", "Ich ziehe das zurück.",
					    T0 + 2 * DAY, &fe), STATUS_RC_FORBIDDEN);
	/* the committee cannot decide before the dialogue */
	assert_int_equal(idea_status_change(f->db, id, f->committee, "committee", "eligible", NULL, T0 + 2 * DAY, &fe),
			 STATUS_RC_INVALID);
	assert_string_equal(field_error_for(&fe, "status"), "not_now");
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_status_change(f->db, id, f->team, "team", "bogus", NULL, T0 + 2 * DAY, &fe),
			 STATUS_RC_INVALID);
	assert_string_equal(field_error_for(&fe, "status"), "invalid");
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_status_change(f->db, 999999, f->team, "team", "in_dialogue", NULL, T0, &fe),
			 STATUS_RC_NOT_FOUND);
	assert_int_equal(count_for(f->db, "SELECT COUNT(*) FROM idea_status_history WHERE idea_id = $1", id), 0);

	assert_int_equal(idea_status_change(f->db, id, f->team, "team", "in_dialogue", "", T0 + 2 * DAY, &fe),
			 STATUS_RC_OK);
	/* a door closes only with a reason */
	assert_int_equal(idea_status_change(f->db, id, f->committee, "committee", "not_eligible", "kurz",
					    T0 + 3 * DAY, &fe), STATUS_RC_INVALID);
	assert_string_equal(field_error_for(&fe, "reason"), "too_short");
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_status_change(f->db, id, f->committee, "committee", "not_eligible",
					    "Liegt außerhalb des Stadtgebiets.", T0 + 3 * DAY, &fe), STATUS_RC_OK);
	assert_int_equal(idea_status_change(f->db, id, f->team, "team", "archived", "Zyklus ist abgeschlossen.",
					    T0 + 4 * DAY, &fe), STATUS_RC_OK);
	assert_int_equal(fe.count, 0);

	assert_int_equal(count_for(f->db, "SELECT COUNT(*) FROM idea_status_history WHERE idea_id = $1", id), 3);
	assert_int_equal(count_for(f->db, "SELECT COUNT(*) FROM audit WHERE action = 'idea.status' AND subject = "
					  "'idea:' || CAST($1 AS TEXT)", id), 3);
	assert_int_equal(count_for(f->db, "SELECT last_activity_at FROM ideas WHERE id = $1", id), T0 + 4 * DAY);
	assert_true(db_one_int(f->db, 0, "SELECT n FROM content_version", NULL) >= v0 + 3);

	json_t *idea = NULL;
	assert_int_equal(idea_get(f->db, "de", id, &idea), 1);
	assert_string_equal(json_string_value(json_object_get(idea, "status_label")), "Archiviert");
	json_decref(idea);

	json_t *tl = idea_status_timeline(f->db, "de", id);
	assert_int_equal(json_array_size(tl), 3);
	json_t *e = json_array_get(tl, 0);
	assert_string_equal(json_string_value(json_object_get(e, "from")), "submitted");
	assert_string_equal(json_string_value(json_object_get(e, "to_label")), "Im Dialog");
	assert_string_equal(json_string_value(json_object_get(e, "who")), "Tina Team (un:box-Team)");
	assert_string_equal(json_string_value(json_object_get(e, "date")), "03.01.2026");
	e = json_array_get(tl, 1);
	assert_string_equal(json_string_value(json_object_get(e, "who")), "Clara Komitee (Lenkungsausschuss)");
	assert_string_equal(json_string_value(json_object_get(e, "reason")), "Liegt außerhalb des Stadtgebiets.");
	json_decref(tl);
	tl = idea_status_timeline(f->db, "en", id);
	assert_string_equal(json_string_value(json_object_get(json_array_get(tl, 2), "who")), "Tina Team (un:box team)");
	assert_string_equal(json_string_value(json_object_get(json_array_get(tl, 2), "to_label")), "Archived");
	json_decref(tl);

	/* archived is the end of the workflow: the only way back is reopening */
	assert_int_equal(idea_status_change(f->db, id, f->team, "admin", "in_dialogue", NULL, T0 + 5 * DAY, &fe),
			 STATUS_RC_INVALID);
	fe = (struct field_errors){ 0 };
	char to[24];
	assert_int_equal(idea_status_reopen(f->db, id, f->committee, "committee", "Wir sehen es noch einmal an.",
					    T0 + 5 * DAY, &fe, to), STATUS_RC_FORBIDDEN);
	assert_int_equal(idea_status_reopen(f->db, id, f->team, "team", "kurz", T0 + 5 * DAY, &fe, to), STATUS_RC_INVALID);
	assert_string_equal(field_error_for(&fe, "reason"), "too_short");
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_status_reopen(f->db, id, f->team, "team", "Neue Fördermittel sind da.", T0 + 5 * DAY, &fe,
					    to), STATUS_RC_OK);
	assert_string_equal(to, "not_eligible");   /* the status it had when it was archived */
	assert_int_equal(count_for(f->db, "SELECT COUNT(*) FROM audit WHERE action = 'idea.reopen' AND subject = "
					  "'idea:' || CAST($1 AS TEXT)", id), 1);
	tl = idea_status_timeline(f->db, "en", id);
	e = json_array_get(tl, 3);
	assert_string_equal(json_string_value(json_object_get(e, "from")), "archived");
	assert_string_equal(json_string_value(json_object_get(e, "to")), "not_eligible");
	assert_true(json_is_true(json_object_get(e, "reopened")));
	json_decref(tl);
	/* reopening what is not archived changes nothing */
	assert_int_equal(idea_status_reopen(f->db, id, f->team, "team", "Neue Fördermittel sind da.", T0 + 6 * DAY, &fe,
					    to), STATUS_RC_INVALID);
	assert_string_equal(field_error_for(&fe, "status"), "not_now");
	assert_int_equal(idea_status_reopen(f->db, 999999, f->team, "team", "Neue Fördermittel sind da.", T0, &fe, to),
			 STATUS_RC_NOT_FOUND);
}

static void test_author_withdraws(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_idea(f, "Grüne Dächer", T0 + DAY);
	struct field_errors fe = { 0 };
	assert_int_equal(idea_status_change(f->db, id, f->author, "resident", "withdrawn", NULL, T0 + 2 * DAY, &fe),
			 STATUS_RC_INVALID);
	assert_string_equal(field_error_for(&fe, "reason"), "required");
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_status_change(f->db, id, f->author, "resident", "withdrawn",
					    "Wir machen das jetzt selbst.", T0 + 2 * DAY, &fe), STATUS_RC_OK);
	json_t *tl = idea_status_timeline(f->db, "de", id);
	assert_string_equal(json_string_value(json_object_get(json_array_get(tl, 0), "who")), "Ideengeber:in");
	json_decref(tl);
	/* once withdrawn, only archiving is left */
	assert_int_equal(idea_status_check("withdrawn", "in_dialogue", "team", false), STATUS_NOT_NOW);
	assert_int_equal(idea_status_change(f->db, id, f->team, "team", "archived", "Zurückgezogene Idee.",
					    T0 + 3 * DAY, &fe), STATUS_RC_OK);
}

static void test_caretaker(void **state)
{
	struct fixture *f = *state;
	int64_t a = new_idea(f, "Idee Alpha", T0 + DAY);
	int64_t b = new_idea(f, "Idee Beta", T0 + 2 * DAY);
	int64_t c = new_idea(f, "Idee Gamma", T0 + 3 * DAY);
	int64_t other = new_idea(f, "Idee Delta", T0 + 4 * DAY);
	struct field_errors fe = { 0 };
	/* only team members can take care of ideas */
	assert_int_equal(caretaker_assign(f->db, a, f->team, f->author, T0 + 5 * DAY, &fe), STATUS_RC_INVALID);
	assert_string_equal(field_error_for(&fe, "caretaker"), "invalid");
	fe = (struct field_errors){ 0 };
	assert_int_equal(caretaker_assign(f->db, 999999, f->team, f->team, T0, &fe), STATUS_RC_NOT_FOUND);
	assert_int_equal(caretaker_assign(f->db, a, f->team, f->team2, T0 + 5 * DAY, &fe), STATUS_RC_OK);
	assert_int_equal(caretaker_assign(f->db, b, f->team, f->team2, T0 + 5 * DAY, &fe), STATUS_RC_OK);
	assert_int_equal(caretaker_assign(f->db, c, f->team, f->team2, T0 + 5 * DAY, &fe), STATUS_RC_OK);
	assert_int_equal(caretaker_assign(f->db, other, f->team, f->team, T0 + 5 * DAY, &fe), STATUS_RC_OK);
	assert_int_equal(db_one_int(f->db, 0, "SELECT COUNT(*) FROM audit WHERE action = 'idea.caretaker'", NULL), 4);
	json_t *ct = NULL;
	assert_int_equal(caretaker_of(f->db, a, &ct), 1);
	assert_string_equal(json_string_value(json_object_get(ct, "name")), "Theo Team");
	json_decref(ct);
	json_t *cands = caretaker_candidates(f->db);
	assert_int_equal(json_array_size(cands), 2);
	json_decref(cands);

	/* b moves on: it no longer waits, and it is the most recently active */
	assert_int_equal(idea_status_change(f->db, b, f->team2, "team", "in_dialogue", NULL, T0 + 10 * DAY, &fe),
			 STATUS_RC_OK);
	json_t *w = caretaker_waiting(f->db, "de", f->team2, T0 + 10 * DAY);
	assert_int_equal(json_integer_value(json_object_get(w, "total")), 2);
	json_t *items = json_object_get(w, "items");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "title")), "Idee Alpha");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "title")), "Idee Gamma");
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(items, 0), "phase"), "key")),
			    "ideensammlung");
	json_decref(w);

	json_t *page = caretaker_ideas(f->db, "en", f->team2, 0, 0, 2, T0 + 100 * DAY);
	items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *first = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(first, "title")), "Idee Beta");
	assert_string_equal(json_string_value(json_object_get(first, "status_label")), "In dialogue");
	assert_string_equal(json_string_value(json_object_get(first, "last_activity_at")), "2026-01-11T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(json_object_get(first, "phase"), "name")), "Project definition");
	const char *next = json_string_value(json_object_get(page, "next"));
	assert_non_null(next);
	int64_t bt, bid;
	assert_int_equal(idea_cursor_parse(next, &bt, &bid), 0);
	json_t *page2 = caretaker_ideas(f->db, "en", f->team2, bt, bid, 2, T0 + 100 * DAY);
	assert_int_equal(json_array_size(json_object_get(page2, "items")), 1);
	assert_true(json_is_null(json_object_get(page2, "next")));
	json_decref(page2);
	json_decref(page);

	/* clearing */
	assert_int_equal(caretaker_assign(f->db, a, f->team, 0, T0 + 11 * DAY, &fe), STATUS_RC_OK);
	assert_int_equal(caretaker_of(f->db, a, &ct), 0);
	assert_true(json_is_null(ct));
	json_decref(ct);
}

static void test_assisted(void **state)
{
	struct fixture *f = *state;
	struct assisted_input in = {
		.idea = { .title = "Sensoren im Park", .summary = "Bodenfeuchte messen und gezielt gießen.",
			  .description = "Auf dem Stadtfest gesammelt: Sensoren melden trockene Beete.",
			  .field = "mobility", .stadtteil = "105" },
		.channel = "campaign", .campaign = "", .resident_name = "Rita Rentnerin",
		.resident_email = "Rita@Example.org", .consent = false,
	};
	struct field_errors fe = { 0 };
	int64_t id = 0;
	assert_int_equal(assisted_submit(f->db, f->team, &in, T0 + DAY, &fe, &id), IDEA_INVALID);
	assert_string_equal(field_error_for(&fe, "consent"), "required");
	assert_string_equal(field_error_for(&fe, "campaign"), "required");
	fe = (struct field_errors){ 0 };
	in.channel = "fax";
	in.consent = true;
	in.resident_email = "nope";
	assert_int_equal(assisted_submit(f->db, f->team, &in, T0 + DAY, &fe, &id), IDEA_INVALID);
	assert_string_equal(field_error_for(&fe, "channel"), "invalid");
	assert_string_equal(field_error_for(&fe, "resident_email"), "invalid");
	assert_int_equal(db_one_int(f->db, -1, "SELECT COUNT(*) FROM ideas", NULL), 0);
	fe = (struct field_errors){ 0 };
	in.channel = "campaign";
	in.campaign = "VEEDEL-24";
	in.resident_email = "Rita@Example.org";
	/* a campaign code must be a known one */
	assert_int_equal(assisted_submit(f->db, f->team, &in, T0 + DAY, &fe, &id), IDEA_INVALID);
	assert_string_equal(field_error_for(&fe, "campaign"), "unknown");
	fe = (struct field_errors){ 0 };
	assert_int_equal(db_begin(f->db), DB_OK);
	assert_int_equal(campaign_insert(f->db, f->team, "VEEDEL-24", "Veedelsfest", T0), DB_OK);
	assert_int_equal(db_commit(f->db), DB_OK);
	assert_int_equal(assisted_submit(f->db, f->team, &in, T0 + 200 * DAY, &fe, &id), IDEA_CLOSED);
	assert_int_equal(assisted_submit(f->db, f->team, &in, T0 + DAY, &fe, &id), IDEA_OK);
	struct db_stmt *st = db_prepare(f->db,
		"SELECT intake_channel, intake_campaign, intake_consent, recorded_by, resident_name, resident_email, "
		"COALESCE(author_id, 0), status FROM ideas WHERE id = $1");
	assert_int_equal(db_bind(st, "i", id), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text(st, 0), "campaign");
	assert_string_equal(db_text(st, 1), "VEEDEL-24");
	assert_int_equal(db_int(st, 2), 1);
	assert_int_equal(db_int(st, 3), f->team);
	assert_string_equal(db_text(st, 4), "Rita Rentnerin");
	assert_string_equal(db_text(st, 5), "rita@example.org");
	assert_int_equal(db_int(st, 6), 0);
	assert_string_equal(db_text(st, 7), "submitted");
	db_done(st);
	assert_int_equal(db_one_int(f->db, 0, "SELECT COUNT(*) FROM audit WHERE action = 'idea.assisted' AND actor_id = $1",
				    "i", f->team), 1);
	/* paper: no campaign code kept, no e-mail needed */
	in.channel = "paper";
	in.resident_email = "";
	assert_int_equal(assisted_submit(f->db, f->team, &in, T0 + DAY, &fe, &id), IDEA_OK);
	assert_int_equal(count_for(f->db, "SELECT COUNT(*) FROM ideas WHERE id = $1 AND intake_campaign IS NULL "
					  "AND resident_email IS NULL AND intake_channel = 'paper'", id), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transition_table),
		cmocka_unit_test(test_labels_and_reasons),
		cmocka_unit_test_setup_teardown(test_change_history_timeline, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_author_withdraws, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_caretaker, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_assisted, db_setup, db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
