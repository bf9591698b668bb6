/* Cycles: the public list and detail pages, and the team's forms to create
 * and edit a cycle (dates, theme, funding cap, target, prototype duration). */
#include "web/dialogue/handlers.h"
#include "core/amount.h"
#include "core/clock.h"
#include "domain/dialogue/cycle.h"
#include "web/i18n.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

static const char *const cycle_fields[] = { "number", "theme_de", "theme_en", "submission_start", "submission_end",
	"phase1_start", "phase2_start", "phase3_start", "phase4_start", "phase4_end", "funding_cap_eur",
	"target_projects", "prototype_months", NULL };

static const struct form_field cycle_form[] = {
	{ "number", N_("Number"), 0, 0, NULL },
	{ "theme_de", N_("Annual theme (German)"), CYCLE_THEME_MIN, CYCLE_THEME_MAX, NULL },
	{ "theme_en", N_("Annual theme (English)"), CYCLE_THEME_MIN, CYCLE_THEME_MAX, NULL },
	{ "submission_start", N_("Submission from"), 0, 0, NULL },
	{ "submission_end", N_("Submission until (last day)"), 0, 0, NULL },
	{ "phases", N_("Phases"), 0, 0, "phase1_start" },
	{ "phase1_start", N_("Phase 1 Ideensammlung from"), 0, 0, NULL },
	{ "phase2_start", N_("Phase 2 Projektkonkretisierung from"), 0, 0, NULL },
	{ "phase3_start", N_("Phase 3 Maßnahmenqualifizierung from"), 0, 0, NULL },
	{ "phase4_start", N_("Phase 4 Umsetzung from"), 0, 0, NULL },
	{ "phase4_end", N_("Phase 4 Umsetzung until (last day)"), 0, 0, NULL },
	{ "funding_cap_eur", N_("Funding cap per project in euros"), 0, 0, NULL },
	{ "target_projects", N_("Target number of projects"), 0, 0, NULL },
	{ "prototype_months", N_("Prototype duration in months"), 0, 0, NULL },
	{ NULL, NULL, 0, 0, NULL },
};

/* "6 months" / "1 month" in the page's language, as "prototype_duration" of a cycle */
static void add_duration(struct req *req, json_t *cycle)
{
	json_int_t n = json_integer_value(json_object_get(cycle, "prototype_months"));
	json_object_set_new(cycle, "prototype_duration", json_string(n == 1 ? T(req, N_("1 month"))
		: arena_printf(req->arena, "%" JSON_INTEGER_FORMAT " %s", n, T(req, N_("months")))));
}

void page_cycles_list(struct req *req, struct resp *resp)
{
	json_t *items = cycle_list(req->db, req->lang, req->now);
	if (!items) {
		resp_internal_error(req, resp);
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		if (!req->json)
			add_duration(req, it);
	json_t *model = json_pack("{so s{si}}", "items", items, "paging", "limit", 50);
	if (!req->json)
		json_object_set_new(model, "can_edit", json_boolean(req_is_team(req)));
	resp_page(resp, 200, "dialogue/cycles", N_("Cycles"), model);
}

/* The cycle of the route's id into *c; false after answering 404 (none) or 500 (failed). */
static bool cycle_of_route(struct req *req, struct resp *resp, json_t **c)
{
	int found = cycle_get(req->db, req->lang, req_param_id(req, 0), req->now, c);
	if (found < 0)
		resp_internal_error(req, resp);
	else if (!found)
		page_not_found(req, resp);
	return found > 0;
}

void page_cycle_show(struct req *req, struct resp *resp)
{
	json_t *c;
	if (!cycle_of_route(req, resp, &c))
		return;
	if (req->json) {
		resp_page(resp, 200, NULL, NULL, c);
		return;
	}
	add_duration(req, c);
	json_t *model = json_pack("{so sb}", "cycle", c, "can_edit", req_is_team(req));
	resp_page(resp, 200, "dialogue/cycle", N_("Cycle"), model);
}

/* A date field: midnight UTC of YYYY-MM-DD (plus a day for inclusive ends). */
static int64_t date_arg(struct req *req, struct field_errors *fe, const char *name, bool end)
{
	const char *v = req_arg(req, name);
	if (!v || !*v) {
		field_error(fe, name, "required");
		return 0;
	}
	int64_t t = clock_parse_date(v);
	if (t < 0) {
		field_error(fe, name, "invalid");
		return 0;
	}
	return end ? t + DAY : t;
}

/* A whole number; empty = 0 (the default) unless required; -1 when not a number or below 1. */
static int64_t number_arg(struct req *req, struct field_errors *fe, const char *name, bool required)
{
	const char *v = req_arg(req, name);
	if (!v || !*v) {
		if (required)
			field_error(fe, name, "required");
		return 0;
	}
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*end || end == v || n < 1 || strlen(v) > 12) {
		field_error(fe, name, required ? "invalid" : "out_of_range");
		return -1;
	}
	return n;
}

static void read_cycle(struct req *req, struct cycle *c, struct field_errors *fe)
{
	memset(c, 0, sizeof *c);
	c->number = number_arg(req, fe, "number", true);
	c->theme_de = req_arg(req, "theme_de");
	c->theme_en = req_arg(req, "theme_en");
	c->submission_start = date_arg(req, fe, "submission_start", false);
	c->submission_end = date_arg(req, fe, "submission_end", true);
	static const char *const starts[4] = { "phase1_start", "phase2_start", "phase3_start", "phase4_start" };
	for (int i = 0; i < 4; i++)
		c->phase_start[i] = date_arg(req, fe, starts[i], false);
	c->phase4_end = date_arg(req, fe, "phase4_end", true);
	/* as people type amounts: "50000", "50.000", "50.000,00 €" */
	const char *cap = req_arg(req, "funding_cap_eur");
	if (cap && *cap) {
		int rc = amount_parse_euros(cap, &c->funding_cap_eur);
		if (rc == AMOUNT_CENTS)
			field_error(fe, "funding_cap_eur", "cents");
		if (rc != AMOUNT_OK || c->funding_cap_eur < 1)
			c->funding_cap_eur = -1;     /* cycle_validate: out of range, when not said already */
	}
	c->target_projects = number_arg(req, fe, "target_projects", false);
	c->prototype_months = number_arg(req, fe, "prototype_months", false);
}

/* The form model: typed values (posted), or the cycle's values, or defaults. */
static json_t *form_page(struct req *req, json_t *cycle, int64_t id)
{
	json_t *model = json_object();
	form_model(req, model, cycle_fields);
	json_object_set_new(model, "input", form_input(req, NULL, cycle_form));
	json_t *form = json_object_get(model, "form");
	char amount[32];
	if (cycle && !json_object_size(form)) {
		json_object_update(form, json_object_get(cycle, "dates"));
		json_object_set(form, "theme_de", json_object_get(cycle, "theme_de"));
		json_object_set(form, "theme_en", json_object_get(cycle, "theme_en"));
		static const char *const nums[] = { "number", "target_projects", "prototype_months" };
		for (size_t i = 0; i < 3; i++)
			json_object_set_new(form, nums[i], json_sprintf("%" JSON_INTEGER_FORMAT,
				json_integer_value(json_object_get(cycle, nums[i]))));
		json_object_set_new(form, "funding_cap_eur", json_string(i18n_number(req->lang,
			json_integer_value(json_object_get(cycle, "funding_cap_eur")), amount, sizeof amount)));
	} else if (!cycle && !json_object_size(form)) {
		json_object_set_new(form, "funding_cap_eur", json_string(i18n_number(req->lang, CYCLE_FUNDING_CAP_DEFAULT,
										     amount, sizeof amount)));
		json_object_set_new(form, "target_projects", json_sprintf("%d", CYCLE_TARGET_DEFAULT));
		json_object_set_new(form, "prototype_months", json_sprintf("%d", CYCLE_MONTHS_DEFAULT));
	}
	if (id) {
		json_object_set_new(model, "action", json_sprintf("/cycles/%" PRId64, id));
		json_object_set_new(model, "editing", json_true());
		json_object_set_new(model, "id", json_integer(id));
	} else {
		json_object_set_new(model, "action", json_string("/cycles"));
	}
	json_decref(cycle);
	return model;
}

void page_cycle_new_form(struct req *req, struct resp *resp)
{
	resp_page(resp, 200, "dialogue/cycle_form", N_("New cycle"), form_page(req, NULL, 0));
}

void page_cycle_edit_form(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	json_t *c;
	if (!cycle_of_route(req, resp, &c))
		return;
	if (req->json) {
		resp_page(resp, 200, NULL, NULL, c);
		return;
	}
	resp_page(resp, 200, "dialogue/cycle_form", N_("Edit cycle"), form_page(req, c, id));
}

static void answer(struct req *req, struct resp *resp, int rc, int64_t id, const struct field_errors *fe,
		   int created)
{
	switch (rc) {
	case CYCLE_OK: {
		/* HTML goes on to the cycle's page; JSON gets the cycle as stored */
		json_t *c = NULL;
		if (req->json && cycle_get(req->db, req->lang, id, req->now, &c) != 1)
			break;
		resp_redirect(resp, arena_printf(req->arena, "/cycles/%" PRId64, id), created ? 201 : 200, c);
		return;
	}
	case CYCLE_INVALID:
		resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), fe, "dialogue/cycle_form",
			   form_page(req, NULL, created ? 0 : id));
		return;
	case CYCLE_NOT_FOUND:
		page_not_found(req, resp);
		return;
	}
	resp_internal_error(req, resp);
}

void page_cycle_create_submit(struct req *req, struct resp *resp)
{
	struct cycle c;
	struct field_errors fe = { 0 };
	int64_t id = 0;
	resp->title = N_("New cycle");
	if (!req_known_fields(req, resp, cycle_fields))
		return;
	read_cycle(req, &c, &fe);
	if (fe.count)    /* the other fields' problems too, in one go */
		cycle_validate(&c, &fe);
	int rc = fe.count ? CYCLE_INVALID : cycle_create(req->db, req->session->user.id, &c, req->now, &fe, &id);
	answer(req, resp, rc, id, &fe, 1);
}

void page_cycle_update_submit(struct req *req, struct resp *resp)
{
	struct cycle c;
	struct field_errors fe = { 0 };
	int64_t id = req_param_id(req, 0);
	resp->title = N_("Edit cycle");
	if (!req_known_fields(req, resp, cycle_fields))
		return;
	json_t *existing;
	if (!cycle_of_route(req, resp, &existing))
		return;
	json_decref(existing);
	read_cycle(req, &c, &fe);
	if (fe.count)
		cycle_validate(&c, &fe);
	int rc = fe.count ? CYCLE_INVALID : cycle_update(req->db, req->session->user.id, id, &c, req->now, &fe);
	answer(req, resp, rc, id, &fe, 0);
}
