/* unbox seed --demo: Cologne's districts, the innovation fields, two cycles,
 * one account per role, campaigns and about 30 ideas in every status, with
 * supports, comments and answers, Zielbilder, needs and places on the map,
 * from data/demo/demo.json; all in one transaction. */
#include "cli/cli.h"
#include "core/clock.h"
#include "core/config.h"
#include "domain/audit.h"
#include "domain/comment.h"
#include "domain/follow.h"
#include "domain/dialogue/campaign.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/idea_details.h"
#include "domain/dialogue/idea_status.h"
#include "domain/dialogue/support.h"
#include "domain/dialogue/targets.h"
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
	"passwords are printed), campaigns and about 30 ideas in every status, with\n"
	"supports, comments, Zielbilder and places on the map.\n\n"
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

/* The demo's cycles, found by their number (ideas name theirs). */
#define SEED_CYCLES 16
struct seed_cycles {
	struct cycle items[SEED_CYCLES];
	int64_t ids[SEED_CYCLES];
	size_t count;
};

/* The slot of the cycle with this number, or -1. */
static int cycle_slot(const struct seed_cycles *sc, int64_t number)
{
	for (size_t i = 0; i < sc->count; i++)
		if (sc->items[i].number == number)
			return (int)i;
	return -1;
}

static int load_cycles(struct db *db, json_t *cycles, struct seed_cycles *sc)
{
	size_t i;
	json_t *c;
	if (json_array_size(cycles) > SEED_CYCLES) {
		fprintf(stderr, "unbox: the demo content has %zu cycles; at most %d are seeded\n", json_array_size(cycles),
			SEED_CYCLES);
		return -1;
	}
	json_array_foreach(cycles, i, c) {
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
		if (cycle_slot(sc, cy.number) >= 0) {
			fprintf(stderr, "unbox: cycle %lld comes twice in the demo content\n", (long long)cy.number);
			return -1;
		}
		if (cycle_validate(&cy, &fe) || cycle_save(db, &cy, &sc->ids[sc->count]) != DB_OK) {
			fprintf(stderr, "unbox: cycle %lld is not valid (%s)\n", (long long)cy.number,
				fe.count ? fe.items[0].field : "database");
			return -1;
		}
		sc->items[sc->count++] = cy;
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

/* The entries of a JSON array of strings joined with commas, into out. */
static const char *joined(json_t *list, char *out, size_t cap)
{
	size_t i, len = 0;
	json_t *v;
	out[0] = '\0';
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		int n = snprintf(out + len, cap - len, "%s%s", len ? "," : "", s ? s : "");
		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
	}
	return out;
}

/* The demo's way through the workflow to a status: each step (from, to, by
 * whom); the last one carries the idea's reason. */
static const struct { const char *to, *path[5]; } status_paths[] = {
	{ "in_dialogue", { "in_dialogue" } },
	{ "eligible", { "in_dialogue", "eligible" } },
	{ "not_eligible", { "in_dialogue", "not_eligible" } },
	{ "prioritised", { "in_dialogue", "eligible", "prioritised" } },
	{ "qualified", { "in_dialogue", "eligible", "prioritised", "qualified" } },
	{ "withdrawn", { "withdrawn" } },
	{ "archived", { "in_dialogue", "eligible", "archived" } },
};

/* A time at offset after t, but before now (each next one later than the last). */
static int64_t seed_time(int64_t t, int64_t offset, int64_t now, int64_t *last)
{
	int64_t at = t + offset < now - 3600 ? t + offset : now - 3600;
	if (at <= *last)
		at = *last + 60;
	*last = at;
	return at;
}

/* What happened to a demo idea after it came in: its author follows it,
 * others support it, comments and answers (one hidden by the moderation),
 * then its way through the workflow. In the seed's transaction. */
static int idea_activity(struct db *db, json_t *o, int64_t id, int64_t author, int64_t created, int64_t now,
			 const int64_t user_ids[8])
{
	int64_t last = created;
	int rc = author ? follow_in_tx(db, &idea_target, id, author, created) : DB_OK;
	int64_t supports = json_integer_value(json_object_get(o, "supports"));
	for (int r = 0; rc == DB_OK && user_roles[r] && supports > 0; r++) {
		if (!user_ids[r] || user_ids[r] == author)
			continue;
		rc = support_add_in_tx(db, id, user_ids[r], seed_time(created, 3600 * (r + 1), now, &last));
		supports--;
	}
	size_t i, k;
	json_t *c, *reply;
	json_array_foreach(json_object_get(o, "comments"), i, c) {
		int64_t thread = 0;
		if (rc == DB_OK)
			rc = comment_add_in_tx(db, &idea_target, id, author_of(str(c, "author"), user_ids), 0, str(c, "body"),
					       seed_time(created, 86400 + 7200 * (int64_t)i, now, &last), &thread);
		json_array_foreach(json_object_get(c, "replies"), k, reply) {
			int64_t rid, at = seed_time(created, 86400 + 7200 * (int64_t)i + 1800 * (int64_t)(k + 1), now, &last);
			if (rc == DB_OK)
				rc = comment_add_in_tx(db, &idea_target, id, author_of(str(reply, "author"), user_ids), thread,
						       str(reply, "body"), at, &rid);
		}
		const char *hidden = str(c, "hidden");
		if (rc == DB_OK && *hidden) {   /* the moderation hid it, with its public reason */
			char subject[40];
			snprintf(subject, sizeof subject, "comment:%lld", (long long)thread);
			rc = comment_target.set_hidden(db, thread, hidden, seed_time(created, 2 * 86400, now, &last)) == 1
				? audit_add(db, user_ids[1], "comment.hide", subject, hidden) : DB_ERROR;
		}
	}
	const char *to = str(o, "status");
	for (size_t p = 0; rc == DB_OK && *to && p < sizeof status_paths / sizeof status_paths[0]; p++) {
		if (strcmp(status_paths[p].to, to) != 0)
			continue;
		const char *from = "submitted";
		for (int step = 0; rc == DB_OK && step < 5 && status_paths[p].path[step]; step++) {
			const char *next = status_paths[p].path[step];
			bool by_author = strcmp(next, "withdrawn") == 0;
			bool committee = strcmp(next, "eligible") == 0 || strcmp(next, "not_eligible") == 0 ||
					 strcmp(next, "prioritised") == 0;
			const char *role = by_author ? "resident" : committee ? "committee" : "team";
			bool final = !status_paths[p].path[step + 1];
			rc = idea_status_record_in_tx(db, id, by_author ? author : author_of(role, user_ids), role, by_author,
						      from, next, final ? str(o, "status_reason") : "",
						      seed_time(created, 3 * 86400 * (step + 1), now, &last));
			from = next;
		}
	}
	return rc;
}

/* A demo idea: its details from the JSON (Zielbilder, needs, applicant
 * type, a place on the map) and what happened to it. */
static int demo_idea(struct db *db, json_t *o, int64_t cycle_id, int64_t created, int64_t now, const int64_t user_ids[8])
{
	char nr[16], zb[512], needs[256], lat[32] = "", lon[32] = "";
	snprintf(nr, sizeof nr, "%lld", (long long)json_integer_value(json_object_get(o, "stadtteil_nr")));
	if (json_is_number(json_object_get(o, "lat")) && json_is_number(json_object_get(o, "lon"))) {
		snprintf(lat, sizeof lat, "%.6f", json_number_value(json_object_get(o, "lat")));
		snprintf(lon, sizeof lon, "%.6f", json_number_value(json_object_get(o, "lon")));
	}
	struct idea_input in = { .title = str(o, "title"), .summary = str(o, "summary"), .description = str(o, "description"),
				 .field = str(o, "field"), .stadtteil = nr, .lat = lat, .lon = lon,
				 .zielbilder = joined(json_object_get(o, "zielbilder"), zb, sizeof zb),
				 .needs = joined(json_object_get(o, "needs"), needs, sizeof needs),
				 .applicant_type = str(o, "applicant_type") };
	int64_t id, author = author_of(str(o, "author"), user_ids);
	if (idea_insert(db, cycle_id, author, &in, created, &id) != IDEA_OK) {
		fprintf(stderr, "unbox: demo idea '%s' is not valid\n", in.title);
		return -1;
	}
	if (idea_activity(db, o, id, author, created, now, user_ids) != DB_OK) {
		fprintf(stderr, "unbox: the demo activity of '%s' could not be stored\n", in.title);
		return -1;
	}
	return 0;
}

/* The demo ideas and the generated ones are stored in the order they were
 * handed in, so that their ids grow with time as they would in use: the
 * search's "newest first" (the highest id first) then agrees with their
 * dates. */
struct demo_order {
	size_t index;
	int slot;          /* of the idea's cycle in seed_cycles */
	int64_t created;
};

static int by_created(const void *a, const void *b)
{
	int64_t x = ((const struct demo_order *)a)->created, y = ((const struct demo_order *)b)->created;
	return x < y ? -1 : x > y ? 1 : 0;
}

static int load_ideas(struct db *db, json_t *ideas, const struct seed_cycles *sc, const int64_t user_ids[8],
		      long extra)
{
	int64_t now = clock_now();
	size_t i, n = json_array_size(ideas);
	json_t *o;
	struct demo_order *order = n ? calloc(n, sizeof *order) : NULL;
	if (n && !order)
		return -1;
	json_array_foreach(ideas, i, o) {
		int64_t number = json_integer_value(json_object_get(o, "cycle"));
		int slot = cycle_slot(sc, number);
		if (slot < 0) {
			fprintf(stderr, "unbox: demo idea '%s' names cycle %lld, which the demo content does not have\n",
				str(o, "title"), (long long)number);
			free(order);
			return -1;
		}
		int64_t days = json_integer_value(json_object_get(o, "days_ago"));
		const struct cycle *cy = &sc->items[slot];
		/* ideas of a past cycle came in during its window (validated: at least a day); current ones
		 * in the last weeks */
		int64_t window_days = (cy->submission_end - cy->submission_start) / DAY;
		order[i].index = i;
		order[i].slot = slot;
		order[i].created = cy->submission_end < now
			? cy->submission_end - 3600 - (window_days > 0 && days >= 0 ? days % window_days : 0) * DAY
			: now - days * DAY - (int64_t)i * 997;
	}
	qsort(order, n, sizeof *order, by_created);
	if (extra && !sc->count) {
		free(order);
		fprintf(stderr, "unbox: the demo content has no cycle for the generated ideas\n");
		return -1;
	}
	/* generated ideas go to the cycle with the highest number */
	size_t last_cycle = 0;
	for (size_t c = 1; c < sc->count; c++)
		if (sc->items[c].number > sc->items[last_cycle].number)
			last_cycle = c;
	/* generated ideas: one a minute up to 120 days ago, in the last cycle */
	int64_t gen_start = now - 120 * DAY - extra * 60;
	long k = 0;
	int rc = 0;
	for (size_t d = 0; rc == 0 && (d < n || k < extra); ) {
		bool demo = d < n && (k >= extra || order[d].created <= gen_start + k * 60);
		if (demo) {
			json_t *x = json_array_get(ideas, order[d].index);
			rc = demo_idea(db, x, sc->ids[order[d].slot], order[d].created, now, user_ids);
			d++;
			continue;
		}
		json_t *base = json_array_get(ideas, (size_t)k % (n ? n : 1));
		char title[160], nr[16];
		snprintf(title, sizeof title, "%.100s (%ld)", str(base, "title"), k + 1);
		snprintf(nr, sizeof nr, "%lld", (long long)json_integer_value(json_object_get(base, "stadtteil_nr")));
		struct idea_input in = { title, str(base, "summary"), str(base, "description"), str(base, "field"), nr };
		int64_t id;
		if (!n || idea_insert(db, sc->ids[last_cycle], user_ids[0], &in, gen_start + k * 60, &id) != IDEA_OK) {
			fprintf(stderr, "unbox: generated idea %ld could not be stored\n", k + 1);
			rc = -1;
		}
		k++;
		if (k % 2000 == 0 || k == extra)
			fprintf(stderr, "generated ideas: %ld of %ld\n", k, extra);
	}
	free(order);
	if (rc == 0)
		printf("ideas: %zu, with supports, comments and their way through the workflow\n", n);
	return rc;
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
	int64_t user_ids[8] = { 0 };
	struct seed_cycles cycles = { 0 };
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
		rc = load_cycles(db, json_object_get(demo_json, "cycles"), &cycles);
	if (rc == 0)
		rc = load_users(db, json_object_get(demo_json, "users"), user_ids);
	json_array_foreach(json_object_get(demo_json, "campaigns"), i, f)
		if (rc == 0 && campaign_insert(db, 0, str(f, "code"), str(f, "name"), clock_now()) != DB_OK) {
			fprintf(stderr, "unbox: demo campaign %s could not be stored\n", str(f, "code"));
			rc = -1;
		}
	if (rc == 0)
		rc = load_ideas(db, json_object_get(demo_json, "ideas"), &cycles, user_ids, extra);
	if (rc == 0 && db_commit(db) != DB_OK)
		rc = -1;
	/* the portal's settings and texts: their own transactions, each with its audit row */
	bool portal_failed = rc == 0 && seed_portal(db, data) != 0;
	/* fresh statistics, so the planner uses the indexes; the content is stored either way */
	if (rc == 0 && db_exec(db, "ANALYZE") != DB_OK)
		fprintf(stderr, "unbox: warning: the statistics could not be updated (ANALYZE): %s\n", db_errmsg(db));
	if (rc != 0) {
		db_rollback(db);
		fprintf(stderr, "unbox: demo content not loaded; nothing was changed\n");
	}
	if (portal_failed)
		fprintf(stderr, "unbox: the demo content is loaded, but not all of the portal's settings and texts\n");
	json_decref(demo_json);
	db_close(db);
	return rc == 0 && !portal_failed ? 0 : 1;
}
