/* The settings a city changes (domain/settings.c): its name, how to reach
 * the team, the logo — uploaded (multipart/form-data through the server's
 * upload path, into the file store) or an image already on this site. */
#include "web/admin/handlers.h"
#include "core/jsonx.h"
#include "core/sniff.h"
#include "domain/settings.h"
#include "web/handlers.h"
#include "web/site.h"
#include <string.h>
#include <unistd.h>

const struct upload_rule page_settings_logo_upload = { .file_max = SETTINGS_LOGO_MAX, .files_max = 1 };

/* The form: the typed values when posted, else the stored ones. NULL when
 * the database failed. */
static json_t *settings_model(struct req *req, const char *saved)
{
	json_t *s = settings_read(req->db);
	if (!s)
		return NULL;
	json_t *model = json_object();
	json_t *form = json_object();
	for (const struct setting_def *d = setting_defs; d->key; d++) {
		const char *typed = kv_get(&req->form, d->key);
		jset(form, d->key, typed ? json_string(typed) : json_incref(json_object_get(s, d->key)));
	}
	jset(model, "form", form);
	jset_str(model, "csrf", req->csrf ? req->csrf : "");
	const char *file = json_string_value(json_object_get(s, SETTING_LOGO_FILE));
	if (*file)
		jset_str(model, "logo_uploaded", arena_printf(req->arena, "/logo?v=%.12s", file));
	json_t *site = page_site_model(req);
	jset(model, "logo", json_incref(json_object_get(site, "logo")));
	json_decref(site);
	if (saved)
		jset_str(model, "saved", saved);
	jset_int(model, "logo_max_kb", SETTINGS_LOGO_MAX / 1024);
	json_decref(s);
	return model;
}

void page_settings_form(struct req *req, struct resp *resp)
{
	if (req->json) {
		json_t *s = settings_read(req->db);
		if (!s)
			resp_internal_error(req, resp);
		else
			resp_page(resp, 200, NULL, NULL, s);
		return;
	}
	const char *saved = kv_get(&req->query, "saved");
	json_t *model = settings_model(req, saved && (strcmp(saved, "settings") == 0 || strcmp(saved, "logo") == 0)
						  ? saved : NULL);
	if (!model) {
		resp_internal_error(req, resp);
		return;
	}
	resp_page(resp, 200, "admin/settings", N_("Settings"), model);
}

static void form_error(struct req *req, struct resp *resp, int status, const struct field_errors *fe,
		       const char *message)
{
	json_t *model = req->json ? NULL : settings_model(req, NULL);
	if (!req->json && !model) {
		resp_internal_error(req, resp);
		return;
	}
	resp->title = N_("Settings");
	resp_error(req, resp, status, "validation", message, fe, model ? "admin/settings" : NULL, model);
}

void page_settings_submit(struct req *req, struct resp *resp)
{
	/* the given settings; a setting left out stays as it is (JSON may send one) */
	json_t *values = json_object();
	struct field_errors fe = { 0 };
	for (size_t i = 0; i < req->form.count; i++) {
		const char *name = req->form.items[i].name;
		if (name[0] == '_')      /* _csrf and the like: the pipeline's */
			continue;
		json_object_set_new(values, name, json_string(req->form.items[i].value));
	}
	int changed = 0;
	int rc = settings_update(req->db, values, req->session->user.id, req->now, &fe, &changed);
	json_decref(values);
	if (rc == SETTINGS_INVALID) {
		form_error(req, resp, 422, &fe, N_("Please check the marked fields."));
		return;
	}
	if (rc != SETTINGS_OK) {
		resp_internal_error(req, resp);
		return;
	}
	json_t *s = req->json ? settings_read(req->db) : NULL;
	if (req->json && !s) {
		resp_internal_error(req, resp);
		return;
	}
	if (s)
		jset_int(s, "changed", changed);
	page_site_forget();
	resp_redirect(resp, "/admin/settings?saved=settings", 200, s);
}

void page_settings_logo_submit(struct req *req, struct resp *resp)
{
	struct upload_file *f = req_file(req, "file");
	struct field_errors fe = { 0 };
	if (!f || !f->size)
		field_error(&fe, "file", "required");
	else if (f->too_big)
		field_error(&fe, "file", "too_big");
	int rc = fe.count ? SETTINGS_INVALID
			  : settings_set_logo(req->db, req->app->files_dir, f->temp_path, f->sha256, f->type,
					      req->session->user.id, req->now, &fe);
	if (f && !fe.count && access(f->temp_path, F_OK) != 0)
		f->kept = true;    /* moved into the store: not the server's to remove */
	if (rc == SETTINGS_INVALID) {
		form_error(req, resp, 422, &fe, N_("Please check the file."));
		return;
	}
	if (rc != SETTINGS_OK) {
		resp_internal_error(req, resp);
		return;
	}
	page_site_forget();
	resp_redirect(resp, "/admin/settings?saved=logo", 200,
		      json_pack("{ss}", "logo", arena_printf(req->arena, "/logo?v=%.12s", f->sha256)));
}

void page_settings_logo_delete(struct req *req, struct resp *resp)
{
	struct field_errors fe = { 0 };
	if (settings_set_logo(req->db, req->app->files_dir, NULL, NULL, NULL, req->session->user.id, req->now, &fe) !=
	    SETTINGS_OK) {
		resp_internal_error(req, resp);
		return;
	}
	page_site_forget();
	resp_redirect(resp, "/admin/settings?saved=logo", 200, json_pack("{sn}", "logo"));
}
