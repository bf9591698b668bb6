/* The notification list of the person logged in, and marking read. */
#include "web/handlers.h"
#include "core/buf.h"
#include "core/jsonx.h"
#include "domain/notification.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *data, const char *key)
{
	const char *s = json_string_value(json_object_get(data, key));
	return s ? s : "";
}

/* fmt (a translated text) with {name} replaced by vars[name], else data's
 * string field name. Placeholders only, never a printf format. */
static const char *fill(struct req *req, const char *fmt, json_t *data, json_t *vars)
{
	struct buf b;
	buf_init(&b, 4096);
	for (const char *p = fmt; *p; p++) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		if (!end || end - p > 20) {
			buf_putc(&b, *p);
			continue;
		}
		char name[24];
		memcpy(name, p + 1, (size_t)(end - p - 1));
		name[end - p - 1] = '\0';
		const char *v = json_string_value(json_object_get(vars, name));
		buf_puts(&b, v ? v : str(data, name));
		p = end;
	}
	char *s = arena_strdup(req->arena, b.data && !b.overflow ? b.data : "");
	buf_free(&b);
	return s;
}

static const struct page_notification *area_kinds;

void page_notification_kinds_init(const struct page_notification *kinds)
{
	area_kinds = kinds;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

static const char *sentence(struct req *req, const char *kind, json_t *data)
{
	bool actor = *str(data, "actor") != '\0';
	json_t *vars = json_object();
	const char *fmt = NULL;
	if (strcmp(kind, NOTIFY_COMMENT_REPLY) == 0) {
		fmt = actor ? T(req, N_("{actor} answered a comment on “{title}”."))
			    : T(req, N_("New answer to a comment on “{title}”."));
	} else if (ends_with(kind, ".comment")) {   /* a new comment on any target */
		fmt = actor ? T(req, N_("{actor} commented on “{title}”.")) : T(req, N_("New comment on “{title}”."));
	} else if (strcmp(kind, NOTIFY_MODERATION) == 0) {
		fmt = strcmp(str(data, "outcome"), "hidden") == 0
			? T(req, N_("Thank you for your report on “{title}”: the content has been hidden."))
			: T(req, N_("Thank you for your report on “{title}”: after review the content stays visible."));
	}
	for (const struct page_notification *k = area_kinds; !fmt && k && k->kind; k++)
		if (strcmp(kind, k->kind) == 0)
			fmt = k->format(req, data, vars);
	if (!fmt)
		fmt = T(req, N_("News about “{title}”."));
	const char *s = fill(req, fmt, data, vars);
	json_decref(vars);
	return s;
}

static bool parse_id(const char *s, int64_t *out)
{
	char *end;
	if (!s || !*s || strlen(s) > 18)
		return false;
	long long v = strtoll(s, &end, 10);
	if (*end || v < 1)
		return false;
	*out = v;
	return true;
}

void page_notifications_show(struct req *req, struct resp *resp)
{
	struct field_errors fe = { 0 };
	const char *before = kv_get(&req->query, "before");
	const char *limit = kv_get(&req->query, "limit");
	int64_t before_id = 0, n = NOTIFICATION_PAGE_DEFAULT;
	if (before && *before && !parse_id(before, &before_id))
		field_error(&fe, "before", "invalid");
	if (limit && *limit && (!parse_id(limit, &n) || n > NOTIFICATION_PAGE_MAX))
		field_error(&fe, "limit", "invalid");
	if (fe.count) {
		resp_error(req, resp, 400, "bad_filter", N_("The list cannot be shown with these filters."), &fe, NULL,
			   NULL);
		return;
	}
	int64_t user = req->session->user.id;
	json_t *page = notification_list(req->db, req->lang, user, before_id, (int)n);
	if (!page) {
		resp_internal_error(req, resp);
		return;
	}
	json_t *items = json_object_get(page, "items");
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
		jset_str(item, "text", sentence(req, json_string_value(json_object_get(item, "kind")),
						 json_object_get(item, "data")));
	json_t *next = json_object_get(page, "next");
	json_t *next_url = json_null();
	if (json_is_integer(next))
		next_url = json_string(arena_printf(req->arena, "%s?before=%" JSON_INTEGER_FORMAT "%s%s",
						    req->json ? "/api/v1/notifications" : "/notifications",
						    json_integer_value(next), n != NOTIFICATION_PAGE_DEFAULT ? "&limit=" : "",
						    n != NOTIFICATION_PAGE_DEFAULT ? limit : ""));
	int64_t unread = notification_unread(req->db, user);
	json_t *model = json_object();
	jset(model, "items", json_incref(items));
	jset_int(model, "unread", unread);
	if (unread >= NOTIFICATION_UNREAD_CAP)
		jset(model, "unread_more", json_true());   /* counted up to the cap */
	json_t *paging = json_object();
	jset_int(paging, "limit", n);
	jset_int(paging, "max_limit", NOTIFICATION_PAGE_MAX);
	jset(paging, "next", next_url);
	jset(model, "paging", paging);
	json_decref(page);
	if (!req->json)
		jset(model, "paged", json_boolean(before_id != 0));
	resp_page(resp, 200, "notifications", N_("Notifications"), model);
}

void page_notifications_read(struct req *req, struct resp *resp)
{
	const char *arg = req_arg(req, "id");
	int64_t id = 0;
	if (arg && *arg && !parse_id(arg, &id)) {
		page_not_found(req, resp);
		return;
	}
	int64_t user = req->session->user.id;
	int rc = notification_mark_read(req->db, user, id, req->now);
	if (rc == 1) {
		page_not_found(req, resp);
		return;
	}
	if (rc != 0) {
		resp_internal_error(req, resp);
		return;
	}
	json_t *model = json_object();
	jset_int(model, "unread", notification_unread(req->db, user));
	resp_redirect(resp, "/notifications", 200, model);
}
