/* Idea pages: list with filters, submission form, detail. */
#include "web/handlers.h"
#include "core/buf.h"
#include "core/escape.h"
#include "domain/cycle.h"
#include "domain/field.h"
#include "domain/idea.h"
#include "domain/idea_details.h"
#include "domain/place.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const idea_fields[] = { "title", "summary", "description", "field", "stadtteil", "lat", "lon",
	"applicant_type", "co_authors", "campaign", "consent", NULL };

/* Marks the entry of list whose key equals value with "selected": true. */
static void mark_selected(json_t *list, const char *key, const char *value)
{
	size_t i;
	json_t *item;
	if (!value)
		return;
	json_array_foreach(list, i, item) {
		json_t *k = json_object_get(item, key);
		char num[32];
		const char *s = json_string_value(k);
		if (json_is_integer(k)) {
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(k));
			s = num;
		}
		if (s && strcmp(s, value) == 0)
			json_object_set_new(item, "selected", json_true());
	}
}

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

void ideas_list(struct req *req, struct resp *resp)
{
	struct idea_filter f = { .limit = IDEA_PAGE_DEFAULT };
	struct field_errors fe = { 0 };
	const char *field = kv_get(&req->query, "field");
	const char *bezirk = kv_get(&req->query, "bezirk");
	const char *before = kv_get(&req->query, "before");
	const char *limit = kv_get(&req->query, "limit");
	const char *zielbild = kv_get(&req->query, "zielbild");
	const char *need = kv_get(&req->query, "need");
	if (zielbild && *zielbild) {
		if (!zielbild_id(req->db, zielbild))
			field_error(&fe, "zielbild", "invalid");
		f.zielbild = zielbild;
	}
	if (need && *need) {
		f.needs = idea_need_bit(need);
		if (!f.needs)
			field_error(&fe, "need", "invalid");
	}
	if (field && *field) {
		if (!field_id(req->db, field))
			field_error(&fe, "field", "invalid");
		f.field = field;
	}
	if (bezirk && *bezirk) {
		f.bezirk = strtoll(bezirk, NULL, 10);
		if (!place_bezirk_exists(req->db, f.bezirk))
			field_error(&fe, "bezirk", "invalid");
	}
	if (before && *before && idea_cursor_parse(before, &f.before_t, &f.before_id) < 0)
		field_error(&fe, "before", "invalid");
	if (limit && *limit) {
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
	const char *next = json_string_value(json_object_get(page, "next"));
	json_t *next_url = json_null();
	if (next) {
		struct buf b;
		buf_init(&b, 2048);
		buf_puts(&b, req->json ? "/api/v1/ideas" : "/ideas");
		add_param(&b, "field", f.field);
		add_param(&b, "bezirk", f.bezirk ? bezirk : NULL);
		add_param(&b, "zielbild", f.zielbild);
		add_param(&b, "need", f.needs ? need : NULL);
		if (f.limit != IDEA_PAGE_DEFAULT)
			add_param(&b, "limit", limit);
		add_param(&b, "before", next);
		next_url = json_string(b.data);
		buf_free(&b);
	}
	json_t *model = json_pack("{sO s{si si so}}", "items", json_object_get(page, "items"),
				  "paging", "limit", f.limit, "max_limit", IDEA_PAGE_MAX, "next", next_url);
	json_decref(page);
	if (!req->json) {
		json_t *fields = field_list(req->db, req->lang);
		mark_selected(fields, "slug", f.field);
		json_t *bezirke = place_bezirke(req->db);
		mark_selected(bezirke, "nr", f.bezirk ? bezirk : NULL);
		json_object_set_new(model, "fields", fields);
		json_object_set_new(model, "bezirke", bezirke);
		json_t *zielbilder = zielbild_list(req->db, req->lang);
		mark_selected(zielbilder, "slug", f.zielbild);
		json_t *needs = idea_need_list(req->lang);
		mark_selected(needs, "key", f.needs ? need : NULL);
		json_object_set_new(model, "zielbilder", zielbilder);
		json_object_set_new(model, "needs", needs);
		json_object_set_new(model, "filtered", json_boolean(f.field || f.bezirk || f.zielbild || f.needs));
		json_object_set_new(model, "paged", json_boolean(f.before_t != 0));
		feeds_list_links(req, model);   /* Atom feed and map of the same filters */
	}
	resp_page(resp, 200, "ideas", N_("Ideas"), model);
}

static json_t *form_page_model(struct req *req)
{
	json_t *model = json_object();
	form_model(req, model, idea_fields);
	json_t *fields = field_list(req->db, req->lang);
	mark_selected(fields, "slug", kv_get(&req->form, "field"));
	json_t *bezirke = place_tree(req->db);
	size_t i;
	json_t *b;
	json_array_foreach(bezirke, i, b)
		mark_selected(json_object_get(b, "stadtteile"), "nr", kv_get(&req->form, "stadtteil"));
	json_object_set_new(model, "fields", fields);
	json_object_set_new(model, "bezirke", bezirke);
	json_object_set_new(model, "open", json_boolean(cycle_open_for_submission(req->db, req->now) != 0));
	json_t *zielbilder = zielbild_list(req->db, req->lang);
	mark_checked(zielbilder, "slug", all_values(req, "zielbilder"));
	json_t *needs = idea_need_list(req->lang);
	mark_checked(needs, "key", all_values(req, "needs"));
	json_t *applicants = idea_applicant_type_list(req->lang);
	mark_selected(applicants, "key", kv_get(&req->form, "applicant_type"));
	json_object_set_new(model, "zielbilder", zielbilder);
	json_object_set_new(model, "needs", needs);
	json_object_set_new(model, "applicant_types", applicants);
	const char *campaign = req_arg(req, "campaign");
	if (campaign && *campaign)
		json_object_set_new(model, "campaign", json_string(campaign));
	if (kv_get(&req->form, "consent"))
		json_object_set_new(model, "consent_checked", json_true());
	return model;
}

void idea_form(struct req *req, struct resp *resp)
{
	resp_page(resp, 200, "idea_new", N_("Submit an idea"), form_page_model(req));
}

void idea_create(struct req *req, struct resp *resp)
{
	struct idea_input in = {
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
	struct field_errors fe = { 0 };
	int64_t id = 0;
	resp->title = N_("Submit an idea");
	switch (idea_submit(req->db, req->session->user.id, &in, req->now, &fe, &id)) {
	case IDEA_OK: {
		json_t *idea = idea_get(req->db, req->lang, id);
		resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64, id), 201, idea);
		return;
	}
	case IDEA_INVALID:
		resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), &fe, "idea_new",
			   form_page_model(req));
		return;
	case IDEA_CLOSED:
		resp_error(req, resp, 409, "submission_closed",
			   N_("No cycle is taking ideas right now. Please come back when the next call opens."),
			   NULL, "idea_new", form_page_model(req));
		return;
	}
	resp_error(req, resp, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL, NULL, NULL);
}

void idea_show(struct req *req, struct resp *resp)
{
	json_t *idea = idea_get(req->db, req->lang, req_param_id(req, 0));
	if (!idea) {
		not_found(req, resp);
		return;
	}
	const char *title = arena_strdup(req->arena, json_string_value(json_object_get(idea, "title")));
	if (moderation_idea_view(req, &idea)) {   /* hidden: the title and the public reason only */
		resp_page(resp, 200, req->json ? NULL : "idea", req->json ? NULL : title,
			  req->json ? idea : json_pack("{so}", "idea", idea));
		return;
	}
	idea_workflow_model(req, idea, req_param_id(req, 0));   /* status timeline, caretaker, forms */
	idea_actions_model(req, idea);   /* support count; own support/follow state when logged in */
	json_object_set_new(idea, "comments", comments_section(req, req_param_id(req, 0)));   /* first page of threads */
	if (req->json) {
		resp_page(resp, 200, NULL, NULL, idea);
		return;
	}
	json_t *model = json_pack("{so}", "idea", idea);
	feeds_idea_link(req, model, req_param_id(req, 0));
	resp_page(resp, 200, "idea", title, model);
}
