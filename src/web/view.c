#include "web/view.h"
#include "core/escape.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "domain/notification.h"
#include "domain/user.h"
#include "web/i18n.h"
#include "web/site.h"
#include "core/buf.h"
#include "web/tmpl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *T(const struct req *req, const char *msgid)
{
	return i18n_get(req->lang, msgid);
}

const char *req_arg(const struct req *req, const char *name)
{
	const char *v = kv_get(&req->form, name);
	return v ? v : kv_get(&req->query, name);
}

int64_t req_param_id(const struct req *req, int i)
{
	const char *s = req->params[i];
	if (!s || !*s || strlen(s) > 15)
		return 0;
	int64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

struct upload_file *req_file(const struct req *req, const char *name)
{
	for (size_t i = 0; i < req->nfiles; i++)
		if (strcmp(req->files[i].field, name) == 0)
			return &req->files[i];
	return NULL;
}

void resp_file(struct resp *r, int fd, int64_t size, const char *content_type, const char *etag,
	       const char *disposition)
{
	r->status = 200;
	r->has_file = true;
	r->file_fd = fd;
	r->file_size = size;
	r->content_type = content_type;
	r->etag = etag;
	r->disposition = disposition;
}

static const struct { const char *role, *label; } role_labels[] = {
	{ "resident", N_("Resident") },
	{ "team", N_("un:box team") },
	{ "spurgruppe", N_("Spurgruppe (experts)") },
	{ "committee", N_("Steering committee") },
	{ "supporter", N_("Supporter") },
	{ "steward", N_("Data steward") },
	{ "admin", N_("Administrator") },
};

const char *role_label(const char *lang, const char *role)
{
	for (size_t i = 0; role && i < sizeof role_labels / sizeof role_labels[0]; i++)
		if (strcmp(role_labels[i].role, role) == 0)
			return i18n_get(lang, role_labels[i].label);
	return i18n_get(lang, N_("Member"));   /* never the key itself */
}

bool req_is_team(const struct req *req)
{
	return req->session && role_is_team(req->session->user.role);
}

void resp_internal_error(struct req *req, struct resp *r)
{
	/* the failure itself was logged where it happened (the database backends log theirs) */
	log_error("%s %s: internal error", req->method ? req->method : "-", req->path ? req->path : "-");
	resp_error(req, r, 500, "internal", N_("Something went wrong on our side. Please try again."), NULL, NULL, NULL);
}

const char *req_local_path(const char *p, const char *def)
{
	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\' || strlen(p) > 512)
		return def;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7F)
			return def;
	return p;
}

void mark_selected(json_t *list, const char *key, const char *value)
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

void resp_page(struct resp *r, int status, const char *tmpl, const char *title, json_t *model)
{
	r->status = status;
	r->tmpl = tmpl;
	r->title = title;
	json_decref(r->model);
	r->model = model ? model : json_object();
}

void resp_redirect(struct resp *r, const char *location, int json_status, json_t *model)
{
	r->status = json_status;
	r->location = location;
	json_decref(r->model);
	r->model = model ? model : json_object();
}

void resp_cookie(struct resp *r, const char *set_cookie)
{
	if (r->ncookies < RESP_MAX_COOKIES)
		r->cookies[r->ncookies++] = set_cookie;
}

/* What the message next to a field says: what to do, in the field's own words
 * where the field is known ("Please enter a title."), else in general. */
static const struct { const char *field, *code, *msg; } messages[] = {
	{ "title", "required", N_("Please enter a title.") },
	{ "summary", "required", N_("Please sum up the idea in one or two sentences.") },
	{ "description", "required", N_("Please describe the idea.") },
	{ "email", "required", N_("Please enter your e-mail address.") },
	{ "email", "invalid", N_("Please enter a valid e-mail address, like name@example.org.") },
	/* the profile: changing address and password, deleting the account, blocking */
	{ "email", "same", N_("This is your address already. Please enter the new one.") },
	{ "password", "wrong", N_("This is not your current password.") },
	{ "current_password", "wrong", N_("This is not your current password.") },
	{ "current_password", "required", N_("Please enter your current password.") },
	{ "new_password", "required", N_("Please enter a new password.") },
	{ "new_password", "too_short", N_("Use at least 12 characters.") },
	{ "new_password", "common", N_("This password is among the most common ones. Please choose another.") },
	{ "confirm", "required", N_("Please confirm that you want to delete your account.") },
	{ "reason", "required", N_("Please give a reason.") },
	{ "reason", "too_short", N_("Please give a reason of at least 10 characters.") },
	{ "name", "required", N_("Please enter your name.") },
	{ "password", "required", N_("Please enter a password.") },
	{ "password", "too_short", N_("Use at least 12 characters.") },
	{ "password", "too_long", N_("This password is too long. Please choose a shorter one.") },
	{ "password", "common", N_("This password is among the most common ones. Please choose another.") },
	{ "body", "required", N_("Please write your comment.") },
	{ "merge_reason", "required", N_("Please give a reason.") },
	{ "resident_name", "required", N_("Please enter the resident's name.") },
	{ "resident_email", "invalid", N_("Please enter a valid e-mail address, like name@example.org.") },
	{ "channel", "required", N_("Please choose how the idea came in.") },
	{ "campaign", "invalid", N_("There is no campaign with this code. Please check the code, or leave the field empty.") },
	{ "stadtteil", "required", N_("Please choose the district.") },
	{ "field", "required", N_("Please choose an innovation field.") },
	{ "consent", "required", N_("Please agree to the publication; without it the idea cannot be shown.") },
	{ "applicant_type", "required", N_("Please say as whom you hand in the idea.") },
	{ "location", "outside_city", N_("This point lies outside Cologne. Please choose a place inside the city.") },
	{ "location", "invalid", N_("Please give latitude and longitude as decimal numbers, like 50.9413 and 6.9583.") },
	{ "location", "no_point", N_("Choosing on the map needs a click or a touch on it. Please enter latitude and longitude, or choose the Stadtteil from the list.") },
	{ "co_authors", "invalid", N_("Please enter valid e-mail addresses, separated by commas.") },
	{ "co_authors", "self", N_("You are the author already; please invite other people.") },
	{ "co_authors", "too_many", N_("Please invite at most five co-authors.") },
	{ "number", "required", N_("Please enter the number of the cycle.") },
	{ "number", "invalid", N_("Please enter the number of the cycle as a whole number, like 3.") },
	{ "number", "taken", N_("Another cycle has this number.") },
	{ "theme_de", "required", N_("Please enter the annual theme in German.") },
	{ "theme_en", "required", N_("Please enter the annual theme in English.") },
	{ "submission_start", "required", N_("Please enter the first day of the submission window.") },
	{ "submission_end", "required", N_("Please enter the last day of the submission window.") },
	{ "phase1_start", "required", N_("Please enter the day phase 1 starts.") },
	{ "phase2_start", "required", N_("Please enter the day phase 2 starts.") },
	{ "phase3_start", "required", N_("Please enter the day phase 3 starts.") },
	{ "phase4_start", "required", N_("Please enter the day phase 4 starts.") },
	{ "phase4_end", "required", N_("Please enter the last day of phase 4.") },
	{ "submission_end", "before_start", N_("The submission window must end after it starts.") },
	{ "submission_start", "outside_phase1", N_("The submission window must lie within phase 1 (Ideensammlung).") },
	{ "phases", "out_of_order", N_("The phases must follow one another in order.") },
	{ "target_projects", "out_of_range", N_("Please give a number from 1 to 15.") },
	{ "prototype_months", "out_of_range", N_("Please give a number of months from 1 to 24.") },
	{ "funding_cap_eur", "out_of_range", N_("Please give an amount in whole euros above 0, like 50.000.") },
	{ "funding_cap_eur", "cents", N_("Please give the amount in whole euros, without cents.") },
	{ "status", "required", N_("Please choose the new status.") },
	{ "target", "required", N_("Please enter the number of the idea to merge into.") },
	{ "answer", "required", N_("Please accept or decline.") },
	{ "q", "required", N_("Please enter at least one search word.") },
	{ "file", "required", N_("Please choose a file.") },
	{ "file", "too_big", N_("This file is too big. Please keep to the size given next to the field.") },
	{ "file", "type", N_("Files of this type cannot be attached here. Please choose one of the types given next to the field.") },
	{ "file", "too_many", N_("There are as many attachments here as there may be. Delete one to attach another.") },
	{ "body", "heading_top", N_("Begin section headings with ## (the page title is the only top heading).") },
	{ "body", "heading_order", N_("Go down one heading level at a time: ## then ###, not ## then ####.") },
	{ "role", "unchanged", N_("The person has this role already. Please choose another one.") },
	{ "logo_url", "invalid", N_("Please give the address of an image on this site, beginning with /.") },
	{ "contact_phone", "invalid", N_("Please give a phone number of digits, spaces and + - / ( ).") },
	{ "field", "invalid", N_("Please choose one of the innovation fields in the list.") },
	{ "stadtteil", "invalid", N_("Please choose a district from the list.") },
	{ "bezirk", "invalid", N_("Please choose a city district from the list.") },
	{ "zielbild", "invalid", N_("Please choose a Zielbild from the list.") },
	{ "zielbilder", "invalid", N_("Please choose among the Zielbilder shown.") },
	{ "need", "invalid", N_("Please choose a need from the list.") },
	{ "needs", "invalid", N_("Please choose among the needs shown.") },
	{ "applicant_type", "invalid", N_("Please say as whom you hand in the idea.") },
	{ "channel", "invalid", N_("Please choose how the idea came in.") },
	{ "cycle", "invalid", N_("Please choose a cycle from the list.") },
	{ "phase", "invalid", N_("Please choose a phase from the list.") },
	{ "status", "invalid", N_("Please choose the new status from the list.") },
	{ "caretaker", "invalid", N_("Please choose a member of the un:box team as caretaker.") },
	{ "target", "invalid", N_("Please give the number of an idea, like 12.") },
	{ "submission_start", "invalid", N_("Please enter a date, like 2026-03-31.") },
	{ "submission_end", "invalid", N_("Please enter a date, like 2026-03-31.") },
	{ "phase1_start", "invalid", N_("Please enter a date, like 2026-03-31.") },
	{ "phase2_start", "invalid", N_("Please enter a date, like 2026-03-31.") },
	{ "phase3_start", "invalid", N_("Please enter a date, like 2026-03-31.") },
	{ "phase4_start", "invalid", N_("Please enter a date, like 2026-03-31.") },
	{ "phase4_end", "invalid", N_("Please enter a date, like 2026-03-31.") },
	{ "campaign", "unknown", N_("This campaign code is not known. Please check the link or QR code, or hand in the idea without it.") },
	{ "campaign", "taken", N_("There is a campaign with this code already. Please choose another code.") },
	{ NULL, "unknown", N_("This field is not known here. Please leave it out.") },
	{ NULL, "not_a_value", N_("Please send text, a number, true or false, or a list of these.") },
	{ NULL, "required", N_("Please fill in this field.") },
	{ NULL, "too_short", N_("This is too short.") },
	{ NULL, "too_long", N_("This is too long.") },
	/* text with characters that cannot be stored (control characters, broken UTF-8) */
	{ NULL, "invalid", N_("This value is not valid.") },
};

/* ... and when the bound a text broke is known: the bound and what there is */
static const struct { const char *code, *msg; } bound_messages[] = {
	{ "too_long", N_("Please shorten the text to at most {limit} characters; it has {count} now.") },
	{ "too_short", N_("Please write at least {limit} characters; there are {count} now.") },
};

/* text (translated) with {min}, {limit} and {count} as numbers of the page's language */
static const char *with_numbers(const struct req *req, const char *text, long min, long limit, long count)
{
	struct buf b;
	buf_init(&b, 4096);
	for (const char *p = text; *p;) {
		const char *open = strchr(p, '{');
		if (!open) {
			buf_puts(&b, p);
			break;
		}
		buf_add(&b, p, (size_t)(open - p));
		char num[32];
		if (strncmp(open, "{min}", 5) == 0) {
			buf_puts(&b, i18n_number(req->lang, min, num, sizeof num));
			p = open + 5;
		} else if (strncmp(open, "{limit}", 7) == 0) {
			buf_puts(&b, i18n_number(req->lang, limit, num, sizeof num));
			p = open + 7;
		} else if (strncmp(open, "{count}", 7) == 0) {
			buf_puts(&b, i18n_number(req->lang, count, num, sizeof num));
			p = open + 7;
		} else {
			buf_putc(&b, '{');
			p = open + 1;
		}
	}
	const char *out = b.overflow ? text : arena_strdup(req->arena, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

const char *view_field_message(const struct req *req, const char *field, const char *code, long limit, long count)
{
	for (size_t i = 0; limit > 0 && i < sizeof bound_messages / sizeof bound_messages[0]; i++)
		if (strcmp(bound_messages[i].code, code) == 0 &&
		    strcmp(field, "password") != 0)       /* a password's rule has its own words */
			return with_numbers(req, T(req, bound_messages[i].msg), 0, limit, count);
	for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
		if ((!messages[i].field || strcmp(messages[i].field, field) == 0) &&
		    strcmp(messages[i].code, code) == 0)
			return T(req, messages[i].msg);
	return T(req, N_("This value is not valid."));
}

void resp_error(struct req *req, struct resp *r, int status, const char *code, const char *message,
		const struct field_errors *fe, const char *tmpl, json_t *model)
{
	json_t *fields = json_object();
	json_t *list = json_array();
	/* the form's fields as its page shows them (form_input): the summary names and links them */
	json_t *input = model ? json_object_get(model, "input") : NULL;
	for (size_t i = 0; fe && i < fe->count; i++) {
		const char *name = fe->items[i].field;
		long limit = fe->items[i].limit;
		const char *msg = view_field_message(req, name, fe->items[i].code, limit, fe->items[i].count);
		json_t *f = json_pack("{ss ss}", "code", fe->items[i].code, "message", msg);
		if (limit > 0) {   /* the bound for API clients: the most or the fewest characters, and the count */
			json_object_set_new(f, strcmp(fe->items[i].code, "too_short") == 0 ? "min" : "max",
					    json_integer(limit));
			json_object_set_new(f, "length", json_integer(fe->items[i].count));
		}
		json_object_set_new(fields, name, f);
		json_t *shown = json_object_get(input, name);
		const char *id = json_string_value(json_object_get(shown, "id"));
		const char *label = json_string_value(json_object_get(shown, "label"));
		/* every key set: a missing one would be looked up in the page around the list */
		json_array_append_new(list, json_pack("{ss ss ss ss}", "field", name, "id", id ? id : name,
						      "label", label ? label : "", "message", msg));
	}
	if (input && json_array_size(list) > 1) {   /* the summary in the order of the form */
		json_t *ordered = json_array();
		const char *key;
		json_t *v;
		size_t i;
		json_t *item;
		json_object_foreach(input, key, v)
			json_array_foreach(list, i, item)
				if (strcmp(json_string_value(json_object_get(item, "field")), key) == 0)
					json_array_append(ordered, item);
		json_array_foreach(list, i, item)
			if (!json_object_get(input, json_string_value(json_object_get(item, "field"))))
				json_array_append(ordered, item);
		json_decref(list);
		list = ordered;
	}
	if (req->json) {
		json_decref(model);
		resp_page(r, status, NULL, NULL, json_pack("{s{ss ss so}}", "error", "code", code,
			"message", T(req, message), "fields", fields));
		json_decref(list);
		return;
	}
	if (!model)
		model = json_object();
	/* has_list: a section over the array itself would repeat its body per item */
	json_object_set_new(model, "error", json_pack("{ss ss so sb so}", "code", code,
		"message", T(req, message), "fields", fields, "has_list", json_array_size(list) > 0,
		"list", list));
	if (tmpl) {
		resp_page(r, status, tmpl, r->title, model);
	} else {
		resp_page(r, status, "error", message, model);
	}
}

/* "5 to 120 characters." or "At most 20,000 characters.", in the page's language */
static const char *limit_hint(struct req *req, long min, long max)
{
	if (min > 1 && max > 0)
		return with_numbers(req, T(req, N_("At least {min}, at most {limit} characters.")), min, max, 0);
	if (max > 0)
		return with_numbers(req, T(req, N_("At most {limit} characters.")), 0, max, 0);
	return NULL;
}

json_t *form_input(struct req *req, json_t *input, const struct form_field *spec)
{
	if (!input)
		input = json_object();
	for (size_t i = 0; spec && spec[i].name; i++) {
		const struct form_field *f = &spec[i];
		json_t *o = json_pack("{ss ss}", "id", f->id ? f->id : f->name, "label", f->label ? T(req, f->label) : "");
		const char *hint = limit_hint(req, f->min, f->max);
		if (hint)
			json_object_set_new(o, "hint", json_string(hint));
		if (f->min > 0)
			json_object_set_new(o, "min", json_integer(f->min));
		if (f->max > 0)
			json_object_set_new(o, "max", json_integer(f->max));
		json_object_set_new(input, f->name, o);
	}
	return input;
}

void form_model(struct req *req, json_t *model, const char *const *fields)
{
	json_object_set_new(model, "csrf", json_string(req->csrf ? req->csrf : ""));
	json_t *values = json_object();
	for (size_t i = 0; fields && fields[i]; i++) {
		const char *v = kv_get(&req->form, fields[i]);
		if (v)
			json_object_set_new(values, fields[i], json_string(v));
	}
	json_object_set_new(model, "form", values);
}

bool req_known_fields(struct req *req, struct resp *resp, const char *const *fields)
{
	if (!req->json)
		return true;
	struct field_errors fe = { 0 };
	struct buf names;
	buf_init(&names, 4096);
	for (size_t i = 0; i < req->form.count; i++) {
		const char *name = req->form.items[i].name;
		bool known = strcmp(name, "_csrf") == 0;
		for (size_t k = 0; !known && fields && fields[k]; k++)
			known = strcmp(fields[k], name) == 0;
		if (known || field_error_for(&fe, name))
			continue;
		field_error(&fe, name, "unknown");
		buf_printf(&names, "%s%s", names.len ? ", " : "", name);
	}
	if (!fe.count) {
		buf_free(&names);
		return true;
	}
	const char *message = arena_printf(req->arena, "%s %s", T(req, N_("These fields are not known here:")),
					   names.data && !names.overflow ? names.data : "…");
	buf_free(&names);
	resp_error(req, resp, 422, "unknown_fields", message, &fe, NULL, NULL);
	return false;
}

/* ---- rendering ---- */

static const char *translate(void *ctx, const char *msgid)
{
	const struct req *req = ctx;
	return i18n_get(req->lang, msgid);
}

/* The current URL with lang=other, keeping the rest of the query. */
static char *switch_href(struct req *req, const char *other)
{
	struct buf b;
	buf_init(&b, 4096);
	/* the path as typed may be "//host" or "/\host" (or "/\t/host"): encoded, it stays on this site */
	for (const char *p = req->path[0] == '/' && req->path[1] != '/' ? req->path : "/"; *p; p++) {
		if (*p == '/')
			buf_putc(&b, '/');
		else
			url_encode(&b, p, 1);
	}
	buf_puts(&b, "?");
	for (size_t i = 0; i < req->query.count; i++) {
		if (strcmp(req->query.items[i].name, "lang") == 0)
			continue;
		url_encode(&b, req->query.items[i].name, strlen(req->query.items[i].name));
		buf_putc(&b, '=');
		url_encode(&b, req->query.items[i].value, strlen(req->query.items[i].value));
		buf_putc(&b, '&');
	}
	buf_printf(&b, "lang=%s", other);
	char *s = arena_strdup(req->arena, b.overflow ? "/" : b.data);
	buf_free(&b);
	return s;
}

static json_t *page_model(struct req *req, struct resp *resp)
{
	bool en = strcmp(req->lang, "en") == 0;
	json_t *user = json_null();
	if (req->session) {
		const struct user *u = &req->session->user;
		user = json_pack("{ss ss ss}", "name", u->name, "role", u->role, "role_label", role_label(req->lang, u->role));
		if (role_is_staff(u->role))
			json_object_set_new(user, "staff", json_true());
		/* unread notifications: one indexed count, capped (logged-in pages are never cached) */
		int64_t unread = req->db ? notification_unread(req->db, u->id) : 0;
		json_object_set_new(user, "unread", unread >= NOTIFICATION_UNREAD_CAP ? json_string("99+")
									: json_integer(unread));
	}
	json_t *page = json_pack("{ss ss ss so ss s{ss ss ss} sb}",
		"lang", req->lang, "path", req->path,
		"title", T(req, resp->title ? resp->title : "un:box"),
		"user", user,
		"csrf", req->session ? req->session->csrf : "",
		"switch", "lang", en ? "de" : "en", "label", en ? "Deutsch" : "English",
		"href", switch_href(req, en ? "de" : "en"),
		"demo", req->app->demo);
	/* mark the navigation entry of the current section */
	const char *section = strcmp(req->path, "/ideas/new") == 0 ? "nav_new"
			    : strncmp(req->path, "/ideas", 6) == 0 ? "nav_ideas"
			    : strcmp(req->path, "/") == 0 ? "nav_home" : NULL;
	if (section)
		json_object_set_new(page, section, json_true());
	json_object_set_new(page, "site", page_site_model(req));   /* the city's name and logo, in the footer */
	return page;
}

int view_render(struct req *req, struct resp *resp, struct buf *out, const char **content_type)
{
	if (resp->body) {
		buf_add(out, resp->body, resp->body_len);
		*content_type = resp->content_type ? resp->content_type : "text/plain; charset=utf-8";
		return 0;
	}
	if (req->json || !resp->tmpl) {
		*content_type = "application/json";
		json_t *null = json_null();
		json_write(out, resp->model ? resp->model : null);
		buf_putc(out, '\n');
		return out->overflow ? -1 : 0;
	}
	*content_type = "text/html; charset=utf-8";
	const struct tmpl *page = tmpl_set_get(req->app->templates, resp->tmpl);
	const struct tmpl *layout = tmpl_set_get(req->app->templates, "layout");
	if (!page || !layout)
		return -1;
	json_t *model = resp->model ? resp->model : json_object();
	json_object_set_new(model, "page", page_model(req, resp));
	struct buf content;
	buf_init(&content, 8 << 20);
	int rc = tmpl_render(page, req->app->templates, model, translate, req, &content);
	if (rc == 0) {
		/* our own template output: valid UTF-8 by construction */
		json_object_set_new_nocheck(json_object_get(model, "page"), "content",
					    json_stringn_nocheck(content.data ? content.data : "", content.len));
		rc = tmpl_render(layout, req->app->templates, model, translate, req, out);
	}
	buf_free(&content);
	return rc;
}
