/* The moderation log for administrators: every decision about content and
 * people, the newest first, filtered by action (domain/admin/auditlog.c). */
#include "web/admin/handlers.h"
#include "core/jsonx.h"
#include "domain/admin/auditlog.h"
#include "domain/portal/infotext.h"
#include "web/admin/paging.h"
#include "web/handlers.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *action, *label; } labels[] = {
	{ "moderation.report", N_("Reported") },
	{ "moderation.keep", N_("No violation") },
	{ "idea.hide", N_("Idea hidden") },
	{ "idea.unhide", N_("Idea shown again") },
	{ "comment.hide", N_("Comment hidden") },
	{ "comment.unhide", N_("Comment shown again") },
	{ "comment.delete", N_("Comment deleted") },
	{ "user.block", N_("Blocked") },
	{ "user.unblock", N_("Unblocked") },
	{ "user.role", N_("Role changed") },
	{ "settings.change", N_("Setting changed") },
	{ "settings.logo", N_("Logo changed") },
	{ "text.edit", N_("Text changed") },
};

const char *page_audit_action_label(struct req *req, const char *action)
{
	for (size_t i = 0; action && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].action, action) == 0)
			return T(req, labels[i].label);
	return action ? action : "";
}

/* The id after prefix in s ("idea:42" after "idea:"): 1..15 digits and
 * nothing else; 0 when s is not of that form. */
static long long id_after(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(s, prefix, n) != 0)
		return 0;
	s += n;
	size_t digits = strspn(s, "0123456789");
	if (!digits || digits > 15 || s[digits])
		return 0;
	return strtoll(s, NULL, 10);
}

/* What a row is about, as a label and, where it has a page, a link:
 * "idea:42", "comment:7", "user:3", "setting:city_name", "text:impressum:de". */
static void subject_of(struct req *req, json_t *row)
{
	const char *s = json_string_value(json_object_get(row, "subject"));
	const char *label = s, *url = NULL;
	long long id;
	if ((id = id_after(s, "idea:"))) {
		label = arena_printf(req->arena, "%s %lld", T(req, N_("Idea")), id);
		url = arena_printf(req->arena, "/ideas/%lld", id);
	} else if ((id = id_after(s, "comment:"))) {
		label = arena_printf(req->arena, "%s %lld", T(req, N_("Comment")), id);
	} else if ((id = id_after(s, "user:"))) {
		label = arena_printf(req->arena, "%s %lld", T(req, N_("Person")), id);
		url = arena_printf(req->arena, "/admin/users/%lld", id);
	} else if (strncmp(s, "setting:", 8) == 0) {
		label = arena_printf(req->arena, "%s %s", T(req, N_("Setting")), s + 8);
		url = "/admin/settings";
	} else if (strncmp(s, "text:", 5) == 0) {
		const struct infotext_page *p = NULL;
		const char *colon = strchr(s + 5, ':');
		if (colon) {
			char slug[32];
			snprintf(slug, sizeof slug, "%.*s", (int)(colon - s - 5), s + 5);
			p = infotext_page_by_slug(slug);
		}
		if (p && (strcmp(colon + 1, "de") == 0 || strcmp(colon + 1, "en") == 0)) {
			label = arena_printf(req->arena, "%s %s (%s)", T(req, N_("Text")), p->slug, colon + 1);
			url = arena_printf(req->arena, "/texts/edit?page=%s&language=%s", p->slug, colon + 1);
		}
	}
	jset_str(row, "subject_label", label);
	if (url)
		jset_str(row, "subject_url", url);
}

void page_auditlog_show(struct req *req, struct resp *resp)
{
	struct field_errors fe = { 0 };
	int64_t before;
	int limit;
	admin_paging(req, &fe, &before, &limit, AUDITLOG_PAGE_DEFAULT, AUDITLOG_PAGE_MAX);
	const char *action = kv_get(&req->query, "action");
	if (action && *action && !auditlog_action_known(action))
		field_error(&fe, "action", "invalid");
	if (fe.count) {
		resp_error(req, resp, 400, "bad_filter", N_("The list cannot be shown with these filters."), &fe, NULL,
			   NULL);
		return;
	}
	json_t *page = auditlog_list(req->db, req->lang, action, before, limit);
	if (!page) {
		resp_internal_error(req, resp);
		return;
	}
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(page, "items"), i, row) {
		jset_str(row, "action_label", page_audit_action_label(req, json_string_value(json_object_get(row, "action"))));
		subject_of(req, row);
	}
	json_t *next = json_object_get(page, "next");
	if (json_is_integer(next)) {
		struct buf b;
		buf_init(&b, 1024);
		buf_printf(&b, "%s/admin/audit?before=%" JSON_INTEGER_FORMAT, req->json ? "/api/v1" : "",
			   json_integer_value(next));
		admin_query_arg(&b, "action", action);
		if (limit != AUDITLOG_PAGE_DEFAULT)
			buf_printf(&b, "&limit=%d", limit);
		jset(page, "next", json_string(b.overflow ? "" : b.data));
		buf_free(&b);
	}
	jset_int(page, "max_limit", AUDITLOG_PAGE_MAX);
	if (!req->json) {
		json_t *actions = json_array();
		for (size_t k = 0; auditlog_actions[k]; k++) {
			json_t *o = json_pack("{ss ss}", "value", auditlog_actions[k], "label",
					      page_audit_action_label(req, auditlog_actions[k]));
			if (action && strcmp(action, auditlog_actions[k]) == 0)
				jset(o, "selected", json_true());
			json_array_append_new(actions, o);
		}
		jset(page, "actions", actions);
		jset(page, "has_items", json_boolean(json_array_size(json_object_get(page, "items")) > 0));
		jset(page, "paged", json_boolean(before > 0));
		if (action && *action)
			jset_str(page, "first_url", arena_printf(req->arena, "/admin/audit?action=%s", action));
		else
			jset_str(page, "first_url", "/admin/audit");
	}
	resp_page(resp, 200, "admin/audit", N_("Moderation log"), page);
}
