/* The team writes the texts of the information pages: the list of pages
 * and languages, the form with the page's history, one old version. Every
 * save is a new version (domain/portal/infotext.c); two people editing at
 * once are told, with what they typed kept. */
#include "web/portal/handlers.h"
#include "core/jsonx.h"
#include "domain/portal/infotext.h"
#include "web/handlers.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const langs[] = { "de", "en" };

static const char *lang_label(struct req *req, const char *lang)
{
	return strcmp(lang, "de") == 0 ? T(req, N_("German")) : T(req, N_("English"));
}

void page_texts_list(struct req *req, struct resp *resp)
{
	json_t *items = json_array();
	for (const struct infotext_page *p = infotext_pages; p->slug; p++) {
		for (size_t i = 0; i < (p->german_only ? 1 : 2); i++) {
			json_t *text = NULL;
			int found = infotext_get(req->db, p->slug, langs[i], req->lang, &text);
			if (found < 0) {
				json_decref(items);
				resp_internal_error(req, resp);
				return;
			}
			json_t *o = json_object();
			jset_str(o, "slug", p->slug);
			jset_str(o, "lang", langs[i]);
			jset_str(o, "lang_label", lang_label(req, langs[i]));
			jset_str(o, "path", p->path);
			jset_str(o, "url", arena_printf(req->arena, "%s?lang=%s", p->path, langs[i]));
			jset_str(o, "edit_url", arena_printf(req->arena, "/texts/edit?page=%s&language=%s", p->slug, langs[i]));
			if (found) {
				static const char *const kept[] = { "title", "version", "demo", "updated_at", "updated_date",
								    "updated_by" };
				for (size_t k = 0; k < sizeof kept / sizeof kept[0]; k++)
					jset(o, kept[k], json_incref(json_object_get(text, kept[k])));
				json_decref(text);
			}
			jset(o, "written", json_boolean(found == 1));
			json_array_append_new(items, o);
		}
	}
	resp_page(resp, 200, "portal/texts", N_("Texts of the information pages"), json_pack("{so}", "items", items));
}

/* The page and language a request names (fields or query page, language: "lang" is the switch of the pages' own language), or
 * NULL after answering 404. */
static const struct infotext_page *page_of(struct req *req, struct resp *resp, const char **lang)
{
	const struct infotext_page *p = infotext_page_by_slug(req_arg(req, "page"));
	const char *l = req_arg(req, "language");
	if (!p || !l || (strcmp(l, "de") != 0 && (p->german_only || strcmp(l, "en") != 0))) {
		page_not_found(req, resp);
		return NULL;
	}
	*lang = strcmp(l, "de") == 0 ? "de" : "en";
	return p;
}

/* The form: the typed values when posted, else the current version's;
 * the current version and a page of the history. NULL when the database
 * failed. base: the version the form saves onto (-1: the current one). */
static json_t *edit_model(struct req *req, const struct infotext_page *p, const char *lang, int64_t base)
{
	json_t *current = NULL;
	int found = infotext_get(req->db, p->slug, lang, req->lang, &current);
	int64_t before = 0;
	const char *b = kv_get(&req->query, "before");
	if (b && *b)
		before = strtoll(b, NULL, 10);
	json_t *history = found >= 0 ? infotext_history(req->db, p->slug, lang, req->lang, before,
							INFOTEXT_HISTORY_DEFAULT)
				     : NULL;
	if (!history) {
		json_decref(found == 1 ? current : NULL);
		return NULL;
	}
	json_t *model = json_object();
	static const char *const fields[] = { "title", "body", "note", NULL };
	form_model(req, model, fields);
	json_t *form = json_object_get(model, "form");
	if (found == 1 && !kv_get(&req->form, "body")) {
		jset(form, "title", json_incref(json_object_get(current, "title")));
		jset(form, "body", json_incref(json_object_get(current, "markdown")));
	}
	int64_t cur = found == 1 ? json_integer_value(json_object_get(current, "version")) : 0;
	jset_int(form, "version", base >= 0 ? base : cur);
	jset_str(model, "slug", p->slug);
	jset_str(model, "lang", lang);
	jset_str(model, "lang_label", lang_label(req, lang));
	jset_str(model, "page_url", arena_printf(req->arena, "%s?lang=%s", p->path, lang));
	jset(model, "german_only", json_boolean(p->german_only));
	if (found == 1)
		json_object_del(current, "markdown");   /* in the form already */
	jset(model, "current", found == 1 ? current : json_null());
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(history, "items"), i, v)
		jset_str(v, "url", arena_printf(req->arena, "/texts/versions/%" JSON_INTEGER_FORMAT,
						json_integer_value(json_object_get(v, "id"))));
	json_t *next = json_object_get(history, "next");
	if (json_is_integer(next))
		jset_str(history, "next_url", arena_printf(req->arena, "/texts/edit?page=%s&language=%s&before=%" JSON_INTEGER_FORMAT,
							   p->slug, lang, json_integer_value(next)));
	jset(history, "has_items", json_boolean(json_array_size(json_object_get(history, "items")) > 0));
	jset(history, "paged", json_boolean(before > 0));
	jset(model, "history", history);
	jset_int(model, "title_max", INFOTEXT_TITLE_MAX);
	jset_int(model, "body_max", INFOTEXT_BODY_MAX);
	jset_int(model, "note_max", INFOTEXT_NOTE_MAX);
	const char *saved = kv_get(&req->query, "saved");
	if (saved && *saved)
		jset_int(model, "saved", strtoll(saved, NULL, 10));
	return model;
}

void page_text_edit_form(struct req *req, struct resp *resp)
{
	const char *lang;
	const struct infotext_page *p = page_of(req, resp, &lang);
	if (!p)
		return;
	json_t *model = edit_model(req, p, lang, -1);
	if (!model) {
		resp_internal_error(req, resp);
		return;
	}
	resp_page(resp, 200, "portal/text_edit", N_("Edit the text"), model);
}

void page_text_edit_submit(struct req *req, struct resp *resp)
{
	const char *lang;
	const struct infotext_page *p = page_of(req, resp, &lang);
	if (!p)
		return;
	const char *v = req_arg(req, "version");
	char *end = NULL;
	int64_t base = v && *v ? strtoll(v, &end, 10) : -1;
	struct field_errors fe = { 0 };
	if (base < 0 || (end && *end))
		field_error(&fe, "version", "required");
	struct infotext_input in = {
		.slug = p->slug, .lang = lang, .base_version = base, .title = req_arg(req, "title"),
		.body_md = req_arg(req, "body"), .note = req_arg(req, "note"), .actor = req->session->user.id,
	};
	int64_t version = 0;
	resp->title = N_("Edit the text");
	int rc = fe.count ? (infotext_validate(&in, &fe), INFOTEXT_INVALID)
			  : infotext_save(req->db, &in, req->now, &fe, &version);
	switch (rc) {
	case INFOTEXT_OK:
		resp_redirect(resp, arena_printf(req->arena, "/texts/edit?page=%s&language=%s&saved=%" PRId64, p->slug, lang,
						 version), 200,
			      json_pack("{ss ss sI ss}", "slug", p->slug, "lang", lang, "version", (json_int_t)version,
					"url", p->path));
		return;
	case INFOTEXT_INVALID:
	case INFOTEXT_CONFLICT: {
		bool conflict = rc == INFOTEXT_CONFLICT;
		/* on a conflict the form saves onto the newer version: a second
		 * save, after comparing, is the writer's decision */
		json_t *model = req->json ? NULL : edit_model(req, p, lang, conflict ? version : base);
		if (!req->json && !model) {
			resp_internal_error(req, resp);
			return;
		}
		if (model && conflict)
			jset(model, "conflict", json_true());
		resp_error(req, resp, conflict ? 409 : 422, conflict ? "conflict" : "validation",
			   conflict ? N_("Someone else has saved this text in the meantime. Your text is kept below: please compare it with the current version and save again.")
				    : N_("Please check the marked fields."),
			   conflict ? NULL : &fe, model ? "portal/text_edit" : NULL, model);
		return;
	}
	case INFOTEXT_NOT_FOUND:
		page_not_found(req, resp);
		return;
	}
	resp_internal_error(req, resp);
}

void page_text_version_show(struct req *req, struct resp *resp)
{
	json_t *text;
	int64_t id = req_param_id(req, 0);
	int found = id ? infotext_version(req->db, req->lang, id, &text) : 0;
	if (found < 0) {
		resp_internal_error(req, resp);
		return;
	}
	if (!found) {
		page_not_found(req, resp);
		return;
	}
	if (req->json) {
		resp_page(resp, 200, NULL, NULL, text);
		return;
	}
	const char *slug = json_string_value(json_object_get(text, "slug"));
	const char *lang = json_string_value(json_object_get(text, "lang"));
	json_t *model = json_object();
	jset_str(model, "edit_url", arena_printf(req->arena, "/texts/edit?page=%s&language=%s", slug, lang));
	jset_str(model, "lang_label", lang_label(req, lang));
	jset(model, "text", text);
	resp_page(resp, 200, "portal/text_version", N_("An earlier version"), model);
}
