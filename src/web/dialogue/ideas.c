/* Idea pages: list with filters, submission form, detail. */
#include "web/dialogue/handlers.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/jsonx.h"
#include "domain/dialogue/campaign.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/idea_details.h"
#include "domain/dialogue/idea_status.h"
#include "domain/dialogue/map.h"
#include "domain/dialogue/targets.h"
#include "domain/place.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const idea_fields[] = { "title", "summary", "description", "field", "stadtteil", "lat", "lon",
	"applicant_type", "co_authors", "campaign", "consent", NULL };
/* What the submission takes: the fields above, the lists and the form's buttons. */
static const char *const idea_body_fields[] = { "title", "summary", "description", "field", "stadtteil", "lat", "lon",
	"applicant_type", "co_authors", "campaign", "consent", "zielbilder", "needs", "check", "pick.x", "pick.y", "pick_w",
	NULL };

const struct form_field page_idea_core_form[] = {
	{ "title", N_("Title"), IDEA_TITLE_MIN, IDEA_TITLE_MAX, NULL },
	{ "summary", N_("Summary"), IDEA_SUMMARY_MIN, IDEA_SUMMARY_MAX, NULL },
	{ "description", N_("Description"), IDEA_DESCRIPTION_MIN, IDEA_DESCRIPTION_MAX, NULL },
	{ "field", N_("Innovation field"), 0, 0, NULL },
	{ "stadtteil", N_("District (Stadtteil)"), 0, 0, NULL },
	{ NULL, NULL, 0, 0, NULL },
};

/* the rest of the submission form (dialogue/idea_new) */
static const struct form_field idea_form[] = {
	{ "location", N_("Place on the map"), 0, 0, "lat" },
	{ "zielbilder", N_("Zielbilder"), 0, 0, NULL },
	{ "needs", N_("Needs"), 0, 0, NULL },
	{ "applicant_type", N_("You hand in the idea as"), 0, 0, NULL },
	{ "co_authors", N_("Co-authors"), 0, 0, NULL },
	{ "campaign", N_("Campaign code"), 0, 0, NULL },
	{ "consent", N_("Consent to publication"), 0, 0, NULL },
	{ NULL, NULL, 0, 0, NULL },
};

static void add_param(struct buf *b, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	buf_putc(b, b->len && strchr(b->data, '?') ? '&' : '?');
	buf_puts(b, name);
	buf_putc(b, '=');
	url_encode(b, value, strlen(value));
}

/* Every value of a field that may repeat (check boxes), from the form or else
 * the query, joined with commas; NULL when there is none. */
static const char *all_values(struct req *req, const char *name)
{
	const struct kvlist *l = kv_get(&req->form, name) ? &req->form : &req->query;
	struct buf b;
	buf_init(&b, 4096);
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].name, name) == 0 && *l->items[i].value) {
			if (b.len)
				buf_putc(&b, ',');
			buf_puts(&b, l->items[i].value);
		}
	const char *out = b.len ? arena_strdup(req->arena, b.data) : NULL;
	buf_free(&b);
	return out;
}

/* Marks the entries of list whose key is among the comma-separated values with "checked": true. */
static void mark_checked(json_t *list, const char *key, const char *values)
{
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		const char *k = json_string_value(json_object_get(item, key));
		size_t n = k ? strlen(k) : 0;
		for (const char *p = values; n && p && *p; p += strcspn(p, ",")) {
			p += *p == ',';
			if (strncmp(p, k, n) == 0 && (p[n] == ',' || p[n] == '\0')) {
				json_object_set_new(item, "checked", json_true());
				break;
			}
		}
	}
}

/* The names of the phases a cycle can be in (domain/cycle.h cycle_phase_keys). */
static const char *const phase_labels[6] = { N_("Not started yet"), N_("Collecting ideas"),
	N_("Making projects concrete"), N_("Qualifying measures"), N_("Building the prototype"), N_("Completed") };
static const char *const sort_labels[IDEA_SORT_COUNT] = { N_("Newest first"), N_("Most supported"),
	N_("Most discussed"), N_("Recently active") };

/* A query argument that is set and not empty, else NULL. */
static const char *arg(struct req *req, const char *name)
{
	const char *v = kv_get(&req->query, name);
	return v && *v ? v : NULL;
}

void page_idea_picked_answer(struct req *req, struct resp *resp, json_t *picked, const struct field_errors *fe,
			     const char *tmpl, json_t *form)
{
	if (fe->count) {
		json_decref(picked);
		resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), fe, tmpl, form);
		return;
	}
	if (req->json) {
		json_decref(form);
		resp_page(resp, 200, NULL, NULL, json_pack("{so}", "picked", picked));
		return;
	}
	json_object_set_new(form, "picked", picked);
	resp_page(resp, 200, tmpl, resp->title, form);
}

json_t *page_count_model(struct req *req, int64_t n, int64_t cap)
{
	bool more = n > cap;
	int64_t v = more ? cap : n;
	char digits[32], grouped[48];
	snprintf(digits, sizeof digits, "%" PRId64, v);
	size_t len = strlen(digits), o = 0;
	for (size_t i = 0; i < len; i++) {   /* 1.000 / 1,000 */
		if (i && (len - i) % 3 == 0)
			grouped[o++] = strcmp(req->lang, "en") == 0 ? ',' : '.';
		grouped[o++] = digits[i];
	}
	grouped[o] = '\0';
	json_t *o_ = json_object();
	json_object_set_new(o_, "count", more ? json_null() : json_integer(n));
	json_object_set_new(o_, "more", json_boolean(more));
	json_object_set_new(o_, "cap", json_integer(cap));
	json_object_set_new(o_, "text", json_string(more ? arena_printf(req->arena, "%s %s", T(req, N_("more than")), grouped)
							  : grouped));
	return o_;
}

int page_ideas_filter_parse(struct req *req, struct idea_filter *f, struct field_errors *fe)
{
	const char *field = arg(req, "field"), *bezirk = arg(req, "bezirk"), *zielbild = arg(req, "zielbild");
	const char *need = arg(req, "need"), *status = arg(req, "status"), *cycle = arg(req, "cycle");
	const char *phase = arg(req, "phase");
	size_t before = fe->count;
	bool failed = false;     /* a lookup failed: no answer about that filter */
	f->now = req->now;
	if (zielbild) {
		int64_t id = zielbild_id(req->db, zielbild);
		failed |= id < 0;
		if (!id)
			field_error(fe, "zielbild", "invalid");
		f->zielbild = zielbild;
	}
	if (need && !(f->needs = idea_need_bit(need)))
		field_error(fe, "need", "invalid");
	if (field) {
		int64_t id = field_id(req->db, field);
		failed |= id < 0;
		if (!id)
			field_error(fe, "field", "invalid");
		f->field = field;
	}
	if (bezirk) {
		char *end;
		int found = 0;
		f->bezirk = strtoll(bezirk, &end, 10);
		if (*end || strlen(bezirk) > 9 || !(found = place_bezirk_exists(req->db, f->bezirk)))
			field_error(fe, "bezirk", "invalid");
		failed |= found < 0;
	}
	if (status) {
		if (!idea_status_valid(status))
			field_error(fe, "status", "invalid");
		f->status = status;
	}
	if (cycle) {
		char *end;
		int found = 0;
		f->cycle = strtoll(cycle, &end, 10);
		if (*end || f->cycle < 1 || strlen(cycle) > 9 || !(found = cycle_number_exists(req->db, f->cycle)))
			field_error(fe, "cycle", "invalid");
		failed |= found < 0;
	}
	if (phase) {
		bool known = false;
		for (int k = 0; k < 6; k++)
			known |= strcmp(phase, cycle_phase_keys[k]) == 0;
		if (!known)
			field_error(fe, "phase", "invalid");
		f->phase = phase;
	}
	return failed ? -1 : (int)(fe->count - before);
}

void page_ideas_filter_query(struct req *req, const struct idea_filter *f, struct buf *b)
{
	char bezirk[24], cycle[24];   /* from f, not the query: the map links each district */
	snprintf(bezirk, sizeof bezirk, "%" PRId64, f->bezirk);
	snprintf(cycle, sizeof cycle, "%" PRId64, f->cycle);
	add_param(b, "field", f->field);
	add_param(b, "bezirk", f->bezirk ? bezirk : NULL);
	add_param(b, "zielbild", f->zielbild);
	add_param(b, "need", f->needs ? arg(req, "need") : NULL);
	add_param(b, "status", f->status);
	add_param(b, "cycle", f->cycle ? cycle : NULL);
	add_param(b, "phase", f->phase);
}

const char *page_ideas_filter_url(struct req *req, const char *path, const struct idea_filter *f)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, path);
	page_ideas_filter_query(req, f, &b);
	const char *s = arena_strdup(req->arena, b.overflow || !b.data ? path : b.data);
	buf_free(&b);
	return s;
}

int page_ideas_filter_model(struct req *req, const struct idea_filter *f, json_t *model)
{
	json_t *fields = field_list(req->db, req->lang);
	json_t *bezirke = fields ? place_bezirke(req->db) : NULL;
	json_t *zielbilder = bezirke ? zielbild_list(req->db, req->lang) : NULL;
	json_t *cycles = zielbilder ? cycle_list(req->db, req->lang, req->now) : NULL;
	if (!cycles) {
		json_decref(fields);
		json_decref(bezirke);
		json_decref(zielbilder);
		return -1;
	}
	mark_selected(fields, "slug", f->field);
	mark_selected(bezirke, "nr", f->bezirk ? arg(req, "bezirk") : NULL);
	json_object_set_new(model, "fields", fields);
	json_object_set_new(model, "bezirke", bezirke);
	mark_selected(zielbilder, "slug", f->zielbild);
	json_t *needs = idea_need_list(req->lang);
	mark_selected(needs, "key", f->needs ? arg(req, "need") : NULL);
	json_object_set_new(model, "zielbilder", zielbilder);
	json_object_set_new(model, "needs", needs);
	bool en = strcmp(req->lang, "en") == 0;
	json_t *statuses = json_array();
	for (int i = 0; idea_statuses[i]; i++)
		json_array_append_new(statuses, json_pack("{ss ss}", "key", idea_statuses[i], "name",
							  idea_status_label(idea_statuses[i], en)));
	mark_selected(statuses, "key", f->status);
	json_object_set_new(model, "statuses", statuses);
	mark_selected(cycles, "number", f->cycle ? arg(req, "cycle") : NULL);
	json_object_set_new(model, "cycles", cycles);
	json_t *phases = json_array();
	for (int k = 0; k < 6; k++)
		json_array_append_new(phases, json_pack("{ss ss}", "key", cycle_phase_keys[k], "name",
							T(req, phase_labels[k])));
	mark_selected(phases, "key", f->phase);
	json_object_set_new(model, "phases", phases);
	json_object_set_new(model, "filtered", json_boolean(f->field || f->bezirk || f->zielbild || f->needs ||
							     f->status || f->cycle || f->phase));
	return 0;
}

void page_ideas_list(struct req *req, struct resp *resp)
{
	struct idea_filter f = { .limit = IDEA_PAGE_DEFAULT };
	struct field_errors fe = { 0 };
	const char *before = arg(req, "before"), *limit = arg(req, "limit"), *sort = arg(req, "sort");
	if (page_ideas_filter_parse(req, &f, &fe) < 0) {
		resp_internal_error(req, resp);
		return;
	}
	if (sort && (f.sort = idea_sort_parse(sort)) < 0) {
		field_error(&fe, "sort", "invalid");
		f.sort = IDEA_SORT_NEWEST;
	}
	if (before && idea_cursor_parse_sort(before, f.sort, &f.before_t, &f.before_id) < 0)
		field_error(&fe, "before", "invalid");
	if (limit) {
		char *end;
		long n = strtol(limit, &end, 10);
		if (*end || n < 1 || n > IDEA_PAGE_MAX)
			field_error(&fe, "limit", "invalid");
		f.limit = (int)n;
	}
	if (fe.count) {
		resp_error(req, resp, 400, "bad_filter", N_("The list cannot be shown with these filters."), &fe, NULL, NULL);
		return;
	}
	json_t *page = idea_list(req->db, req->lang, &f);
	int64_t total = page ? idea_list_count(req->db, &f, IDEA_COUNT_CAP) : -1;   /* bounded: never all counted */
	if (total < 0) {
		json_decref(page);
		page = NULL;
	}
	if (!page) {
		resp_internal_error(req, resp);
		return;
	}
	const char *next = json_string_value(json_object_get(page, "next"));
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, req->json ? "/api/v1/ideas" : "/ideas");
	page_ideas_filter_query(req, &f, &b);
	if (f.sort != IDEA_SORT_NEWEST)
		add_param(&b, "sort", idea_sort_keys[f.sort]);
	json_t *first_url = json_string(b.data);   /* the first page, of the default size */
	if (f.limit != IDEA_PAGE_DEFAULT)
		add_param(&b, "limit", limit);
	add_param(&b, "before", next);
	json_t *next_url = next && !b.overflow ? json_string(b.data) : json_null();
	buf_free(&b);
	json_t *model = json_pack("{sO s{si si so} ss}", "items", json_object_get(page, "items"),
				  "paging", "limit", f.limit, "max_limit", IDEA_PAGE_MAX, "next", next_url,
				  "sort", idea_sort_keys[f.sort]);
	json_decref(page);
	json_object_set_new(model, "total", page_count_model(req, total, IDEA_COUNT_CAP));
	if (!req->json && page_ideas_filter_model(req, &f, model) < 0) {
		json_decref(first_url);
		json_decref(model);
		resp_internal_error(req, resp);
		return;
	}
	if (!req->json) {
		json_t *sorts = json_array();
		for (int k = 0; k < IDEA_SORT_COUNT; k++)
			json_array_append_new(sorts, json_pack("{ss ss}", "key", idea_sort_keys[k], "name",
							       T(req, sort_labels[k])));
		mark_selected(sorts, "key", idea_sort_keys[f.sort]);
		json_object_set_new(model, "sorts", sorts);
		json_object_set_new(model, "sort_name", json_string(T(req, sort_labels[f.sort])));
		json_object_set_new(model, "paged", json_boolean(f.before_id != 0));
		json_object_set(model, "first", first_url);
		page_feeds_list_links(req, &f, model);   /* Atom feed and map of the same filters */
	}
	json_decref(first_url);
	resp_page(resp, 200, "dialogue/ideas", N_("Ideas"), model);
}

json_t *page_idea_form_model(struct req *req)
{
	json_t *fields = field_list(req->db, req->lang);
	json_t *bezirke = fields ? place_tree(req->db) : NULL;
	json_t *zielbilder = bezirke ? zielbild_list(req->db, req->lang) : NULL;
	int64_t open = zielbilder ? cycle_open_for_submission(req->db, req->now) : -1;
	if (open < 0) {
		json_decref(fields);
		json_decref(bezirke);
		json_decref(zielbilder);
		return NULL;
	}
	json_t *model = json_object();
	form_model(req, model, idea_fields);
	json_object_set_new(model, "input", form_input(req, form_input(req, NULL, page_idea_core_form), idea_form));
	mark_selected(fields, "slug", kv_get(&req->form, "field"));
	size_t i;
	json_t *b;
	json_array_foreach(bezirke, i, b)
		mark_selected(json_object_get(b, "stadtteile"), "nr", kv_get(&req->form, "stadtteil"));
	json_object_set_new(model, "fields", fields);
	json_object_set_new(model, "bezirke", bezirke);
	json_object_set_new(model, "open", json_boolean(open != 0));
	json_object_set_new(model, "pick_width", json_integer(PICK_WIDTH));
	json_object_set_new(model, "pick_height", json_integer((json_int_t)(PICK_WIDTH * (MAP_H + 100) / MAP_W)));
	mark_checked(zielbilder, "slug", all_values(req, "zielbilder"));
	json_t *needs = idea_need_list(req->lang);
	mark_checked(needs, "key", all_values(req, "needs"));
	json_t *applicants = idea_applicant_type_list(req->lang);
	mark_selected(applicants, "key", kv_get(&req->form, "applicant_type"));
	json_object_set_new(model, "zielbilder", zielbilder);
	json_object_set_new(model, "needs", needs);
	json_object_set_new(model, "applicant_types", applicants);
	/* a campaign link: its code goes along, unless no campaign has it (then
	 * the page says so, and the idea can still be handed in without it) */
	const char *campaign = req_arg(req, "campaign");
	int known = campaign && *campaign && idea_campaign_valid(campaign) ? campaign_exists(req->db, campaign) : 0;
	if (known < 0) {
		json_decref(model);
		return NULL;
	}
	if (known)
		json_object_set_new(model, "campaign", json_string(campaign));
	else if (campaign && *campaign)
		json_object_set_new(model, "campaign_unknown", json_string(campaign));
	if (kv_get(&req->form, "consent"))
		json_object_set_new(model, "consent_checked", json_true());
	return model;
}

void page_idea_form(struct req *req, struct resp *resp)
{
	json_t *model = page_idea_form_model(req);
	if (!model) {
		resp_internal_error(req, resp);
		return;
	}
	resp_page(resp, 200, "dialogue/idea_new", N_("Submit an idea"), model);
}

/* Sets a field of the request's form (the first of that name), as if typed. */
static void set_form(struct req *req, const char *name, const char *value)
{
	for (size_t i = 0; i < req->form.count; i++)
		if (strcmp(req->form.items[i].name, name) == 0) {
			req->form.items[i].value = value;
			return;
		}
	kv_add(req->arena, &req->form, name, value);
}

int page_idea_pick_place(struct req *req, json_t **picked, struct field_errors *fe)
{
	const char *px = kv_get(&req->form, "pick.x"), *py = kv_get(&req->form, "pick.y");
	*picked = NULL;
	if (!px || !py)
		return 0;
	char *ex, *ey;
	long x = strtol(px, &ex, 10), y = strtol(py, &ey, 10);
	const char *w = kv_get(&req->form, "pick_w");
	long width = w ? strtol(w, NULL, 10) : PICK_WIDTH;
	if (*ex || *ey || x < 0 || y < 0 || width < 100 || width > 4000) {
		field_error(fe, "location", "invalid");
		return 1;
	}
	if (x == 0 && y == 0) {   /* pressed by keyboard: no point on the map */
		field_error(fe, "location", "no_point");
		return 1;
	}
	struct map_frame fr;
	if (map_city_frame(req->db, &fr) < 0)
		return -1;
	double scale = MAP_W / (double)width, lon, lat;   /* the image is drawn at width, its viewBox is MAP_W wide */
	map_unproject(&fr, (double)x * scale, (double)y * scale, &lon, &lat);
	int64_t teil = 0, bezirk = 0;
	int found = fr.ok && (double)y * scale <= MAP_H ? place_locate(req->db, lat, lon, &teil, &bezirk) : 0;
	if (found < 0)
		return -1;
	if (!found) {
		field_error(fe, "location", "outside_city");
		return 1;
	}
	const char *lat_s = arena_printf(req->arena, "%.5f", lat), *lon_s = arena_printf(req->arena, "%.5f", lon);
	set_form(req, "lat", lat_s);
	set_form(req, "lon", lon_s);
	set_form(req, "stadtteil", arena_printf(req->arena, "%" PRId64, teil));
	*picked = json_pack("{ss ss sI}", "lat", lat_s, "lon", lon_s, "stadtteil", (json_int_t)teil);
	return 1;
}

void page_idea_input(struct req *req, struct idea_input *in)
{
	*in = (struct idea_input){
		.title = req_arg(req, "title"), .summary = req_arg(req, "summary"),
		.description = req_arg(req, "description"), .field = req_arg(req, "field"),
		.stadtteil = req_arg(req, "stadtteil"),
		.zielbilder = all_values(req, "zielbilder"), .needs = all_values(req, "needs"),
		.lat = req_arg(req, "lat"), .lon = req_arg(req, "lon"),
		.applicant_type = req_arg(req, "applicant_type"), .co_authors = req_arg(req, "co_authors"),
		.campaign = req_arg(req, "campaign"), .consent = req_arg(req, "consent"), .form = true,
		.author_email = req->session->user.email, .author_name = req->session->user.name,
		.base_url = req->app->base_url, .lang = req->lang,
	};
}

void page_idea_create(struct req *req, struct resp *resp)
{
	if (!req_known_fields(req, resp, idea_body_fields))
		return;
	/* a click on the map: the form again with the place filled in, nothing stored */
	struct field_errors pick_fe = { 0 };
	json_t *picked = NULL;
	int pick = page_idea_pick_place(req, &picked, &pick_fe);
	if (pick != 0) {
		json_t *form = pick > 0 ? page_idea_form_model(req) : NULL;
		if (!form) {
			json_decref(picked);
			resp_internal_error(req, resp);
			return;
		}
		resp->title = N_("Submit an idea");
		page_idea_picked_answer(req, resp, picked, &pick_fe, "dialogue/idea_new", form);
		return;
	}
	struct idea_input in;
	page_idea_input(req, &in);
	struct field_errors fe = { 0 };
	int64_t id = 0;
	resp->title = N_("Submit an idea");
	json_t *form = NULL;
	if (kv_get(&req->form, "check")) {   /* "Check for similar ideas": the form again with them, nothing stored */
		if (!req->json && !(form = page_idea_form_model(req)))
			resp_internal_error(req, resp);
		else
			page_idea_check_similar(req, resp, form);
		return;
	}
	int rc = idea_submit(req->db, req->session->user.id, &in, req->now, &fe, &id);
	if (rc == IDEA_OK) {
		/* HTML goes on to the idea's page; JSON gets the idea as stored */
		json_t *idea = NULL;
		if (req->json && idea_get(req->db, req->lang, id, &idea) != 1) {
			resp_internal_error(req, resp);
			return;
		}
		/* the page says thank you and what happens next */
		resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64 "?submitted=1#idea-notice", id), 201, idea);
		return;
	}
	if ((rc == IDEA_INVALID || rc == IDEA_CLOSED) && !req->json && !(form = page_idea_form_model(req)))
		rc = IDEA_ERROR;
	switch (rc) {
	case IDEA_INVALID:
		resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), &fe, "dialogue/idea_new",
			   form);
		return;
	case IDEA_CLOSED:
		resp_error(req, resp, 409, "submission_closed",
			   N_("No cycle is taking ideas right now. Please come back when the next call opens."),
			   NULL, "dialogue/idea_new", form);
		return;
	}
	resp_internal_error(req, resp);
}

/* The thanks for a report at the comment reported (a thread or a reply of
 * the first page), where the page opens. */
static void thank_at_comment(json_t *threads, int64_t id)
{
	size_t i, k;
	json_t *t, *r;
	json_array_foreach(threads, i, t) {
		if (json_integer_value(json_object_get(t, "id")) == id)
			json_object_set_new(t, "report_thanks", json_true());
		json_array_foreach(json_object_get(t, "replies"), k, r)
			if (json_integer_value(json_object_get(r, "id")) == id)
				json_object_set_new(r, "report_thanks", json_true());
	}
}

/* A confirmation after a step that led here (…?submitted=1, ?edited=N,
 * ?reported=1): what was done and what happens next, for the logged-in
 * person who did it. Anonymous pages are cached and get none. */
static void notice_model(struct req *req, json_t *idea, json_t *model)
{
	const char *submitted = arg(req, "submitted"), *edited = arg(req, "edited"), *reported = arg(req, "reported");
	json_t *viewer = json_object_get(idea, "viewer");
	bool own = json_is_true(json_object_get(viewer, "own"));
	if (!req->session)
		return;
	json_t *n = json_object();
	if (submitted && own)
		jset(n, "submitted", json_true());
	else if (edited && own && strcmp(edited, "0") == 0)
		jset(n, "unchanged", json_true());
	else if (edited && own)
		jset(n, "edited", json_incref(json_object_get(idea, "version")));
	else if (reported && strncmp(reported, "comment-", 8) == 0)
		thank_at_comment(json_object_get(json_object_get(idea, "comments"), "items"), strtoll(reported + 8, NULL, 10));
	else if (reported)
		jset(n, "reported", json_true());
	if (json_object_size(n))
		json_object_set_new(model, "notice", n);
	else
		json_decref(n);
}

void page_idea_show(struct req *req, struct resp *resp)
{
	int64_t merged_into = 0;
	json_t *idea = NULL;
	int found = idea_get_merged(req->db, req->lang, req_param_id(req, 0), &idea, &merged_into);
	if (found < 0) {
		resp_internal_error(req, resp);
		return;
	}
	if (merged_into && page_merge_redirect(req, resp, req_param_id(req, 0))) {   /* a merged duplicate leads to its target */
		json_decref(idea);
		return;
	}
	if (!found) {
		page_not_found(req, resp);
		return;
	}
	const char *title = arena_strdup(req->arena, json_string_value(json_object_get(idea, "title")));
	bool failed = false;
	bool hidden = page_moderation_view(req, &page_idea, &idea, &failed);
	if (failed) {
		json_decref(idea);
		resp_internal_error(req, resp);
		return;
	}
	if (hidden) {   /* the title and the public reason only */
		resp_page(resp, 200, req->json ? NULL : "dialogue/idea", req->json ? NULL : title,
			  req->json ? idea : json_pack("{so}", "idea", idea));
		return;
	}
	int rc = page_idea_workflow_model(req, idea, req_param_id(req, 0));   /* status timeline, caretaker, forms */
	if (rc >= 0)
		rc = page_idea_actions_model(req, idea);   /* support count; own support/follow state when logged in */
	if (rc < 0 || page_merge_idea_model(req, idea, req_param_id(req, 0)) < 0) {   /* merged into it; merge form */
		json_decref(idea);
		resp_internal_error(req, resp);
		return;
	}
	json_t *comments = page_comments_section(req, &idea_target, req_param_id(req, 0));   /* first page of threads */
	if (!comments) {
		json_decref(idea);
		resp_internal_error(req, resp);
		return;
	}
	json_object_set_new(idea, "comments", comments);
	json_t *attachments = page_idea_attachments_section(req, req_param_id(req, 0),
		json_integer_value(json_object_get(idea, "attachment_count")));
	if (!attachments) {
		json_decref(idea);
		resp_internal_error(req, resp);
		return;
	}
	json_object_set_new(idea, "attachments", attachments);
	if (req->json) {
		resp_page(resp, 200, NULL, NULL, idea);
		return;
	}
	json_t *model = json_pack("{so}", "idea", idea);
	notice_model(req, idea, model);
	page_feeds_idea_link(req, model, req_param_id(req, 0));
	resp_page(resp, 200, "dialogue/idea", title, model);
}
