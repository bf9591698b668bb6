/* The person's own account (/profile): the display name, the e-mail
 * address (confirmed at the new address), the password, the sessions; the
 * lists of their ideas, comments, supports and follows; the export of all
 * their data (a JSON file and readable pages); deleting the account. The
 * domain (domain/account.c, domain/personal.c, domain/export.c) decides;
 * these handlers translate. Every answer is also JSON. */
#include "web/handlers.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "domain/account.h"
#include "domain/export.h"
#include "domain/filestore.h"
#include "domain/personal.h"
#include "domain/session.h"
#include "domain/target.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const profile_fields[] = { "name", "email", NULL };

/* What the person just did, for the message at the top (?done=...). */
static const struct { const char *done, *message; } done_messages[] = {
	{ "name", N_("Your display name has been changed.") },
	{ "email_sent", N_("We have sent a link to the new address. Your address changes when you open it; until then the old one stays. We have told the old address too.") },
	{ "email", N_("Your new e-mail address is confirmed and in use from now on.") },
	{ "password", N_("Your password has been changed. Every other session of your account has been ended.") },
	{ "session", N_("The session has been ended.") },
	{ "sessions", N_("Every other session has been ended.") },
};

static json_t *profile_model(struct req *req, int *failed)
{
	*failed = 0;
	const struct user *u = &req->session->user;
	json_t *model = json_object();
	form_model(req, model, profile_fields);
	json_t *form = json_object_get(model, "form");
	if (!json_object_get(form, "name"))   /* the form starts with what is there */
		jset_str(form, "name", u->name);
	jset(model, "user", page_user_json(u, req->lang));
	json_t *sessions = session_list(req->db, req->lang, u->id, req->session_token, req->now);
	if (!sessions) {
		*failed = 1;
		return model;
	}
	size_t i, others = 0;
	json_t *s;
	json_array_foreach(sessions, i, s) {
		jset_str(s, "end_url", arena_printf(req->arena, "/profile/sessions/%" JSON_INTEGER_FORMAT "/end",
						    json_integer_value(json_object_get(s, "id"))));
		if (!json_is_true(json_object_get(s, "current")))
			others++;
	}
	jset(model, "sessions", sessions);
	jset(model, "has_other_sessions", json_boolean(others > 0));
	const char *pending = NULL;
	int64_t expires = 0;
	int found = account_email_pending(req->db, req->arena, u->id, req->now, &pending, &expires);
	if (found < 0) {
		*failed = 1;
		return model;
	}
	if (found) {
		char date[32];
		clock_format_date(expires, req->lang, date, sizeof date);
		jset(model, "pending_email", json_pack("{ss ss}", "email", pending, "expires_date", date));
	}
	const char *done = kv_get(&req->query, "done");
	for (size_t k = 0; done && k < sizeof done_messages / sizeof done_messages[0]; k++)
		if (strcmp(done, done_messages[k].done) == 0)
			jset_str(model, "done", T(req, done_messages[k].message));
	jset_int(model, "name_max", NAME_MAX);
	return model;
}

/* A page of the profile from its model: the page itself when code is NULL,
 * else again with the errors of the form that was sent. */
static void profile_answer(struct req *req, struct resp *resp, json_t *(*model_of)(struct req *, int *),
			   const char *tmpl, const char *title, int status, const char *code, const char *message,
			   const struct field_errors *fe)
{
	int failed;
	json_t *model = model_of(req, &failed);
	if (failed) {
		json_decref(model);
		resp_internal_error(req, resp);
		return;
	}
	if (!code) {
		resp_page(resp, status, tmpl, title, model);
		return;
	}
	resp->title = title;
	resp_error(req, resp, status, code, message, fe, tmpl, model);
}

void page_profile_show(struct req *req, struct resp *resp)
{
	profile_answer(req, resp, profile_model, "profile", N_("Your profile"), 200, NULL, NULL, NULL);
}

static void profile_error(struct req *req, struct resp *resp, int status, const char *code, const char *message,
			  const struct field_errors *fe)
{
	profile_answer(req, resp, profile_model, "profile", N_("Your profile"), status, code, message, fe);
}

/* The answers every change on the profile shares. */
static bool common_answer(struct req *req, struct resp *resp, int rc, int retry, const struct field_errors *fe)
{
	switch (rc) {
	case ACCOUNT_INVALID:
		profile_error(req, resp, 422, "validation", N_("Please check the marked fields."), fe);
		return true;
	case ACCOUNT_THROTTLED:
		resp->retry_after = retry;
		profile_error(req, resp, 429, "too_many_attempts",
			      N_("Too many attempts. Please wait a few minutes and try again."), NULL);
		return true;
	case ACCOUNT_OK:
		return false;
	}
	resp_internal_error(req, resp);
	return true;
}

void page_profile_name_submit(struct req *req, struct resp *resp)
{
	struct field_errors fe = { 0 };
	int rc = account_set_name(req->db, req->session->user.id, req_arg(req, "name"), &fe);
	if (common_answer(req, resp, rc, 0, &fe))
		return;
	resp_redirect(resp, "/profile?done=name", 200, json_pack("{ss}", "status", "changed"));
}

void page_profile_email_submit(struct req *req, struct resp *resp)
{
	struct field_errors fe = { 0 };
	int retry = 0;
	int rc = account_email_request(req->db, req->arena, &req->session->user, req_arg(req, "email"),
				       req_arg(req, "password"), req->lang, req->app->base_url, req->now, &fe, &retry);
	if (common_answer(req, resp, rc, retry, &fe))
		return;
	resp_redirect(resp, "/profile?done=email_sent", 202, json_pack("{ss}", "status", "confirmation_sent"));
}

void page_email_confirm_form(struct req *req, struct resp *resp)
{
	json_t *model = json_pack("{ss}", "token", req_arg(req, "token") ? req_arg(req, "token") : "");
	form_model(req, model, NULL);
	resp_page(resp, 200, "email_confirm", N_("Confirm your new e-mail address"), model);
}

void page_email_confirm_submit(struct req *req, struct resp *resp)
{
	switch (account_email_confirm(req->db, req_arg(req, "token"), req->now)) {
	case ACCOUNT_OK:
		resp_redirect(resp, "/profile?done=email", 200, json_pack("{sb}", "confirmed", 1));
		return;
	case ACCOUNT_INVALID:
		resp_error(req, resp, 410, "invalid_token",
			   N_("This link is not valid (any more): it was used already, or more than 24 hours have passed. Your address has not changed. On your profile page you can ask for a new link."),
			   NULL, NULL, NULL);
		return;
	case ACCOUNT_TAKEN:
		resp_error(req, resp, 409, "email_taken",
			   N_("Another account uses this address now, so your address has not changed. Please choose another one on your profile page."), NULL, NULL, NULL);
		return;
	}
	resp_internal_error(req, resp);
}

void page_profile_password_submit(struct req *req, struct resp *resp)
{
	struct field_errors fe = { 0 };
	int retry = 0;
	int rc = account_set_password(req->db, req->arena, &req->session->user, req_arg(req, "current_password"),
				      req_arg(req, "new_password"), req->session_token, req->lang, req->app->base_url,
				      req->now, &fe, &retry);
	if (common_answer(req, resp, rc, retry, &fe))
		return;
	resp_redirect(resp, "/profile?done=password", 200, json_pack("{ss}", "status", "changed"));
}

static void clear_session_cookie(struct req *req, struct resp *resp)
{
	resp_cookie(resp, arena_printf(req->arena, PAGE_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
				       req->app->secure_cookies ? "; Secure" : ""));
}

void page_profile_session_end(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	int found = id ? account_end_session(req->db, req->session->user.id, id) : 0;
	if (found < 0) {
		resp_internal_error(req, resp);
		return;
	}
	if (!found) {
		page_not_found(req, resp);
		return;
	}
	json_t *model = json_pack("{sI sb}", "id", (json_int_t)id, "ended", 1);
	if (id == req->session->id) {   /* this one: logged out */
		clear_session_cookie(req, resp);
		resp_redirect(resp, "/", 200, model);
		return;
	}
	resp_redirect(resp, "/profile?done=session", 200, model);
}

void page_profile_sessions_end_others(struct req *req, struct resp *resp)
{
	if (account_end_other_sessions(req->db, req->session->user.id, req->session_token) != DB_OK) {
		resp_internal_error(req, resp);
		return;
	}
	resp_redirect(resp, "/profile?done=sessions", 200, json_pack("{sb}", "ended", 1));
}

/* ---- paging of a part ---- */

/* after and limit from the query: false when malformed (answered). */
static bool paging(struct req *req, struct resp *resp, int64_t *after, int *limit)
{
	const char *a = kv_get(&req->query, "after"), *l = kv_get(&req->query, "limit");
	struct field_errors fe = { 0 };
	*after = 0;
	*limit = EXPORT_PAGE_DEFAULT;
	if (a && *a) {
		char *end;
		*after = strtoll(a, &end, 10);
		if (*end || *after < 1)
			field_error(&fe, "after", "invalid");
	}
	if (l && *l) {
		char *end;
		long n = strtol(l, &end, 10);
		if (*end || n < 1 || n > EXPORT_PAGE_MAX)
			field_error(&fe, "limit", "invalid");
		*limit = (int)n;
	}
	if (fe.count) {
		resp_error(req, resp, 400, "bad_filter", N_("The list cannot be shown with these filters."), &fe, NULL, NULL);
		return false;
	}
	return true;
}

/* The link to the page after page's last row, or null. */
static json_t *next_link(struct req *req, const char *base, json_t *page, int limit)
{
	json_t *next = json_object_get(page, "next");
	if (!json_is_integer(next))
		return json_null();
	const char *sep = strchr(base, '?') ? "&" : "?";
	if (limit != EXPORT_PAGE_DEFAULT)
		return json_string(arena_printf(req->arena, "%s%s%slimit=%d&after=%" JSON_INTEGER_FORMAT, req->json ? "/api/v1" : "",
						base, sep, limit, json_integer_value(next)));
	return json_string(arena_printf(req->arena, "%s%s%safter=%" JSON_INTEGER_FORMAT, req->json ? "/api/v1" : "", base, sep,
					json_integer_value(next)));
}

/* The title and page of the target a row names (target_kind, target_id):
 * "target": {title, url} or null. false when the database failed. */
static bool add_target(struct req *req, json_t *row)
{
	const struct target_kind *kind = target_kind_find(json_string_value(json_object_get(row, "target_kind")));
	int64_t id = json_integer_value(json_object_get(row, "target_id"));
	json_t *ref = NULL;
	int found = kind && kind->ref && id ? kind->ref(req->db, id, &ref) : 0;
	if (found < 0)
		return false;
	jset(row, "target", found ? ref : json_null());
	return true;
}

/* ---- the person's lists ---- */

static const struct { const char *path, *part, *title, *empty; } lists[] = {
	{ "/profile/ideas", "ideas", N_("Your ideas"), N_("You have not handed in an idea yet.") },
	{ "/profile/comments", "comments", N_("Your comments"), N_("You have not written a comment yet.") },
	{ "/profile/supports", "supports", N_("Ideas you support"), N_("You do not support an idea yet.") },
	{ "/profile/follows", "follows", N_("What you follow"), N_("You do not follow anything yet.") },
};

void page_profile_list(struct req *req, struct resp *resp)
{
	size_t k = 0;
	while (k < sizeof lists / sizeof lists[0] && strcmp(lists[k].path, req->path) != 0)
		k++;
	const struct personal_part *part = k < sizeof lists / sizeof lists[0] ? personal_part_find(lists[k].part) : NULL;
	if (!part) {
		page_not_found(req, resp);
		return;
	}
	int64_t after;
	int limit;
	if (!paging(req, resp, &after, &limit))
		return;
	json_t *page = export_page(req->db, req->lang, req->session->user.id, part, after, limit);
	if (!page) {
		resp_internal_error(req, resp);
		return;
	}
	json_t *items = json_object_get(page, "items");
	size_t i;
	json_t *row;
	bool targets = strcmp(part->name, "comments") == 0 || strcmp(part->name, "follows") == 0;
	json_array_foreach(items, i, row) {
		if (targets && !add_target(req, row)) {
			json_decref(page);
			resp_internal_error(req, resp);
			return;
		}
		/* deleted comments: nothing left to show but that */
		jset(row, "gone", json_boolean(json_is_string(json_object_get(row, "deleted_at"))));
	}
	json_t *model = json_object();
	jset_str(model, "part", part->name);
	jset(model, arena_printf(req->arena, "list_%s", lists[k].part), json_true());   /* which list the template shows */
	jset_str(model, "heading", T(req, lists[k].title));
	jset_str(model, "empty", T(req, lists[k].empty));
	jset(model, "items", json_incref(items));
	jset(model, "has_items", json_boolean(json_array_size(items) > 0));
	jset(model, "paging", json_pack("{si si so}", "limit", (int)json_integer_value(json_object_get(page, "limit")),
					"max_limit", EXPORT_PAGE_MAX, "next", next_link(req, lists[k].path, page, limit)));
	jset(model, "paged", json_boolean(after != 0));
	jset_str(model, "first_url", lists[k].path);
	json_decref(page);
	resp_page(resp, 200, "profile_list", lists[k].title, model);
}

/* ---- the export ---- */

/* The names of the fields of every part, for the readable page. */
static const struct { const char *key, *label; } field_labels[] = {
	{ "id", N_("Number") }, { "email", N_("E-mail address") }, { "name", N_("Name") }, { "role", N_("Role") },
	{ "lang", N_("Language") }, { "created_at", N_("Created") }, { "confirmed_at", N_("Confirmed") },
	{ "blocked_at", N_("Blocked") }, { "blocked_reason", N_("Reason for the blocking") },
	{ "last_used_at", N_("Last used") }, { "expires_at", N_("Ends") }, { "user_agent", N_("Browser") },
	{ "new_email", N_("New e-mail address") }, { "used_at", N_("Used") }, { "title", N_("Title") },
	{ "summary", N_("Summary") }, { "description", N_("Description") }, { "status", N_("Status") },
	{ "field", N_("Innovation field") }, { "stadtteil", N_("Stadtteil") }, { "updated_at", N_("Changed") },
	{ "supports", N_("Supports") }, { "comment_count", N_("Comments") }, { "hidden_at", N_("Hidden") },
	{ "merged_into", N_("Merged into idea") }, { "url", N_("Page") }, { "idea_id", N_("Idea") },
	{ "invited_at", N_("Invited") }, { "answered_at", N_("Answered") }, { "target_kind", N_("On a") },
	{ "target_id", N_("Its number") }, { "parent_id", N_("Answer to comment") }, { "body", N_("Text") },
	{ "edited_at", N_("Edited") }, { "deleted_at", N_("Deleted") }, { "hidden_reason", N_("Reason for hiding") },
	{ "file_name", N_("File name") }, { "content_type", N_("Type") }, { "size", N_("Size in bytes") },
	{ "kind", N_("Kind") }, { "subject", N_("About") }, { "data", N_("Data") }, { "read_at", N_("Read") },
	{ "reason", N_("Reason") }, { "decided_at", N_("Decided") }, { "outcome", N_("Outcome") },
	{ "sent_at", N_("Sent") }, { "at", N_("When") }, { "action", N_("Action") }, { "detail", N_("Detail") },
};

static const char *field_label(struct req *req, const char *key)
{
	for (size_t i = 0; i < sizeof field_labels / sizeof field_labels[0]; i++)
		if (strcmp(field_labels[i].key, key) == 0)
			return T(req, field_labels[i].label);
	return key;
}

/* A row of a part as the readable page shows it: [{label, value, time
 * (ISO, for dates), url (for a page)}], nulls left out. */
static json_t *readable_row(struct req *req, json_t *row)
{
	json_t *fields = json_array();
	const char *key;
	json_t *v;
	json_object_foreach(row, key, v) {
		size_t n = strlen(key);
		if (json_is_null(v) || (n > 5 && strcmp(key + n - 5, "_date") == 0))
			continue;
		json_t *f = json_object();
		jset_str(f, "label", field_label(req, key));
		const char *date = json_string_value(json_object_get(row, arena_printf(req->arena, "%s_date", key)));
		if (date) {
			jset_str(f, "value", date);
			jset(f, "time", json_incref(v));
		} else if (strcmp(key, "url") == 0) {
			jset(f, "value", json_incref(v));
			jset(f, "url", json_incref(v));
		} else if (json_is_string(v)) {
			jset(f, "value", json_incref(v));
		} else if (json_is_boolean(v)) {
			jset_str(f, "value", T(req, json_is_true(v) ? N_("yes") : N_("no")));
		} else {
			struct buf b;
			buf_init(&b, 1 << 20);
			json_write(&b, v);
			jset(f, "value", json_string(b.overflow ? "" : b.data ? b.data : ""));
			buf_free(&b);
		}
		json_array_append_new(fields, f);
	}
	return fields;
}

void page_profile_export_show(struct req *req, struct resp *resp)
{
	const char *only = kv_get(&req->query, "part");
	const struct personal_part *one = only ? personal_part_find(only) : NULL;
	if (only && !one) {
		page_not_found(req, resp);
		return;
	}
	int64_t after;
	int limit;
	if (!paging(req, resp, &after, &limit))
		return;
	json_t *parts = json_array();
	for (const struct personal_part *const *p = personal_parts(); *p; p++) {
		if (one && *p != one)
			continue;
		json_t *page = export_page(req->db, req->lang, req->session->user.id, *p, one ? after : 0, limit);
		if (!page) {
			json_decref(parts);
			resp_internal_error(req, resp);
			return;
		}
		jset_str(page, "title", T(req, (*p)->title));
		json_t *items = json_object_get(page, "items");
		jset(page, "has_items", json_boolean(json_array_size(items) > 0));
		jset(page, "more", next_link(req, arena_printf(req->arena, "/profile/export?part=%s", (*p)->name), page, limit));
		if (!req->json) {
			json_t *rows = json_array();
			size_t i;
			json_t *row;
			json_array_foreach(items, i, row)
				json_array_append_new(rows, json_pack("{so}", "fields", readable_row(req, row)));
			jset(page, "rows", rows);
			jset(page, "heading_id", json_string(arena_printf(req->arena, "part-%s", (*p)->name)));
		}
		json_array_append_new(parts, page);
	}
	json_t *model = json_object();
	jset(model, "parts", parts);
	jset(model, "one_part", json_boolean(one != NULL));
	jset_str(model, "download_url", "/profile/export.json");
	resp_page(resp, 200, "profile_export", N_("Your data"), model);
}

void page_profile_export_download(struct req *req, struct resp *resp)
{
	if (req->json) {   /* the API answers in pages: /api/v1/profile/export */
		page_profile_export_show(req, resp);
		return;
	}
	/* written into an unnamed temporary file and streamed from there: the
	 * memory used is one row's, whatever the size of the account */
	struct filestore_temp t;
	if (filestore_temp_open(req->app->files_dir, INT64_MAX, &t) != 0) {
		log_error("export: cannot open a temporary file in %s/tmp", req->app->files_dir);
		resp_internal_error(req, resp);
		return;
	}
	int fd = dup(t.fd);
	filestore_temp_discard(&t);   /* its name goes; the open descriptor keeps the file */
	FILE *f = fd >= 0 ? fdopen(dup(fd), "w") : NULL;
	int rc = f ? export_write(req->db, req->session->user.id, req->now, f) : -1;
	if (f && fclose(f) != 0)
		rc = -1;
	struct stat sb;
	if (rc != 0 || fstat(fd, &sb) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
		if (fd >= 0)
			close(fd);
		log_error("export of account %" PRId64 " failed", req->session->user.id);
		resp_internal_error(req, resp);
		return;
	}
	char date[16];
	clock_format_iso(req->now, date, sizeof date);   /* "2026-11-26" of "2026-11-26T…" */
	resp_file(resp, fd, (int64_t)sb.st_size, "application/json",  NULL,
		  arena_printf(req->arena, "attachment; filename=\"unbox-data-%" PRId64 "-%.10s.json\"",
			       req->session->user.id, date));
}

/* ---- deleting the account ---- */

static json_t *delete_model(struct req *req, int *failed)
{
	*failed = 0;
	json_t *model = json_object();
	form_model(req, model, NULL);
	json_t *form = json_object_get(model, "form");
	jset(form, "confirm", json_boolean(req_arg(req, "confirm") != NULL));
	jset(form, "remove_contributions", json_boolean(req_arg(req, "remove_contributions") != NULL));
	/* what stays and what goes, in numbers */
	static const char *const counted[] = { "ideas", "comments" };
	for (size_t i = 0; i < sizeof counted / sizeof counted[0]; i++) {
		const struct personal_part *p = personal_part_find(counted[i]);
		int64_t n = p && p->count ? p->count(req->db, req->session->user.id) : 0;
		if (n < 0)
			*failed = 1;
		jset_int(model, arena_printf(req->arena, "%s_count", counted[i]), n);
	}
	jset(model, "last_admin", json_false());
	return model;
}

void page_profile_delete_form(struct req *req, struct resp *resp)
{
	profile_answer(req, resp, delete_model, "profile_delete", N_("Delete your account"), 200, NULL, NULL, NULL);
}

static void delete_error(struct req *req, struct resp *resp, int status, const char *code, const char *message,
			 const struct field_errors *fe)
{
	profile_answer(req, resp, delete_model, "profile_delete", N_("Delete your account"), status, code, message, fe);
}

void page_profile_delete_submit(struct req *req, struct resp *resp)
{
	struct field_errors fe = { 0 };
	struct account_erased erased;
	int retry = 0;
	const char *confirm = req_arg(req, "confirm"), *remove = req_arg(req, "remove_contributions");
	int rc = account_delete(req->db, req->arena, &req->session->user, req_arg(req, "password"),
				confirm && strcmp(confirm, "1") == 0, remove && strcmp(remove, "1") == 0, req->now, &fe,
				&retry, &erased);
	switch (rc) {
	case ACCOUNT_OK:
		clear_session_cookie(req, resp);
		resp_redirect(resp, "/profile/deleted", 200,
			      json_pack("{sb sb sI sI sI sI}", "deleted", 1, "texts_removed", remove && strcmp(remove, "1") == 0,
					"ideas_removed", (json_int_t)erased.ideas, "comments_removed", (json_int_t)erased.comments,
					"supports_withdrawn", (json_int_t)erased.supports,
					"follows_ended", (json_int_t)erased.follows));
		return;
	case ACCOUNT_INVALID:
		delete_error(req, resp, 422, "validation", N_("Please check the marked fields."), &fe);
		return;
	case ACCOUNT_THROTTLED:
		resp->retry_after = retry;
		delete_error(req, resp, 429, "too_many_attempts",
			     N_("Too many attempts. Please wait a few minutes and try again."), NULL);
		return;
	case ACCOUNT_FORBIDDEN:
		delete_error(req, resp, 409, "last_admin",
			     N_("You are the only administrator. Please make another person administrator first, so that someone can still run the platform."), NULL);
		return;
	}
	resp_internal_error(req, resp);
}

void page_profile_deleted_show(struct req *req, struct resp *resp)
{
	resp_page(resp, 200, "account_deleted", N_("Your account has been deleted"), json_object());
}
