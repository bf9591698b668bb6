/* Attachments on any target: the section of the target's page (list,
 * upload form, delete buttons), storing the uploaded file, and the
 * download. Who may see the target and who may change its attachments is
 * the area's handler's decision (web/<area>/); these never decide it. */
#include "web/handlers.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "core/sniff.h"
#include "domain/attachment.h"
#include "domain/filestore.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *api(const struct req *req)
{
	return req->json ? "/api/v1" : "";
}

static const char *type_label(const char *type)
{
	static const char *const labels[][2] = {
		{ SNIFF_PDF, "PDF" }, { SNIFF_PNG, "PNG" }, { SNIFF_JPEG, "JPEG" }, { SNIFF_GIF, "GIF" },
		{ SNIFF_WEBP, "WebP" }, { SNIFF_TEXT, "Text" },
	};
	for (size_t i = 0; type && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(type, labels[i][0]) == 0)
			return labels[i][1];
	return NULL;
}

/* url and, for those who may change the list, delete_url on a list item. */
static void item_links(struct req *req, json_t *item, const char *base, bool may_edit)
{
	int64_t id = json_integer_value(json_object_get(item, "id"));
	const char *type = json_string_value(json_object_get(item, "type"));
	jset_str(item, "url", arena_printf(req->arena, "%s/attachments/%" PRId64, base, id));
	const char *label = type_label(type);
	jset_str(item, "type_label", label ? label : T(req, N_("File")));
	if (may_edit)
		jset_str(item, "delete_url", arena_printf(req->arena, "%s/attachments/%" PRId64 "/delete", base, id));
}

json_t *page_attachments_section(struct req *req, const char *kind, int64_t target_id, const char *base,
				 const struct attachment_rules *rules, const char *hint, bool may_edit, int64_t after,
				 int limit, int64_t known_count)
{
	json_t *page = known_count == 0 && after == 0
		? json_pack("{s[] sn si sI}", "items", "next", "limit", limit ? limit : ATTACHMENT_PAGE_DEFAULT, "count",
			    (json_int_t)0)
		: attachment_list(req->db, req->lang, kind, target_id, after, limit ? limit : ATTACHMENT_PAGE_DEFAULT);
	if (!page)
		return NULL;
	json_t *items = json_object_get(page, "items");
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
		item_links(req, item, base, may_edit);
	json_int_t count = json_integer_value(json_object_get(page, "count"));
	json_int_t lim = json_integer_value(json_object_get(page, "limit"));
	const char *next = json_string_value(json_object_get(page, "next"));
	json_t *s = json_object();
	jset(s, "items", json_incref(items));
	jset_int(s, "count", count);
	jset_int(s, "max_count", rules->max_count);
	jset(s, "has_items", json_boolean(json_array_size(items) > 0));
	jset_str(s, "url", arena_printf(req->arena, "%s/attachments", base));
	jset(s, "first_page", json_boolean(after == 0));
	json_t *paging = json_object();
	jset_int(paging, "limit", lim);
	jset_int(paging, "max_limit", ATTACHMENT_PAGE_MAX);
	jset(paging, "next", next ? json_string(arena_printf(req->arena, "%s%s/attachments?%safter=%s", api(req), base,
		lim != ATTACHMENT_PAGE_DEFAULT ? arena_printf(req->arena, "limit=%d&", (int)lim) : "", next))
				  : json_null());
	jset(s, "paging", paging);
	json_decref(page);
	if (!may_edit)
		return s;   /* what visitors see, and the page cache keeps: no token, no form */
	json_t *form = json_object();
	jset_str(form, "action", arena_printf(req->arena, "%s/attachments", base));
	jset_str(form, "csrf", req->csrf ? req->csrf : "");
	struct buf accept;
	buf_init(&accept, 512);
	for (size_t k = 0; rules->types && rules->types[k]; k++) {
		if (k)
			buf_putc(&accept, ',');
		buf_puts(&accept, rules->types[k]);
	}
	jset_str(form, "accept", accept.data ? accept.data : "");
	buf_free(&accept);
	jset_str(form, "hint", T(req, hint));
	static const struct form_field fields[] = {
		{ "file", N_("File"), 0, 0, NULL },
		{ "title", N_("Title (optional)"), 0, ATTACHMENT_TITLE_MAX, NULL },
		{ NULL, NULL, 0, 0, NULL },
	};
	jset(form, "input", form_input(req, NULL, fields));
	jset(form, "full", json_boolean(count >= rules->max_count));
	const char *title = kv_get(&req->form, "title");
	jset_str(form, "title", title ? title : "");
	jset(s, "form", form);
	return s;
}

bool page_attachments_paging(struct req *req, struct resp *resp, int64_t *after, int *limit)
{
	const char *a = kv_get(&req->query, "after"), *l = kv_get(&req->query, "limit");
	struct field_errors fe = { 0 };
	char *end;
	*after = 0;
	*limit = ATTACHMENT_PAGE_DEFAULT;
	if (a && *a) {
		long long v = strtoll(a, &end, 10);
		if (*end || v < 0 || strlen(a) > 18)
			field_error(&fe, "after", "invalid");
		*after = v;
	}
	if (l && *l) {
		long v = strtol(l, &end, 10);
		if (*end || v < 1 || v > ATTACHMENT_PAGE_MAX)
			field_error(&fe, "limit", "invalid");
		*limit = (int)v;
	}
	if (fe.count) {
		resp_error(req, resp, 400, "bad_filter", N_("The list cannot be shown with these filters."), &fe, NULL, NULL);
		return false;
	}
	return true;
}

int page_attachment_store(struct req *req, const char *kind, int64_t target_id,
			  const struct attachment_rules *rules, struct field_errors *fe, int64_t *id)
{
	struct upload_file *f = req_file(req, "file");
	struct attachment_input in = {
		.kind = kind, .target_id = target_id, .title = req_arg(req, "title"), .user_id = req->session->user.id,
	};
	if (!f || f->too_big) {   /* nothing to store: the other fields' checks too, for their messages */
		if (f)
			field_error(fe, "file", "too_big");
		attachment_validate(&in, rules, fe);
		return ATTACHMENT_INVALID;
	}
	in.file_name = f->name;
	in.type = f->type;
	in.size = f->size;
	in.sha256 = f->sha256;
	in.temp_path = f->temp_path;
	int rc = attachment_add(req->db, req->app->files_dir, &in, rules, req->now, fe, id);
	if (rc == ATTACHMENT_OK || access(f->temp_path, F_OK) != 0)
		f->kept = true;   /* moved into the store (even when the row failed): not the server's to remove */
	return rc;
}

int page_attachment_model(struct req *req, int64_t id, const char *base, json_t **out)
{
	int found = attachment_get(req->db, req->lang, id, out);
	if (found == 1)
		item_links(req, *out, base, false);
	return found;
}

/* attachment; filename="ASCII fallback"; filename*=UTF-8''percent-encoded (RFC 6266) */
static const char *disposition(struct req *req, const char *name)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "attachment; filename=\"");
	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		if ((*c & 0xC0) == 0x80)
			continue;   /* one '_' for a whole character beyond ASCII */
		buf_putc(&b, *c < 0x20 || *c >= 0x7F || *c == '"' || *c == '\\' || *c == '%' ? '_' : (char)*c);
	}
	buf_puts(&b, "\"; filename*=UTF-8''");
	url_encode(&b, name, strlen(name));
	const char *s = arena_strdup(req->arena, b.overflow || !b.data ? "attachment" : b.data);
	buf_free(&b);
	return s;
}

void page_attachment_send(struct req *req, struct resp *resp, const char *kind, int64_t target_id, int64_t id,
			  const char *base)
{
	json_t *a;
	int found = page_attachment_model(req, id, base, &a);
	if (found < 0) {
		resp_internal_error(req, resp);
		return;
	}
	json_t *target = json_object_get(a, "target");
	if (!a || strcmp(json_string_value(json_object_get(target, "kind")), kind) != 0 ||
	    json_integer_value(json_object_get(target, "id")) != target_id) {
		json_decref(a);
		page_not_found(req, resp);
		return;
	}
	if (req->json) {
		resp_page(resp, 200, NULL, NULL, a);
		return;
	}
	const char *sha = json_string_value(json_object_get(a, "sha256"));
	const char *type = sniff_known(json_string_value(json_object_get(a, "type")));
	int64_t size = 0;
	int fd = filestore_open(req->app->files_dir, sha, &size);
	if (fd < 0) {
		log_error("attachment %" PRId64 ": the file %s is missing from %s", id, sha, req->app->files_dir);
		json_decref(a);
		resp_internal_error(req, resp);
		return;
	}
	resp_file(resp, fd, size,
		  !type ? SNIFF_OTHER : strcmp(type, SNIFF_TEXT) == 0 ? "text/plain; charset=utf-8" : type,
		  arena_printf(req->arena, "\"%s\"", sha),
		  disposition(req, json_string_value(json_object_get(a, "file_name"))));
	json_decref(a);
}
