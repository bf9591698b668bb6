/* The domain layer: passwords, tokens, validation, cycles, throttling,
 * and the account, session and idea journeys on a real migrated database: a
 * SQLite file, or a fresh PostgreSQL database when UNBOX_TEST_PG names a
 * scripts/pgtmp cluster (see testdb.h). */
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
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/account.h"
#include "domain/dialogue/cycle.h"
#include "domain/errors.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea.h"
#include "domain/markdown.h"
#include "domain/password.h"
#include "domain/place.h"
#include "domain/session.h"
#include "domain/throttle.h"
#include "domain/token.h"
#include "domain/user.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */

static const char *const good_pw = "correct horse battery";

/* ---- fixtures ---- */

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
	struct arena *arena;
};

static int group_setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));    /* expected failures stay quiet */
	return token_init();
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int db_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/unbox-domain-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char err[256];
	if (testdb_dsn(f->dsn, sizeof f->dsn, f->dir) < 0)
		return -1;
	f->db = db_open(f->dsn, err, sizeof err);
	if (!f->db || strcmp(db_backend(f->db), testdb_is_pg() ? "postgres" : "sqlite") != 0 ||
	    db_migrate(f->db, SOURCE_ROOT "/migrations") < 1)
		return -1;
	f->arena = arena_new(0);
	*state = f;
	return 0;
}

static int db_teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->arena);
	db_close(f->db);
	nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct db *DB(void **state) { return ((struct fixture *)*state)->db; }
static struct arena *AR(void **state) { return ((struct fixture *)*state)->arena; }

static int64_t count(struct db *db, const char *sql)
{
	return db_one_int(db, -1, sql, NULL);
}

/* count() on a second connection: sees only what was committed, so a
 * transaction left open by mistake hides its work. */
static int64_t committed_count(void **state, const char *sql)
{
	char err[256];
	struct db *other = db_open(((struct fixture *)*state)->dsn, err, sizeof err);
	if (!other)
		fail_msg("second connection: %s", err);
	int64_t n = count(other, sql);
	db_close(other);
	return n;
}

/* A confirmed (or not) user with a real password hash. */
static int64_t make_user(struct db *db, const char *email, const char *role, int64_t confirmed_at)
{
	char hash[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash(good_pw, hash), 0);
	int64_t id = 0;
	assert_int_equal(user_create(db, email, "Test Person", hash, role, confirmed_at, &id), DB_OK);
	assert_true(id > 0);
	return id;
}

/* The confirmation token from the newest confirmation mail to `to`. */
static void mailed_token(struct db *db, const char *to, char token[TOKEN_LEN + 1])
{
	struct db_stmt *st = db_prepare(db, "SELECT body FROM outbox WHERE to_addr = $1 AND body LIKE '%/confirm?token=%' "
					    "ORDER BY id DESC LIMIT 1");
	assert_int_equal(db_bind(st, "s", to), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	const char *p = strstr(db_text(st, 0), "/confirm?token=");
	assert_non_null(p);
	p += strlen("/confirm?token=");
	snprintf(token, TOKEN_LEN + 1, "%s", p);
	db_done(st);
	assert_true(token_well_formed(token));
}

/* ---- passwords ---- */

static void test_password_policy(void **state)
{
	assert_string_equal(password_policy(NULL), "required");
	assert_string_equal(password_policy(""), "required");
	assert_string_equal(password_policy("short"), "too_short");
	assert_string_equal(password_policy("elevenchars"), "too_short");            /* 11 */
	assert_null(password_policy("twelve chars"));                               /* 12 */
	/* characters count, not bytes: 11 umlauts are 22 bytes but too short */
	assert_string_equal(password_policy("\xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6\xC3\xBC"
					    "\xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6"), "too_short");
	assert_null(password_policy("\xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6\xC3\xBC"
				    "\xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6\xC3\xBC"));
	assert_string_equal(password_policy("unbelievable"), "common");
	assert_string_equal(password_policy("UnBelievable"), "common");
	assert_string_equal(password_policy("scandinavian"), "common");
	assert_null(password_policy(good_pw));
	/* invalid UTF-8 is refused */
	assert_non_null(password_policy("abcdefghijkl\xC3"));
	assert_non_null(password_policy("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"));

	char long_pw[PASSWORD_MAX_BYTES + 2];
	for (size_t i = 0; i < sizeof long_pw - 1; i++)     /* no repeating unit */
		long_pw[i] = (char)('a' + (i * i + i / 7) % 26);
	long_pw[PASSWORD_MAX_BYTES] = '\0';
	assert_null(password_policy(long_pw));                                      /* 1024 bytes */
	long_pw[PASSWORD_MAX_BYTES] = 'k';
	long_pw[PASSWORD_MAX_BYTES + 1] = '\0';
	assert_string_equal(password_policy(long_pw), "too_long");                  /* 1025 */
}

static void test_password_common_list(void **state)
{
	assert_true(password_is_common("iloveyou"));
	assert_true(password_is_common("ILoveYou"));
	assert_true(password_is_common("passwort"));
	assert_true(password_is_common("Passwort"));
	assert_true(password_is_common("PASSWORT"));
	assert_true(password_is_common("password"));
	assert_true(password_is_common("123456"));
	assert_true(password_is_common("qwertyuiop"));
	assert_true(password_is_common("iloveyou!"));
	/* stretched versions of listed passwords */
	assert_true(password_is_common("iloveyou!?"));
	assert_true(password_is_common("Password1234"));
	assert_true(password_is_common("2024passwort!!"));
	assert_true(password_is_common("passwordpassword"));
	assert_true(password_is_common("abcabcabcabc"));
	assert_true(password_is_common("zzzzzzzzzzzz"));
	assert_true(password_is_common("123456789012"));
	assert_false(password_is_common("iloveyou and the city"));
	assert_false(password_is_common("Rheinufer am Abend 7"));
	assert_false(password_is_common(good_pw));
	char huge[PASSWORD_MAX_BYTES + 10];
	for (size_t i = 0; i < sizeof huge - 1; i++)
		huge[i] = (char)('a' + i % 26);
	huge[sizeof huge - 1] = '\0';
	assert_false(password_is_common(huge));
}

static void test_password_hash_verify(void **state)
{
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash(good_pw, h1), 0);
	assert_int_equal(password_hash(good_pw, h2), 0);
	assert_true(strncmp(h1, "$argon2id$", 10) == 0);
	assert_true(strlen(h1) < PASSWORD_HASH_MAX);
	assert_string_not_equal(h1, h2);                  /* salted */
	assert_true(password_verify(h1, good_pw));
	assert_true(password_verify(h2, good_pw));
	assert_false(password_verify(h1, "correct horse batterY"));
	assert_false(password_verify(h1, ""));
	assert_false(password_verify("not a hash", good_pw));
	password_burn(good_pw);
}

/* ---- tokens ---- */

static void test_tokens(void **state)
{
	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];
	token_new(a);
	token_new(b);
	assert_int_equal(strlen(a), TOKEN_LEN);
	assert_true(token_well_formed(a));
	assert_true(token_well_formed(b));
	assert_string_not_equal(a, b);
	assert_true(token_equal(a, a));
	assert_false(token_equal(a, b));
	assert_false(token_equal(a, "short"));

	char h[TOKEN_HASH_LEN + 1], h2[TOKEN_HASH_LEN + 1];
	token_hash("", h);
	assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
	token_hash("abc", h);
	assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	token_hash(a, h);
	token_hash(a, h2);
	assert_int_equal(strlen(h), TOKEN_HASH_LEN);
	assert_string_equal(h, h2);
	token_hash(b, h2);
	assert_string_not_equal(h, h2);

	assert_false(token_well_formed(NULL));
	assert_false(token_well_formed(""));
	assert_true(token_well_formed("AZaz09-_AZaz09-_AZaz09-_AZaz09-_AZaz09-_abc"));
	assert_false(token_well_formed("AZaz09-_AZaz09-_AZaz09-_AZaz09-_AZaz09-_ab"));    /* 42 */
	assert_false(token_well_formed("AZaz09-_AZaz09-_AZaz09-_AZaz09-_AZaz09-_abcd"));  /* 44 */
	assert_false(token_well_formed("AZaz09+/AZaz09-_AZaz09-_AZaz09-_AZaz09-_abc"));
	assert_false(token_well_formed("AZaz09-_AZaz09-_AZaz09-_AZaz09-_AZaz09-_ab="));
	assert_false(token_well_formed("AZaz09-_AZaz09-_AZaz09-_AZaz09-_AZaz09-_a c"));
}

/* ---- users and validation ---- */

static void test_email_valid(void **state)
{
	static const char *const good[] = { "a@b.de", "anna.muster+tag@example.org", "x@sub.domain.example",
					    "j\xC3\xBCrgen@k\xC3\xB6ln.de" };
	static const char *const bad[] = { "", "ab", "a@b", "@b.de", "a@@b.de", "a@b@c.de", "a@.de", "a@b.",
					   "a.b@cde", "a b@c.de", "a@b.de\n", "<a@b.de>", "a,b@c.de", "a;b@c.de",
					   "\"a\"@b.de", "a@b.de\x7F", "\xC3@b.de", "a\t@b.de" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!email_valid(good[i]))
			fail_msg("refused %s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (email_valid(bad[i]))
			fail_msg("accepted %s", bad[i]);
	assert_false(email_valid(NULL));

	char e[300];
	memset(e, 'a', sizeof e);
	memcpy(e + EMAIL_MAX - 7, "@ex.org", 8);      /* exactly EMAIL_MAX */
	assert_int_equal(strlen(e), EMAIL_MAX);
	assert_true(email_valid(e));
	memset(e, 'a', sizeof e);
	memcpy(e + EMAIL_MAX - 6, "@ex.org", 8);      /* one more */
	assert_false(email_valid(e));
}

static void test_email_normalize(void **state)
{
	char out[EMAIL_MAX + 1];
	email_normalize("  Anna.Muster@Example.ORG \t\n", out);
	assert_string_equal(out, "anna.muster@example.org");
	email_normalize(NULL, out);
	assert_string_equal(out, "");
	email_normalize("J\xC3\x9CRGEN@X.DE", out);            /* only ASCII is lower-cased */
	assert_string_equal(out, "j\xC3\x9Crgen@x.de");
}

static void test_field_errors(void **state)
{
	struct field_errors fe = { 0 };
	field_error(&fe, "email", "required");
	field_error(&fe, "email", "invalid");        /* the first problem of a field stays */
	field_error(&fe, "name", "too_short");
	assert_int_equal(fe.count, 2);
	assert_string_equal(field_error_for(&fe, "email"), "required");
	assert_string_equal(field_error_for(&fe, "name"), "too_short");
	assert_null(field_error_for(&fe, "password"));

	struct field_errors full = { 0 };
	char names[FIELD_ERRORS_MAX + 2][8];
	for (int i = 0; i < FIELD_ERRORS_MAX + 2; i++) {
		snprintf(names[i], sizeof names[i], "f%d", i);
		field_error(&full, names[i], "invalid");
	}
	assert_int_equal(full.count, FIELD_ERRORS_MAX);
	assert_null(field_error_for(&full, names[FIELD_ERRORS_MAX]));
}

static void test_check_text(void **state)
{
	struct field_errors fe = { 0 };
	assert_int_equal(check_text(&fe, "a", NULL, 1, 5, 0), 0);
	assert_int_equal(check_text(&fe, "b", "", 1, 5, 0), 0);
	assert_int_equal(check_text(&fe, "c", "x", 2, 5, 0), 0);
	assert_int_equal(check_text(&fe, "d", "123456", 2, 5, 0), 0);
	assert_int_equal(check_text(&fe, "e", "two\nlines", 2, 50, 0), 0);
	assert_int_equal(check_text(&fe, "f", "two\nlines", 2, 50, 1), 1);
	assert_int_equal(check_text(&fe, "g", "\xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6", 5, 5, 0), 1);
	assert_int_equal(check_text(&fe, "h", "bad\xC3", 1, 50, 1), 0);
	assert_string_equal(field_error_for(&fe, "a"), "required");
	assert_string_equal(field_error_for(&fe, "b"), "required");
	assert_string_equal(field_error_for(&fe, "c"), "too_short");
	assert_string_equal(field_error_for(&fe, "d"), "too_long");
	assert_string_equal(field_error_for(&fe, "e"), "invalid");
	assert_null(field_error_for(&fe, "f"));
	assert_null(field_error_for(&fe, "g"));
	assert_string_equal(field_error_for(&fe, "h"), "invalid");
}

static void test_user_validate(void **state)
{
	struct field_errors fe = { 0 };
	assert_int_equal(user_validate(&fe, "anna@example.org", "Anna"), 0);
	assert_int_equal(fe.count, 0);

	fe = (struct field_errors){ 0 };
	assert_int_equal(user_validate(&fe, "", "A"), 2);
	assert_string_equal(field_error_for(&fe, "email"), "required");
	assert_string_equal(field_error_for(&fe, "name"), "too_short");

	fe = (struct field_errors){ 0 };
	char name[NAME_MAX + 2];
	memset(name, 'n', NAME_MAX + 1);
	name[NAME_MAX + 1] = '\0';
	assert_int_equal(user_validate(&fe, "no-at-sign", name), 2);
	assert_string_equal(field_error_for(&fe, "email"), "invalid");
	assert_string_equal(field_error_for(&fe, "name"), "too_long");

	fe = (struct field_errors){ 0 };
	name[NAME_MAX] = '\0';
	assert_int_equal(user_validate(&fe, NULL, name), 1);
	assert_string_equal(field_error_for(&fe, "email"), "required");
	assert_null(field_error_for(&fe, "name"));

	fe = (struct field_errors){ 0 };
	assert_int_equal(user_validate(&fe, "a@b.de", "Anna\nMuster"), 1);
	assert_string_equal(field_error_for(&fe, "name"), "invalid");
	fe = (struct field_errors){ 0 };
	assert_int_equal(user_validate(&fe, "a@b.de", NULL), 1);
	assert_string_equal(field_error_for(&fe, "name"), "required");
}

static void test_roles(void **state)
{
	static const char *const roles[] = { "resident", "team", "spurgruppe", "committee", "supporter",
					     "steward", "admin" };
	for (size_t i = 0; i < 7; i++) {
		assert_string_equal(user_roles[i], roles[i]);
		assert_true(role_valid(roles[i]));
	}
	assert_null(user_roles[7]);
	assert_false(role_valid(NULL));
	assert_false(role_valid("Admin"));
	assert_false(role_valid(""));
	assert_true(role_is_staff("team"));
	assert_true(role_is_staff("committee"));
	assert_true(role_is_staff("steward"));
	assert_true(role_is_staff("admin"));
	assert_false(role_is_staff("resident"));
	assert_false(role_is_staff("spurgruppe"));
	assert_false(role_is_staff("supporter"));
	assert_false(role_is_staff(NULL));
	assert_int_equal(session_lifetime("resident"), 30 * DAY);
	assert_int_equal(session_lifetime("admin"), 12 * 3600);
	assert_int_equal(session_lifetime(NULL), 30 * DAY);
}

/* ---- ideas and cycles (pure) ---- */

static char *repeat(const char *unit, size_t times)
{
	size_t n = strlen(unit);
	char *s = malloc(n * times + 1);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * n, unit, n);
	s[n * times] = '\0';
	return s;
}

static void test_idea_validate_text(void **state)
{
	struct idea_input in = { .title = "Mehr Bänke", .summary = "Sitzgelegenheiten am Rhein.",
				 .description = "Entlang der Promenade fehlen Bänke zum Ausruhen." };
	struct field_errors fe = { 0 };
	assert_int_equal(idea_validate_text(&in, &fe), 0);

	char *t4 = repeat("\xC3\xA4", 4), *t5 = repeat("\xC3\xA4", 5);
	char *t120 = repeat("x", IDEA_TITLE_MAX), *t121 = repeat("x", IDEA_TITLE_MAX + 1);
	char *s9 = repeat("s", 9), *s300 = repeat("s", IDEA_SUMMARY_MAX), *s301 = repeat("s", IDEA_SUMMARY_MAX + 1);
	char *d19 = repeat("d", 19), *d20000 = repeat("d", IDEA_DESCRIPTION_MAX), *d20001 = repeat("d", IDEA_DESCRIPTION_MAX + 1);

	struct idea_input lo = { .title = t4, .summary = s9, .description = d19 };
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_validate_text(&lo, &fe), 3);
	assert_string_equal(field_error_for(&fe, "title"), "too_short");
	assert_string_equal(field_error_for(&fe, "summary"), "too_short");
	assert_string_equal(field_error_for(&fe, "description"), "too_short");

	struct idea_input edge = { .title = t5, .summary = s300, .description = d20000 };
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_validate_text(&edge, &fe), 0);
	edge.title = t120;
	assert_int_equal(idea_validate_text(&edge, &fe), 0);

	struct idea_input hi = { .title = t121, .summary = s301, .description = d20001 };
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_validate_text(&hi, &fe), 3);
	assert_string_equal(field_error_for(&fe, "title"), "too_long");
	assert_string_equal(field_error_for(&fe, "summary"), "too_long");
	assert_string_equal(field_error_for(&fe, "description"), "too_long");

	/* titles are one line; summary and description may have several */
	struct idea_input lines = { .title = "Zwei\nZeilen", .summary = "Erste Zeile\nzweite Zeile",
				    .description = "Absatz eins.\r\n\r\nAbsatz zwei,\tmit Tab." };
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_validate_text(&lines, &fe), 1);
	assert_string_equal(field_error_for(&fe, "title"), "invalid");

	struct idea_input none = { 0 };
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_validate_text(&none, &fe), 3);
	assert_string_equal(field_error_for(&fe, "title"), "required");
	assert_string_equal(field_error_for(&fe, "description"), "required");

	free(t4); free(t5); free(t120); free(t121); free(s9); free(s300); free(s301);
	free(d19); free(d20000); free(d20001);
}

static struct cycle sample_cycle(void)
{
	struct cycle c = { .number = 1, .theme_de = "Mobilität im Veedel", .theme_en = "Mobility in the quarter",
			   .submission_start = T0, .submission_end = T0 + 90 * DAY,
			   .phase_start = { T0, T0 + 90 * DAY, T0 + 180 * DAY, T0 + 270 * DAY },
			   .phase4_end = T0 + 365 * DAY };
	return c;
}

static void test_cycle_validate(void **state)
{
	struct field_errors fe = { 0 };
	struct cycle c = sample_cycle();
	assert_int_equal(cycle_validate(&c, &fe), 0);

	c.number = 0;
	c.theme_de = "ab";
	c.theme_en = "";
	assert_int_equal(cycle_validate(&c, &fe), 3);
	assert_string_equal(field_error_for(&fe, "number"), "invalid");
	assert_string_equal(field_error_for(&fe, "theme_de"), "too_short");
	assert_string_equal(field_error_for(&fe, "theme_en"), "required");

	c = sample_cycle();
	c.number = 1001;
	fe = (struct field_errors){ 0 };
	assert_int_equal(cycle_validate(&c, &fe), 1);

	c = sample_cycle();
	c.submission_end = c.submission_start;
	fe = (struct field_errors){ 0 };
	assert_int_equal(cycle_validate(&c, &fe), 1);
	assert_string_equal(field_error_for(&fe, "submission_end"), "before_start");

	c = sample_cycle();
	c.submission_start = 0;
	fe = (struct field_errors){ 0 };
	assert_int_equal(cycle_validate(&c, &fe), 1);

	c = sample_cycle();
	c.phase_start[2] = c.phase_start[1] - 1;
	fe = (struct field_errors){ 0 };
	assert_int_equal(cycle_validate(&c, &fe), 1);
	assert_string_equal(field_error_for(&fe, "phases"), "out_of_order");

	c = sample_cycle();
	c.phase4_end = c.phase_start[3] - 1;
	fe = (struct field_errors){ 0 };
	assert_int_equal(cycle_validate(&c, &fe), 1);
	assert_string_equal(field_error_for(&fe, "phases"), "out_of_order");

	/* equal phase starts are allowed (a phase may be skipped) */
	c = sample_cycle();
	c.phase_start[2] = c.phase_start[1];
	fe = (struct field_errors){ 0 };
	assert_int_equal(cycle_validate(&c, &fe), 0);
}

static void test_cycle_phase_at(void **state)
{
	struct cycle c = sample_cycle();
	assert_int_equal(cycle_phase_at(&c, T0 - 1), 0);
	assert_int_equal(cycle_phase_at(&c, T0), 1);
	assert_int_equal(cycle_phase_at(&c, T0 + 90 * DAY - 1), 1);
	assert_int_equal(cycle_phase_at(&c, T0 + 90 * DAY), 2);
	assert_int_equal(cycle_phase_at(&c, T0 + 180 * DAY), 3);
	assert_int_equal(cycle_phase_at(&c, T0 + 270 * DAY), 4);
	assert_int_equal(cycle_phase_at(&c, T0 + 365 * DAY - 1), 4);
	assert_int_equal(cycle_phase_at(&c, T0 + 365 * DAY), 5);
	c.phase_start[2] = c.phase_start[1];          /* phase 2 skipped */
	assert_int_equal(cycle_phase_at(&c, T0 + 90 * DAY), 3);
	assert_string_equal(cycle_phase_keys[0], "before");
	assert_string_equal(cycle_phase_keys[1], "ideensammlung");
	assert_string_equal(cycle_phase_keys[5], "done");
}

static void test_idea_cursor_parse(void **state)
{
	int64_t t = 0, id = 0;
	assert_int_equal(idea_cursor_parse("1767225600.42", &t, &id), 0);
	assert_int_equal(t, 1767225600);
	assert_int_equal(id, 42);
	static const char *const bad[] = { "", "abc", "1767225600", "1767225600.", ".42", "0.5", "-3.5",
					   "5.0", "5.-1", "5.5x", "5x.5", "5..5" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (idea_cursor_parse(bad[i], &t, &id) != -1)
			fail_msg("accepted cursor \"%s\"", bad[i]);
	assert_int_equal(idea_cursor_parse(NULL, &t, &id), -1);
}

static void test_markdown(void **state)
{
	const char *cases[][2] = {
		{ "Hello *world*", "<p>Hello <em>world</em></p>\n" },
		{ "<script>alert(1)</script>", "<!-- raw HTML omitted -->\n" },
		{ "[x](javascript:alert(1))", "<p><a href=\"\">x</a></p>\n" },
		{ "a <b onclick=\"x\">b</b>", "<p>a <!-- raw HTML omitted -->b<!-- raw HTML omitted --></p>\n" },
		{ "[ok](https://example.org/?a=1&b=2)", "<p><a href=\"https://example.org/?a=1&amp;b=2\">ok</a></p>\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *html = markdown_to_html(cases[i][0], strlen(cases[i][0]));
		assert_non_null(html);
		assert_string_equal(html, cases[i][1]);
		free(html);
	}
}

/* ---- throttling ---- */

static void test_throttle_window(void **state)
{
	struct db *db = DB(state);
	int retry = -1;
	const char *key = "login:ip:192.0.2.1";
	assert_false(throttle_blocked(db, key, 3, 60, 1000, &retry));
	assert_int_equal(retry, -1);                     /* untouched when not blocked */
	assert_true(throttle_hit(db, key, 3, 60, 1000, &retry));
	assert_true(throttle_hit(db, key, 3, 60, 1010, &retry));
	assert_false(throttle_blocked(db, key, 3, 60, 1010, &retry));
	assert_true(throttle_hit(db, key, 3, 60, 1020, &retry));
	/* three hits: the limit is reached, the next one is over it */
	assert_true(throttle_blocked(db, key, 3, 60, 1030, &retry));
	assert_int_equal(retry, 30);
	assert_false(throttle_hit(db, key, 3, 60, 1030, &retry));
	assert_int_equal(retry, 30);
	assert_false(throttle_hit(db, key, 3, 60, 1059, &retry));
	assert_int_equal(retry, 1);
	assert_int_equal(db_one_int(db, -1, "SELECT hits FROM throttle WHERE key = $1", "s", key), 5);
	/* other keys are independent */
	assert_false(throttle_blocked(db, "login:ip:192.0.2.2", 3, 60, 1030, &retry));
	/* the window ends 60 s after its first hit; a new one starts */
	assert_false(throttle_blocked(db, key, 3, 60, 1060, &retry));
	assert_true(throttle_hit(db, key, 3, 60, 1060, &retry));
	assert_int_equal(db_one_int(db, -1, "SELECT hits FROM throttle WHERE key = $1", "s", key), 1);
	assert_int_equal(db_one_int(db, -1, "SELECT window_start FROM throttle WHERE key = $1", "s", key), 1060);
	assert_true(throttle_hit(db, key, 3, 60, 1061, &retry));
	assert_true(throttle_hit(db, key, 3, 60, 1062, &retry));
	assert_false(throttle_hit(db, key, 3, 60, 1063, &retry));
	assert_int_equal(retry, 57);
	throttle_clear(db, key);
	assert_false(throttle_blocked(db, key, 3, 60, 1064, &retry));
	assert_true(throttle_hit(db, key, 3, 60, 1064, &retry));
}

/* ---- accounts ---- */

static void test_register_confirm_login(void **state)
{
	struct db *db = DB(state);
	struct arena *a = AR(state);
	struct field_errors fe = { 0 };
	assert_int_equal(account_register(db, "  Anna.Muster@Example.org ", "Anna Muster", good_pw, "de",
					  "https://unbox.example", &fe), ACCOUNT_OK);
	assert_int_equal(fe.count, 0);

	/* one unconfirmed resident, stored lower-case */
	struct db_stmt *st = db_prepare(db, "SELECT email, name, role, lang, confirmed_at IS NULL, pw_hash FROM users");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text(st, 0), "anna.muster@example.org");
	assert_string_equal(db_text(st, 1), "Anna Muster");
	assert_string_equal(db_text(st, 2), "resident");
	assert_string_equal(db_text(st, 3), "de");
	assert_int_equal(db_int(st, 4), 1);
	assert_true(password_verify(db_text(st, 5), good_pw));
	assert_int_equal(db_step(st), DB_OK);
	db_done(st);

	/* the confirmation mail waits in the outbox; the database keeps only the token's hash */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox"), 1);
	st = db_prepare(db, "SELECT to_addr, subject, body, sent_at IS NULL FROM outbox");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text(st, 0), "anna.muster@example.org");
	assert_string_equal(db_text(st, 1), "Bitte bestätigen Sie Ihre E-Mail-Adresse");
	assert_true(strncmp(db_text(st, 2), "Hallo Anna Muster,\n", 19) == 0);
	assert_non_null(strstr(db_text(st, 2), "\nhttps://unbox.example/confirm?token="));
	assert_int_equal(db_int(st, 3), 1);
	db_done(st);
	char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
	mailed_token(db, "anna.muster@example.org", token);
	token_hash(token, hash);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM email_tokens WHERE token_hash = $1 AND "
				    "purpose = 'confirm' AND used_at IS NULL", "s", hash), 1);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM email_tokens WHERE token_hash = $1", "s", token), 0);
	int64_t expires = count(db, "SELECT expires_at FROM email_tokens");
	int64_t now = clock_now();
	assert_true(expires > now + CONFIRM_TOKEN_SECONDS - 120 && expires <= now + CONFIRM_TOKEN_SECONDS);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'account.register'"), 1);

	/* before confirming: the right password says "unconfirmed", a wrong one "denied" */
	struct user u;
	char session[TOKEN_LEN + 1];
	int retry = 0;
	assert_int_equal(account_login(db, a, "anna.muster@example.org", good_pw, "192.0.2.7", "test", now, &u, session, &retry),
			 ACCOUNT_UNCONFIRMED);
	/* ... and leads to a new link, once the last one is older than a few minutes */
	assert_int_equal(account_confirm_again(db, &u, now, "https://unbox.example"), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox"), 1);
	assert_int_equal(account_confirm_again(db, &u, now + CONFIRM_AGAIN_SECONDS + 1, "https://unbox.example"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox"), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM email_tokens WHERE purpose = 'confirm' AND used_at IS NULL"), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'account.confirm_again'"), 1);
	assert_int_equal(committed_count(state, "SELECT COUNT(*) FROM outbox"), 2);
	assert_int_equal(account_login(db, a, "anna.muster@example.org", "wrong password!", "192.0.2.7", "test", now, &u, session, &retry),
			 ACCOUNT_DENIED);

	assert_int_equal(account_confirm(db, token, now), ACCOUNT_OK);
	assert_int_equal(count(db, "SELECT confirmed_at FROM users"), now);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM email_tokens WHERE used_at IS NOT NULL"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'account.confirm'"), 1);
	/* a token works once */
	assert_int_equal(account_confirm(db, token, now + 1), ACCOUNT_INVALID);

	memset(&u, 0, sizeof u);
	assert_int_equal(account_login(db, a, " ANNA.MUSTER@example.org", good_pw, "192.0.2.7", "test", now + 2, &u, session, &retry),
			 ACCOUNT_OK);
	assert_true(u.id > 0);
	assert_string_equal(u.email, "anna.muster@example.org");
	assert_string_equal(u.name, "Anna Muster");
	assert_string_equal(u.role, "resident");
	assert_string_equal(u.lang, "de");
	assert_int_equal(u.confirmed_at, now);
	assert_false(u.blocked);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'account.login' AND detail = '192.0.2.7'"), 1);
	/* a successful login forgets the failures for the address */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM throttle WHERE key = 'login:email:anna.muster@example.org'"), 0);
}

static void test_register_duplicate_answers_the_same(void **state)
{
	struct db *db = DB(state);
	struct field_errors fe = { 0 };
	assert_int_equal(account_register(db, "anna@example.org", "Anna", good_pw, "de", "https://unbox.example", &fe),
			 ACCOUNT_OK);
	char first_hash[PASSWORD_HASH_MAX];
	struct db_stmt *st = db_prepare(db, "SELECT pw_hash FROM users");
	assert_int_equal(db_step(st), DB_ROW);
	snprintf(first_hash, sizeof first_hash, "%s", db_text(st, 0));
	db_done(st);

	fe = (struct field_errors){ 0 };
	assert_int_equal(account_register(db, " ANNA@example.ORG", "Somebody Else", "another good password", "en",
					  "https://unbox.example", &fe), ACCOUNT_OK);
	assert_int_equal(fe.count, 0);
	/* nothing about the account changed ... */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM users"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM email_tokens"), 1);
	st = db_prepare(db, "SELECT name, pw_hash, lang FROM users");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text(st, 0), "Anna");
	assert_string_equal(db_text(st, 1), first_hash);
	assert_string_equal(db_text(st, 2), "de");
	db_done(st);
	/* ... but the owner of the address hears about the attempt */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox"), 2);
	st = db_prepare(db, "SELECT to_addr, subject, body FROM outbox ORDER BY id DESC LIMIT 1");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text(st, 0), "anna@example.org");
	assert_string_equal(db_text(st, 1), "Your un:box account");
	assert_non_null(strstr(db_text(st, 2), "https://unbox.example/login"));
	assert_null(strstr(db_text(st, 2), "token="));
	db_done(st);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'account.register'"), 1);
	/* the notice was committed (on PostgreSQL after the failed insert aborted
	 * the first transaction) and no transaction was left open */
	assert_int_equal(committed_count(state, "SELECT COUNT(*) FROM outbox"), 2);
}

static void test_register_invalid(void **state)
{
	struct db *db = DB(state);
	struct field_errors fe = { 0 };
	assert_int_equal(account_register(db, "not-an-address", "A", "short", "de", "https://unbox.example", &fe),
			 ACCOUNT_INVALID);
	assert_int_equal(fe.count, 3);
	assert_string_equal(field_error_for(&fe, "email"), "invalid");
	assert_string_equal(field_error_for(&fe, "name"), "too_short");
	assert_string_equal(field_error_for(&fe, "password"), "too_short");

	fe = (struct field_errors){ 0 };
	assert_int_equal(account_register(db, "   ", "Anna", "unbelievable", "de", "https://unbox.example", &fe),
			 ACCOUNT_INVALID);
	assert_string_equal(field_error_for(&fe, "email"), "required");
	assert_string_equal(field_error_for(&fe, "password"), "common");

	fe = (struct field_errors){ 0 };
	assert_int_equal(account_register(db, "anna@example.org", "Anna", NULL, "de", "https://unbox.example", &fe),
			 ACCOUNT_INVALID);
	assert_string_equal(field_error_for(&fe, "password"), "required");

	assert_int_equal(count(db, "SELECT COUNT(*) FROM users"), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM outbox"), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit"), 0);
}

static void test_register_english(void **state)
{
	struct db *db = DB(state);
	struct field_errors fe = { 0 };
	assert_int_equal(account_register(db, "sam@example.org", "Sam", good_pw, "en", "http://localhost:8080", &fe),
			 ACCOUNT_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM users WHERE lang = 'en'"), 1);
	struct db_stmt *st = db_prepare(db, "SELECT subject, body FROM outbox");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text(st, 0), "Please confirm your e-mail address");
	assert_true(strncmp(db_text(st, 1), "Hello Sam,\n", 11) == 0);
	assert_non_null(strstr(db_text(st, 1), "http://localhost:8080/confirm?token="));
	db_done(st);
}

static void test_confirm_rejects(void **state)
{
	struct db *db = DB(state);
	struct field_errors fe = { 0 };
	assert_int_equal(account_register(db, "anna@example.org", "Anna", good_pw, "de", "https://x.example", &fe),
			 ACCOUNT_OK);
	char token[TOKEN_LEN + 1];
	mailed_token(db, "anna@example.org", token);
	int64_t now = clock_now();
	assert_int_equal(account_confirm(db, "not-a-token", now), ACCOUNT_INVALID);
	assert_int_equal(account_confirm(db, NULL, now), ACCOUNT_INVALID);
	char other[TOKEN_LEN + 1];
	token_new(other);
	assert_int_equal(account_confirm(db, other, now), ACCOUNT_INVALID);
	/* expired after three days */
	assert_int_equal(account_confirm(db, token, now + CONFIRM_TOKEN_SECONDS + 1), ACCOUNT_INVALID);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM users WHERE confirmed_at IS NULL"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM email_tokens WHERE used_at IS NULL"), 1);
	/* still good within them; the failed attempts left no transaction open */
	assert_int_equal(account_confirm(db, token, now + 60), ACCOUNT_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM users WHERE confirmed_at IS NULL"), 0);
	assert_int_equal(committed_count(state, "SELECT COUNT(*) FROM users WHERE confirmed_at IS NULL"), 0);
}

static void test_login_unknown_and_blocked(void **state)
{
	struct db *db = DB(state);
	struct arena *a = AR(state);
	int64_t now = clock_now();
	int64_t id = make_user(db, "blocked@example.org", "resident", now);
	struct user u;
	char session[TOKEN_LEN + 1];
	int retry = 0;
	assert_int_equal(account_login(db, a, "nobody@example.org", good_pw, "192.0.2.1", "test", now, &u, session, &retry),
			 ACCOUNT_DENIED);
	assert_int_equal(account_login(db, a, "blocked@example.org", good_pw, "192.0.2.1", "test", now, &u, session, &retry),
			 ACCOUNT_OK);
	assert_int_equal(db_run(db, "UPDATE users SET blocked_at = $2 WHERE id = $1", "ii", id, now), DB_OK);
	/* blocked: said only to who knows the password */
	assert_int_equal(db_run(db, "UPDATE users SET blocked_reason = 'Beleidigungen im Forum' WHERE id = $1", "i", id),
			 DB_OK);
	assert_int_equal(account_login(db, a, "blocked@example.org", good_pw, "192.0.2.1", "test", now, &u, session, &retry),
			 ACCOUNT_BLOCKED);
	assert_string_equal(u.blocked_reason, "Beleidigungen im Forum");
	assert_int_equal(account_login(db, a, "blocked@example.org", "wrong password!", "192.0.2.1", "test", now, &u, session,
				       &retry), ACCOUNT_DENIED);
	assert_int_equal(account_login(db, a, "blocked@example.org", "", "192.0.2.1", "test", now, &u, session, &retry),
			 ACCOUNT_DENIED);
	assert_int_equal(account_login(db, a, "blocked@example.org", NULL, NULL, "test", now, &u, session, &retry),
			 ACCOUNT_DENIED);
	/* failures are counted per address and per client */
	assert_int_equal(count(db, "SELECT hits FROM throttle WHERE key = 'login:email:nobody@example.org'"), 1);
	assert_int_equal(count(db, "SELECT hits FROM throttle WHERE key = 'login:email:blocked@example.org'"), 3);
	assert_int_equal(count(db, "SELECT hits FROM throttle WHERE key = 'login:ip:192.0.2.1'"), 3);
	assert_int_equal(count(db, "SELECT hits FROM throttle WHERE key = 'login:ip:-'"), 1);
}

static void test_login_throttled(void **state)
{
	struct db *db = DB(state);
	struct arena *a = AR(state);
	int64_t now = clock_now();
	make_user(db, "anna@example.org", "resident", now);
	struct user u;
	char session[TOKEN_LEN + 1];
	int retry = 0;
	for (int i = 0; i < LOGIN_LIMIT_EMAIL; i++)
		assert_int_equal(account_login(db, a, "anna@example.org", "wrong password!", "192.0.2.1", "test", now + i, &u, session,
					       &retry), ACCOUNT_DENIED);
	/* the sixth attempt is refused before the password is looked at, even a right one
	 * and from another client */
	retry = 0;
	assert_int_equal(account_login(db, a, "anna@example.org", good_pw, "192.0.2.1", "test", now + 10, &u, session, &retry),
			 ACCOUNT_THROTTLED);
	assert_int_equal(retry, LOGIN_WINDOW - 10);
	retry = 0;
	assert_int_equal(account_login(db, a, "Anna@Example.org", good_pw, "198.51.100.9", "test", now + 20, &u, session, &retry),
			 ACCOUNT_THROTTLED);
	assert_int_equal(retry, LOGIN_WINDOW - 20);
	/* throttled attempts are not counted */
	assert_int_equal(count(db, "SELECT hits FROM throttle WHERE key = 'login:email:anna@example.org'"), LOGIN_LIMIT_EMAIL);
	/* other addresses from the same client still get in */
	make_user(db, "bert@example.org", "resident", now);
	assert_int_equal(account_login(db, a, "bert@example.org", good_pw, "192.0.2.1", "test", now + 30, &u, session, &retry),
			 ACCOUNT_OK);
	/* when the window has passed, the right password works again */
	assert_int_equal(account_login(db, a, "anna@example.org", good_pw, "192.0.2.1", "test", now + LOGIN_WINDOW, &u, session, &retry),
			 ACCOUNT_OK);
	assert_string_equal(u.email, "anna@example.org");
}

static void test_login_throttled_by_client(void **state)
{
	struct db *db = DB(state);
	struct arena *a = AR(state);
	int64_t now = clock_now();
	make_user(db, "anna@example.org", "resident", now);
	int retry = 0;
	for (int i = 0; i < LOGIN_LIMIT_IP; i++)
		assert_true(throttle_hit(db, "login:ip:203.0.113.5", LOGIN_LIMIT_IP, LOGIN_WINDOW, now, &retry));
	struct user u;
	char session[TOKEN_LEN + 1];
	retry = 0;
	assert_int_equal(account_login(db, a, "anna@example.org", good_pw, "203.0.113.5", "test", now + 100, &u, session, &retry),
			 ACCOUNT_THROTTLED);
	assert_int_equal(retry, LOGIN_WINDOW - 100);
	assert_int_equal(account_login(db, a, "anna@example.org", good_pw, "203.0.113.6", "test", now + 100, &u, session, &retry),
			 ACCOUNT_OK);
}

/* ---- sessions ---- */

static void test_session_lifecycle(void **state)
{
	struct db *db = DB(state);
	struct arena *a = AR(state);
	int64_t now = T0;
	int64_t id = make_user(db, "anna@example.org", "resident", now);
	struct user u = { .id = id, .role = "resident" };
	char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
	assert_int_equal(session_create(db, &u, now, "test", token), DB_OK);
	assert_true(token_well_formed(token));
	/* only the hash is stored */
	token_hash(token, hash);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM sessions WHERE token_hash = $1", "s", hash), 1);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM sessions WHERE token_hash = $1", "s", token), 0);

	struct session s;
	memset(&s, 0, sizeof s);
	assert_int_equal(session_lookup(db, a, token, now + 1, &s), 1);
	assert_int_equal(s.user.id, id);
	assert_string_equal(s.user.email, "anna@example.org");
	assert_string_equal(s.user.name, "Test Person");
	assert_string_equal(s.user.role, "resident");
	assert_string_equal(s.user.lang, "de");
	assert_int_equal(s.user.confirmed_at, now);
	assert_false(s.user.blocked);
	assert_int_equal(s.expires_at, now + SESSION_RESIDENT_SECONDS);
	assert_true(token_well_formed(s.csrf));
	assert_string_not_equal(s.csrf, token);

	/* valid until just before it expires */
	assert_int_equal(session_lookup(db, a, token, now + SESSION_RESIDENT_SECONDS - 1, &s), 1);
	assert_int_equal(session_lookup(db, a, token, now + SESSION_RESIDENT_SECONDS, &s), 0);

	/* unknown and malformed tokens */
	char other[TOKEN_LEN + 1];
	token_new(other);
	assert_int_equal(session_lookup(db, a, other, now, &s), 0);
	assert_int_equal(session_lookup(db, a, "short", now, &s), 0);
	assert_int_equal(session_lookup(db, a, NULL, now, &s), 0);
	assert_int_equal(session_lookup(db, a, hash, now, &s), 0);   /* the stored hash is no key */

	session_end(db, token);
	assert_int_equal(session_lookup(db, a, token, now + 2, &s), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM sessions"), 0);
	session_end(db, "malformed");
	session_end(db, NULL);
}

static void test_session_staff_blocked_and_cleanup(void **state)
{
	struct db *db = DB(state);
	struct arena *a = AR(state);
	int64_t now = T0;
	int64_t id = make_user(db, "admin@example.org", "admin", now);
	struct user u = { .id = id, .role = "admin" };
	char t1[TOKEN_LEN + 1], t2[TOKEN_LEN + 1], t3[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
	assert_int_equal(session_create(db, &u, now, "test", t1), DB_OK);
	struct session s;
	assert_int_equal(session_lookup(db, a, t1, now, &s), 1);
	assert_int_equal(s.expires_at, now + SESSION_STAFF_SECONDS);
	assert_string_equal(s.user.role, "admin");

	/* a new session removes this user's expired ones (t1), not the live ones (t2) */
	assert_int_equal(session_create(db, &u, now + 1, "test", t2), DB_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM sessions"), 2);
	assert_int_equal(session_create(db, &u, now + SESSION_STAFF_SECONDS, "test", t3), DB_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM sessions"), 2);
	token_hash(t1, hash);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM sessions WHERE token_hash = $1", "s", hash), 0);
	assert_int_equal(session_lookup(db, a, t2, now + SESSION_STAFF_SECONDS, &s), 1);

	/* blocked users have no sessions */
	assert_int_equal(db_run(db, "UPDATE users SET blocked_at = $2 WHERE id = $1", "ii", id, now), DB_OK);
	assert_int_equal(session_lookup(db, a, t3, now + SESSION_STAFF_SECONDS + 2, &s), 0);
	assert_int_equal(db_run(db, "UPDATE users SET blocked_at = NULL WHERE id = $1", "i", id), DB_OK);
	assert_int_equal(session_lookup(db, a, t3, now + SESSION_STAFF_SECONDS + 2, &s), 1);

	session_end_all(db, id);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM sessions"), 0);
	assert_int_equal(session_lookup(db, a, t3, now + SESSION_STAFF_SECONDS + 2, &s), 0);
}

/* ---- places, fields, cycles, ideas ---- */

static const char *const bezirke_json =
	"{\"type\":\"FeatureCollection\",\"features\":["
	"{\"type\":\"Feature\",\"properties\":{\"nr\":1,\"name\":\"Innenstadt\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[6.95,50.94]}},"
	"{\"type\":\"Feature\",\"properties\":{\"nr\":2,\"name\":\"Rodenkirchen\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[6.99,50.89]}}]}";
static const char *const teile_json =
	"{\"type\":\"FeatureCollection\",\"features\":["
	"{\"type\":\"Feature\",\"properties\":{\"nr\":101,\"name\":\"Altstadt-Nord\",\"stadtbezirk_nr\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[7.0,50.9]}},"
	"{\"type\":\"Feature\",\"properties\":{\"nr\":105,\"name\":\"Deutz\",\"stadtbezirk_nr\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[7.0,50.9]}},"
	"{\"type\":\"Feature\",\"properties\":{\"nr\":201,\"name\":\"Bayenthal\",\"stadtbezirk_nr\":2},\"geometry\":{\"type\":\"Point\",\"coordinates\":[7.0,50.9]}}]}";

static void add_places_and_fields(struct db *db)
{
	char err[256] = "";
	assert_int_equal(place_import(db, bezirke_json, teile_json, err, sizeof err), 5);
	assert_int_equal(field_add(db, "mobility", "Mobilität", "Mobility"), DB_OK);
	assert_int_equal(field_add(db, "climate", "Klima", "Climate"), DB_OK);
}

static void test_places_and_fields(void **state)
{
	struct db *db = DB(state);
	add_places_and_fields(db);
	int64_t bezirk = 0;
	assert_int_equal(place_stadtteil(db, 105, &bezirk), 1);
	assert_int_equal(bezirk, 1);
	assert_int_equal(place_stadtteil(db, 999, &bezirk), 0);
	assert_int_equal(place_bezirk_exists(db, 2), 1);
	assert_int_equal(place_bezirk_exists(db, 3), 0);

	json_t *tree = place_tree(db);
	char *dump = json_dumps(tree, JSON_COMPACT);
	assert_string_equal(dump,
		"[{\"nr\":1,\"name\":\"Innenstadt\",\"stadtteile\":[{\"nr\":101,\"name\":\"Altstadt-Nord\"},"
		"{\"nr\":105,\"name\":\"Deutz\"}]},{\"nr\":2,\"name\":\"Rodenkirchen\",\"stadtteile\":"
		"[{\"nr\":201,\"name\":\"Bayenthal\"}]}]");
	free(dump);
	json_decref(tree);

	assert_int_equal(field_id(db, "climate"), 2);
	assert_int_equal(field_id(db, "nope"), 0);
	assert_int_equal(field_id(db, NULL), 0);
	/* adding a field again renames it */
	assert_int_equal(field_add(db, "climate", "Klimaschutz", "Climate protection"), DB_OK);
	json_t *fields = field_list(db, "en");
	dump = json_dumps(fields, JSON_COMPACT);
	assert_string_equal(dump, "[{\"slug\":\"mobility\",\"name\":\"Mobility\"},"
				  "{\"slug\":\"climate\",\"name\":\"Climate protection\"}]");
	free(dump);
	json_decref(fields);

	/* import errors */
	char err[256] = "";
	assert_int_equal(place_import(db, "not json", teile_json, err, sizeof err), -1);
	assert_true(strncmp(err, "not a GeoJSON FeatureCollection", 31) == 0);
	assert_int_equal(place_import(db, "{\"features\":[{\"properties\":{\"nr\":3}}]}", teile_json, err, sizeof err), -1);
	assert_string_equal(err, "feature 0 (?) could not be stored");
	/* a Stadtteil of an unknown Stadtbezirk violates the foreign key */
	assert_int_equal(place_import(db, bezirke_json,
				      "{\"features\":[{\"properties\":{\"nr\":301,\"name\":\"X\",\"stadtbezirk_nr\":9},\"geometry\":{\"type\":\"Point\",\"coordinates\":[7.0,50.9]}}]}",
				      err, sizeof err), -1);
	assert_string_equal(err, "feature 0 (X) could not be stored");
	/* the failures changed nothing and left the connection usable */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM stadtbezirke"), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM stadtteile"), 3);
	assert_int_equal(place_bezirk_exists(db, 1), 1);
}

static void test_cycle_save_and_open(void **state)
{
	struct db *db = DB(state);
	struct cycle c = sample_cycle();
	int64_t id1 = 0, id2 = 0, again = 0;
	assert_int_equal(cycle_save(db, &c, &id1), DB_OK);
	struct cycle c2 = sample_cycle();
	c2.number = 2;
	c2.theme_de = "Klima";
	c2.theme_en = "Climate";
	c2.submission_start = T0 + 30 * DAY;
	c2.submission_end = T0 + 60 * DAY;
	assert_int_equal(cycle_save(db, &c2, &id2), DB_OK);
	assert_true(id2 != id1);
	/* saving an existing number updates it */
	c.theme_en = "Getting around";
	assert_int_equal(cycle_save(db, &c, &again), DB_OK);
	assert_int_equal(again, id1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM cycles"), 2);

	assert_int_equal(cycle_open_for_submission(db, T0 - 1), 0);
	assert_int_equal(cycle_open_for_submission(db, T0), id1);
	assert_int_equal(cycle_open_for_submission(db, T0 + 30 * DAY), id2);    /* the newest wins */
	assert_int_equal(cycle_open_for_submission(db, T0 + 60 * DAY), id1);    /* end is exclusive */
	assert_int_equal(cycle_open_for_submission(db, T0 + 90 * DAY), 0);

	json_t *list = cycle_list(db, "en", T0 + 100 * DAY);
	assert_int_equal(json_array_size(list), 2);
	json_t *first = json_array_get(list, 0), *second = json_array_get(list, 1);
	assert_int_equal(json_integer_value(json_object_get(first, "number")), 2);
	assert_string_equal(json_string_value(json_object_get(second, "theme")), "Getting around");
	assert_true(json_is_false(json_object_get(second, "submission_open")));
	assert_string_equal(json_string_value(json_object_get(second, "submission_from")), "1 Jan 2026");
	assert_string_equal(json_string_value(json_object_get(second, "submission_until")), "31 Mar 2026");
	json_t *phase = json_object_get(second, "phase");
	assert_int_equal(json_integer_value(json_object_get(phase, "number")), 2);
	assert_string_equal(json_string_value(json_object_get(phase, "key")), "projektkonkretisierung");
	json_t *phases = json_object_get(second, "phases");
	assert_int_equal(json_array_size(phases), 4);
	assert_true(json_is_true(json_object_get(json_array_get(phases, 1), "current")));
	assert_true(json_is_false(json_object_get(json_array_get(phases, 0), "current")));
	json_decref(list);

	/* the database refuses what cycle_validate would refuse */
	struct cycle bad = sample_cycle();
	bad.number = 3;
	bad.submission_end = bad.submission_start;
	assert_int_equal(cycle_save(db, &bad, &again), DB_CONSTRAINT);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM cycles"), 2);
	assert_int_equal(cycle_open_for_submission(db, T0), id1);
}

static void test_idea_submit_get_list(void **state)
{
	struct db *db = DB(state);
	add_places_and_fields(db);
	struct cycle c = sample_cycle();
	int64_t cycle_id = 0;
	assert_int_equal(cycle_save(db, &c, &cycle_id), DB_OK);
	int64_t author = make_user(db, "anna@example.org", "resident", T0);

	struct idea_input in = { .title = "Mehr Bänke am Rhein", .summary = "Sitzgelegenheiten entlang der Promenade.",
				 .description = "Entlang der *Promenade* fehlen Bänke <script>x</script>.",
				 .field = "mobility", .stadtteil = "105" };
	struct field_errors fe = { 0 };
	int64_t id = 0;
	assert_int_equal(idea_submit(db, author, &in, T0 + DAY, &fe, &id), IDEA_OK);
	assert_true(id > 0);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM audit WHERE action = 'idea.submit' AND subject = $1",
				    "s", "idea:1"), 1);

	json_t *idea = NULL;
	assert_int_equal(idea_get(db, "de", id, &idea), 1);
	assert_non_null(idea);
	assert_string_equal(json_string_value(json_object_get(idea, "title")), "Mehr Bänke am Rhein");
	assert_string_equal(json_string_value(json_object_get(idea, "url")), "/ideas/1");
	assert_string_equal(json_string_value(json_object_get(idea, "status")), "submitted");
	assert_string_equal(json_string_value(json_object_get(idea, "status_label")), "Eingereicht");
	assert_string_equal(json_string_value(json_object_get(idea, "created_at")), "2026-01-02T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(idea, "created_date")), "02.01.2026");
	assert_string_equal(json_string_value(json_object_get(json_object_get(idea, "field"), "name")), "Mobilität");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(idea, "bezirk"), "nr")), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(idea, "stadtteil"), "name")), "Deutz");
	assert_string_equal(json_string_value(json_object_get(idea, "description")), in.description);
	assert_string_equal(json_string_value(json_object_get(idea, "description_html")),
			    "<p>Entlang der <em>Promenade</em> fehlen Bänke <!-- raw HTML omitted -->x<!-- raw HTML omitted -->.</p>\n");
	assert_string_equal(json_string_value(json_object_get(json_object_get(idea, "cycle"), "theme")),
			    "Mobilität im Veedel");
	assert_string_equal(json_string_value(json_object_get(idea, "author")), "Test Person");
	json_decref(idea);
	assert_int_equal(idea_get(db, "en", id, &idea), 1);
	assert_string_equal(json_string_value(json_object_get(idea, "status_label")), "Submitted");
	assert_string_equal(json_string_value(json_object_get(json_object_get(idea, "field"), "name")), "Mobility");
	json_decref(idea);
	assert_int_equal(idea_get(db, "de", 999, &idea), 0);
	assert_null(idea);

	/* unknown field and Stadtteil */
	struct idea_input bad = in;
	bad.field = "nope";
	bad.stadtteil = "999";
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_submit(db, author, &bad, T0 + DAY, &fe, &id), IDEA_INVALID);
	assert_string_equal(field_error_for(&fe, "field"), "invalid");
	assert_string_equal(field_error_for(&fe, "stadtteil"), "invalid");
	bad.field = "";
	bad.stadtteil = "105x";
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_submit(db, author, &bad, T0 + DAY, &fe, &id), IDEA_INVALID);
	assert_string_equal(field_error_for(&fe, "field"), "required");
	assert_string_equal(field_error_for(&fe, "stadtteil"), "invalid");
	bad.field = NULL;
	bad.stadtteil = NULL;
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_submit(db, author, &bad, T0 + DAY, &fe, &id), IDEA_INVALID);
	assert_string_equal(field_error_for(&fe, "field"), "required");
	assert_string_equal(field_error_for(&fe, "stadtteil"), "required");
	/* outside the submission window */
	fe = (struct field_errors){ 0 };
	assert_int_equal(idea_submit(db, author, &in, T0 + 90 * DAY, &fe, &id), IDEA_CLOSED);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM ideas"), 1);

	/* more ideas, at known times and places */
	for (int i = 0; i < 4; i++) {
		struct idea_input more = in;
		char title[32];
		snprintf(title, sizeof title, "Idee Nummer %d", i);
		more.title = title;
		more.field = i % 2 ? "climate" : "mobility";
		more.stadtteil = i < 2 ? "201" : "101";
		int64_t new_id;
		assert_int_equal(idea_insert(db, cycle_id, i == 3 ? 0 : author, &more, T0 + (10 + i) * DAY, &new_id), IDEA_OK);
	}
	assert_int_equal(count(db, "SELECT COUNT(*) FROM ideas WHERE author_id IS NULL"), 1);

	/* newest first, two per page, following the cursor */
	struct idea_filter f = { .limit = 2 };
	json_t *page = idea_list(db, "de", &f);
	json_t *items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "title")), "Idee Nummer 3");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "title")), "Idee Nummer 2");
	assert_null(json_object_get(json_array_get(items, 0), "_t"));
	assert_int_equal(json_integer_value(json_object_get(page, "limit")), 2);
	char cursor[64];
	snprintf(cursor, sizeof cursor, "%s", json_string_value(json_object_get(page, "next")));
	assert_string_equal(cursor, "1768262400.4");           /* T0 + 12 days, idea 4 */
	json_decref(page);

	assert_int_equal(idea_cursor_parse(cursor, &f.before_t, &f.before_id), 0);
	page = idea_list(db, "de", &f);
	items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "title")), "Idee Nummer 1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "title")), "Idee Nummer 0");
	snprintf(cursor, sizeof cursor, "%s", json_string_value(json_object_get(page, "next")));
	json_decref(page);
	assert_int_equal(idea_cursor_parse(cursor, &f.before_t, &f.before_id), 0);
	page = idea_list(db, "de", &f);
	items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "title")), "Mehr Bänke am Rhein");
	assert_true(json_is_null(json_object_get(page, "next")));
	json_decref(page);

	/* filters */
	struct idea_filter by_field = { .field = "climate" };
	page = idea_list(db, "en", &by_field);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 2);
	assert_int_equal(json_integer_value(json_object_get(page, "limit")), IDEA_PAGE_DEFAULT);
	json_decref(page);
	struct idea_filter by_bezirk = { .bezirk = 2, .limit = 1000 };
	page = idea_list(db, "en", &by_bezirk);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 2);
	assert_int_equal(json_integer_value(json_object_get(page, "limit")), IDEA_PAGE_MAX);
	json_decref(page);
	struct idea_filter both = { .field = "mobility", .bezirk = 1 };
	page = idea_list(db, "en", &both);
	items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "title")), "Idee Nummer 2");
	json_decref(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_policy),
		cmocka_unit_test(test_password_common_list),
		cmocka_unit_test(test_password_hash_verify),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_email_valid),
		cmocka_unit_test(test_email_normalize),
		cmocka_unit_test(test_field_errors),
		cmocka_unit_test(test_check_text),
		cmocka_unit_test(test_user_validate),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_idea_validate_text),
		cmocka_unit_test(test_cycle_validate),
		cmocka_unit_test(test_cycle_phase_at),
		cmocka_unit_test(test_idea_cursor_parse),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test_setup_teardown(test_throttle_window, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_register_confirm_login, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_register_duplicate_answers_the_same, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_register_invalid, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_register_english, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_confirm_rejects, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_login_unknown_and_blocked, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_login_throttled, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_login_throttled_by_client, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_session_lifecycle, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_session_staff_blocked_and_cleanup, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_places_and_fields, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_cycle_save_and_open, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_idea_submit_get_list, db_setup, db_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
