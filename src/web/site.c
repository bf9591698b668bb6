/* The city's name and logo as every page shows them, and the logo itself. */
#include "web/site.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "domain/filestore.h"
#include "domain/settings.h"
#include "web/handlers.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The logo's address: the uploaded one (its hash in the query, so a new
 * logo is a new address), else the address set as logo_url, else NULL. */
static const char *logo_src(struct req *req, json_t *s)
{
	const char *file = json_string_value(json_object_get(s, SETTING_LOGO_FILE));
	const char *url = json_string_value(json_object_get(s, "logo_url"));
	if (file && *file)
		return arena_printf(req->arena, "/logo?v=%.12s", file);
	return url && *url ? arena_strdup(req->arena, url) : NULL;
}

static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	bool valid;
	int64_t version, read_at;   /* the content version (0: unknown) and time of the read */
	char *name, *logo;          /* NULL: none */
} kept;

void page_site_forget(void)
{
	pthread_mutex_lock(&kept_lock);
	kept.valid = false;
	pthread_mutex_unlock(&kept_lock);
}

/* The kept footer as a model, when it may be used for this request. */
static json_t *kept_model(struct req *req)
{
	json_t *o = NULL;
	pthread_mutex_lock(&kept_lock);
	bool fresh = kept.valid && (req->content_version ? kept.version == req->content_version
							 : req->now - kept.read_at < SITE_KEEP_SECONDS && req->now >= kept.read_at);
	if (fresh) {
		o = json_object();
		if (kept.name)
			jset_str(o, "name", kept.name);
		jset(o, "logo", kept.logo ? json_string(kept.logo) : json_null());
	}
	pthread_mutex_unlock(&kept_lock);
	return o;
}

static void keep(struct req *req, const char *name, const char *logo)
{
	char *n = name ? strdup(name) : NULL, *l = logo ? strdup(logo) : NULL;
	if ((name && !n) || (logo && !l)) {   /* out of memory: nothing kept */
		free(n);
		free(l);
		return;
	}
	pthread_mutex_lock(&kept_lock);
	free(kept.name);
	free(kept.logo);
	kept.name = n;
	kept.logo = l;
	kept.version = req->content_version;
	kept.read_at = req->now;
	kept.valid = true;
	pthread_mutex_unlock(&kept_lock);
}

json_t *page_site_model(struct req *req)
{
	json_t *o = kept_model(req);
	if (o)
		return o;
	json_t *s = req->db ? settings_read(req->db) : NULL;
	if (!s) {
		if (req->db && !db_broken(req->db))   /* a lost connection is logged where it broke */
			log_error("%s: the settings could not be read; the footer goes without them", req->path);
		return json_object();
	}
	o = json_object();
	const char *name = json_string_value(json_object_get(s, "city_name"));
	if (name && *name)
		jset_str(o, "name", name);
	const char *logo = logo_src(req, s);
	jset(o, "logo", logo ? json_string(logo) : json_null());
	keep(req, name && *name ? name : NULL, logo);
	json_decref(s);
	return o;
}

void page_logo_show(struct req *req, struct resp *resp)
{
	json_t *s = settings_read(req->db);
	if (!s) {
		resp_internal_error(req, resp);
		return;
	}
	const char *sha = arena_strdup(req->arena, json_string_value(json_object_get(s, SETTING_LOGO_FILE)));
	const char *type = arena_strdup(req->arena, json_string_value(json_object_get(s, SETTING_LOGO_TYPE)));
	json_decref(s);
	if (!filestore_sha_valid(sha)) {
		page_not_found(req, resp);
		return;
	}
	if (req->json) {
		resp_page(resp, 200, NULL, NULL, json_pack("{ss ss ss}", "url", arena_printf(req->arena, "/logo?v=%.12s", sha),
							   "type", type, "sha256", sha));
		return;
	}
	int64_t size = 0;
	int fd = filestore_open(req->app->files_dir, sha, &size);
	if (fd < 0) {
		log_error("logo %s: the file is missing from the file store", sha);
		page_not_found(req, resp);
		return;
	}
	resp_file(resp, fd, size, type, arena_printf(req->arena, "\"%s\"", sha), NULL);
}
