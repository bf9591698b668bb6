/* unbox seed --demo: Cologne's districts, the innovation fields, two cycles,
 * one account per role and about 30 ideas, from data/. */
#include "cli/cli.h"
#include "core/clock.h"
#include "core/config.h"
#include "domain/dialogue/campaign.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/idea_details.h"
#include "domain/password.h"
#include "domain/place.h"
#include "domain/user.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: unbox seed --demo [--if-new] [--ideas N] [--db DSN]\n\n"
	"Loads the demo content: the 9 Stadtbezirke and 86 Stadtteile of Cologne,\n"
	"the four innovation fields, two cycles, one account per role (their\n"
	"passwords are printed) and about 30 ideas.\n\n"
	"  --if-new    do nothing when the database already has accounts\n"
	"  --ideas N   add N more generated ideas (for benchmarks), up to 1000000\n";

#define DAY 86400

static char *read_file(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "unbox: cannot read %s\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (s && fread(s, 1, (size_t)n, f) == (size_t)n) {
		s[n] = '\0';
	} else {
		free(s);
		s = NULL;
	}
	fclose(f);
	return s;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int load_places(struct db *db, const char *data)
{
	char *bezirke = read_file(data, "koeln/stadtbezirke.geojson");
	char *teile = read_file(data, "koeln/stadtteile.geojson");
	char err[256] = "";
	int n = bezirke && teile ? place_import(db, bezirke, teile, err, sizeof err) : -1;
	free(bezirke);
	free(teile);
	if (n < 0)
		fprintf(stderr, "unbox: districts: %s\n", err);
	else
		printf("districts: %d Stadtbezirke and Stadtteile\n", n);
	return n < 0 ? -1 : 0;
}

static int load_cycles(struct db *db, json_t *cycles, int64_t ids[8], struct cycle out[8])
{
	size_t i;
	json_t *c;
	json_array_foreach(cycles, i, c) {
		if (i >= 8)
			break;
		struct cycle cy = { .number = json_integer_value(json_object_get(c, "number")),
				    .theme_de = str(c, "theme_de"), .theme_en = str(c, "theme_en"),
				    .submission_start = clock_parse_date(str(c, "submission_start")),
				    .submission_end = clock_parse_date(str(c, "submission_end")) + DAY,
				    .funding_cap_eur = json_integer_value(json_object_get(c, "funding_cap_eur")),
				    .target_projects = json_integer_value(json_object_get(c, "target_projects")),
				    .prototype_months = json_integer_value(json_object_get(c, "prototype_months")) };
		json_t *phases = json_object_get(c, "phases");
		for (int p = 0; p < 4; p++)
			cy.phase_start[p] = clock_parse_date(str(json_array_get(phases, (size_t)p), "start"));
		cy.phase4_end = clock_parse_date(str(json_array_get(phases, 3), "end")) + DAY;
		struct field_errors fe = { 0 };
		if (cycle_validate(&cy, &fe) || cycle_save(db, &cy, &ids[cy.number % 8]) != DB_OK) {
			fprintf(stderr, "unbox: cycle %lld is not valid (%s)\n", (long long)cy.number,
				fe.count ? fe.items[0].field : "database");
			return -1;
		}
		out[cy.number % 8] = cy;
	}
	printf("cycles: %zu\n", json_array_size(cycles));
	return 0;
}

static int load_users(struct db *db, json_t *users, int64_t ids[8])
{
	size_t i;
	json_t *u;
	printf("demo accounts (shown because this is demo content):\n");
	json_array_foreach(users, i, u) {
		const char *role = str(u, "role");
		char pw[64], hash[PASSWORD_HASH_MAX];
		cli_demo_password(role, pw, sizeof pw);
		int64_t id = 0;
		if (!role_valid(role) || password_hash(pw, hash) != 0 ||
		    user_create(db, str(u, "email"), str(u, "name"), hash, role, clock_now(), &id) != DB_OK) {
			fprintf(stderr, "unbox: demo account %s could not be created\n", str(u, "email"));
			return -1;
		}
		for (int r = 0; user_roles[r]; r++)
			if (strcmp(user_roles[r], role) == 0)
				ids[r] = id;
		printf("  %-11s %-32s password: %s\n", role, str(u, "email"), pw);
	}
	return 0;
}

static int64_t author_of(const char *role, const int64_t user_ids[8])
{
	for (int r = 0; user_roles[r]; r++)
		if (strcmp(user_roles[r], role) == 0)
			return user_ids[r];
	return user_ids[0];
}

static int load_ideas(struct db *db, json_t *ideas, const int64_t cycle_ids[8], const struct cycle cycles[8],
		      const int64_t user_ids[8], long extra)
{
	int64_t now = clock_now();
	size_t i;
	json_t *o;
	size_t n = json_array_size(ideas);
	json_array_foreach(ideas, i, o) {
		int64_t number = json_integer_value(json_object_get(o, "cycle")) % 8;
		int64_t days = json_integer_value(json_object_get(o, "days_ago"));
		const struct cycle *cy = &cycles[number];
		/* ideas of a past cycle came in during its window; current ones in the last weeks */
		int64_t created = cy->submission_end < now
			? cy->submission_end - 3600 - (days % ((cy->submission_end - cy->submission_start) / DAY)) * DAY
			: now - days * DAY - (int64_t)i * 997;
		char nr[16];
		snprintf(nr, sizeof nr, "%lld", (long long)json_integer_value(json_object_get(o, "stadtteil_nr")));
		struct idea_input in = { str(o, "title"), str(o, "summary"), str(o, "description"), str(o, "field"), nr };
		int64_t id;
		if (idea_insert(db, cycle_ids[number], author_of(str(o, "author"), user_ids), &in, created, &id) != IDEA_OK) {
			fprintf(stderr, "unbox: demo idea '%s' is not valid\n", in.title);
			return -1;
		}
	}
	printf("ideas: %zu\n", n);
	for (long k = 0; k < extra && n; k++) {
		json_t *base = json_array_get(ideas, (size_t)k % n);
		char title[160], nr[16];
		snprintf(title, sizeof title, "%.100s (%ld)", str(base, "title"), k + 1);
		snprintf(nr, sizeof nr, "%lld", (long long)json_integer_value(json_object_get(base, "stadtteil_nr")));
		struct idea_input in = { title, str(base, "summary"), str(base, "description"), str(base, "field"), nr };
		int64_t id, last = 0;
		for (int c = 0; c < 8; c++)
			if (cycle_ids[c] && cycles[c].number >= cycles[last].number)
				last = c;
		if (idea_insert(db, cycle_ids[last], user_ids[0], &in, now - 120 * DAY - k * 60, &id) != IDEA_OK) {
			fprintf(stderr, "unbox: generated idea %ld could not be stored\n", k + 1);
			return -1;
		}
		if ((k + 1) % 2000 == 0 || k + 1 == extra)
			fprintf(stderr, "generated ideas: %ld of %ld\n", k + 1, extra);
	}
	return 0;
}

int cmd_seed(int argc, char **argv)
{
	bool demo = false, if_new = false;
	long extra = 0;
	const char *v;
	for (int i = 1; i < argc; i++) {
		if (cli_common_option(argc, argv, &i, usage))
			continue;
		if (strcmp(argv[i], "--demo") == 0)
			demo = true;
		else if (strcmp(argv[i], "--if-new") == 0)
			if_new = true;
		else if ((v = cli_value(argc, argv, &i, "--ideas", usage))) {
			char *end;
			extra = strtol(v, &end, 10);
			if (*end || extra < 0 || extra > 1000000)
				cli_usage_error(usage, "--ideas takes a number from 0 to 1000000");
		} else
			cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
	}
	if (!demo)
		cli_usage_error(usage, "only demo content can be seeded: say --demo");
	struct db *db = cli_open_db();
	if (!db)
		return 1;
	if (db_one_int(db, -1, "SELECT COUNT(*) FROM users", NULL) < 0) {
		fprintf(stderr, "unbox: the database has no schema yet: run 'unbox migrate' first\n");
		db_close(db);
		return 1;
	}
	if (if_new && db_one_int(db, 0, "SELECT COUNT(*) FROM users", NULL) > 0) {
		printf("the database has content already; demo content not loaded\n");
		db_close(db);
		return 0;
	}
	const char *data = config_get("data");
	char *text = read_file(data, "demo/demo.json");
	json_error_t jerr;
	json_t *demo_json = text ? json_loads(text, 0, &jerr) : NULL;
	free(text);
	if (!demo_json) {
		fprintf(stderr, "unbox: %s/demo/demo.json is not valid JSON\n", data);
		db_close(db);
		return 1;
	}
	int64_t cycle_ids[8] = { 0 }, user_ids[8] = { 0 };
	struct cycle cycles[8] = { 0 };
	int rc = db_begin(db) == DB_OK ? 0 : -1;
	if (rc == 0)
		rc = load_places(db, data);
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(demo_json, "fields"), i, f)
		if (rc == 0 && field_add(db, str(f, "slug"), str(f, "name_de"), str(f, "name_en")) != DB_OK)
			rc = -1;
	json_array_foreach(json_object_get(demo_json, "zielbilder"), i, f)
		if (rc == 0 && zielbild_add(db, str(f, "slug"), str(f, "name_de"), str(f, "name_en"), (int64_t)i + 1) != DB_OK)
			rc = -1;
	if (rc == 0)
		rc = load_cycles(db, json_object_get(demo_json, "cycles"), cycle_ids, cycles);
	if (rc == 0)
		rc = load_users(db, json_object_get(demo_json, "users"), user_ids);
	json_array_foreach(json_object_get(demo_json, "campaigns"), i, f)
		if (rc == 0 && campaign_insert(db, 0, str(f, "code"), str(f, "name"), clock_now()) != DB_OK) {
			fprintf(stderr, "unbox: demo campaign %s could not be stored\n", str(f, "code"));
			rc = -1;
		}
	if (rc == 0)
		rc = load_ideas(db, json_object_get(demo_json, "ideas"), cycle_ids, cycles, user_ids, extra);
	if (rc == 0 && db_commit(db) != DB_OK)
		rc = -1;
	/* fresh statistics, so the planner uses the indexes; the content is stored either way */
	if (rc == 0 && db_exec(db, "ANALYZE") != DB_OK)
		fprintf(stderr, "unbox: warning: the statistics could not be updated (ANALYZE): %s\n", db_errmsg(db));
	if (rc != 0) {
		db_rollback(db);
		fprintf(stderr, "unbox: demo content not loaded; nothing was changed\n");
	}
	json_decref(demo_json);
	db_close(db);
	return rc == 0 ? 0 : 1;
}
