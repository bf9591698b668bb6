/* The information pages: Impressum, Datenschutzerklärung, Erklärung zur
 * Barrierefreiheit, Kontakt, and un:box explained in plain language and in
 * Leichte Sprache. Their texts are written by the team (texts.c); a page
 * not written in English yet shows the German text, marked as German. */
#include "web/portal/handlers.h"
#include "core/jsonx.h"
#include "domain/portal/infotext.h"
#include "domain/settings.h"
#include "web/handlers.h"
#include <string.h>

/* The titles a page has before the team has written it. */
static const char *default_title(const char *slug)
{
	static const struct { const char *slug, *title; } titles[] = {
		{ "impressum", N_("Legal notice") },
		{ "datenschutz", N_("Privacy policy") },
		{ "barrierefreiheit", N_("Accessibility statement") },
		{ "kontakt", N_("Contact") },
		{ "about", N_("What is un:box?") },
		{ "leichte-sprache", "un:box in Leichter Sprache" },
	};
	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (strcmp(titles[i].slug, slug) == 0)
			return titles[i].title;
	return "un:box";
}

/* How to reach the team, from the settings: {name, address_lines [..],
 * phone, phone_href, email} with what is set; NULL when the database failed. */
static json_t *contact_block(struct req *req)
{
	json_t *s = settings_read(req->db);
	if (!s)
		return NULL;
	json_t *c = json_object();
	const char *name = json_string_value(json_object_get(s, "city_name"));
	const char *address = json_string_value(json_object_get(s, "contact_address"));
	const char *phone = json_string_value(json_object_get(s, "contact_phone"));
	const char *email = json_string_value(json_object_get(s, "contact_email"));
	if (*name)
		jset_str(c, "name", name);
	json_t *lines = json_array();
	for (const char *p = address; *p; ) {
		size_t n = strcspn(p, "\r\n");
		if (n)
			json_array_append_new(lines, json_stringn(p, n));
		p += n;
		p += strspn(p, "\r\n");
	}
	jset(c, "address_lines", lines);
	if (*phone) {
		jset_str(c, "phone", phone);
		char href[64];
		size_t k = 0;
		for (const char *p = phone; *p && k + 1 < sizeof href; p++)   /* tel:+492212210 */
			if ((*p >= '0' && *p <= '9') || (*p == '+' && k == 0))
				href[k++] = *p;
		href[k] = '\0';
		jset_str(c, "phone_href", href);
	}
	if (*email)
		jset_str(c, "email", email);
	jset(c, "has_any", json_boolean(*name || *address || *phone || *email));
	json_decref(s);
	return c;
}

void page_info_show(struct req *req, struct resp *resp)
{
	const struct infotext_page *p = infotext_page_by_path(req->path);
	if (!p) {
		page_not_found(req, resp);
		return;
	}
	const char *lang = p->german_only ? "de" : req->lang;
	json_t *text = NULL;
	int found = infotext_get(req->db, p->slug, lang, req->lang, &text);
	bool fallback = false;
	if (found == 0 && strcmp(lang, "de") != 0) {   /* not written in English yet: the German text */
		found = infotext_get(req->db, p->slug, "de", req->lang, &text);
		fallback = found == 1;
		lang = "de";
	}
	if (found < 0) {
		resp_internal_error(req, resp);
		return;
	}
	json_t *model = json_object();
	json_t *info = json_object();
	jset_str(info, "slug", p->slug);
	jset_str(info, "path", p->path);
	jset_str(info, "lang", lang);
	jset(info, "german_only", json_boolean(p->german_only));
	jset(info, "fallback", json_boolean(fallback));
	jset(model, "info", info);
	jset(model, "text", found ? text : json_null());
	if (strcmp(p->slug, "kontakt") == 0 || strcmp(p->slug, "impressum") == 0) {
		json_t *c = contact_block(req);
		if (!c) {
			json_decref(model);
			resp_internal_error(req, resp);
			return;
		}
		jset(model, "contact", c);
	}
	if (!req->json) {
		/* the parts only the page has: links between the plain and the easy
		 * version, the way to report a barrier, the team's edit link */
		if (strcmp(p->slug, "about") == 0) {
			jset_str(model, "easy_url", "/leichte-sprache");
			if (strcmp(req->lang, "en") == 0)
				jset_str(model, "easy_hint", T(req, N_("(easy-to-read German)")));
		}
		if (strcmp(p->slug, "leichte-sprache") == 0) {
			jset(model, "easy", json_true());
			jset_str(model, "plain_url", "/about");
		}
		if (strcmp(p->slug, "barrierefreiheit") == 0)
			jset_str(model, "feedback_url", "/barrierefreiheit/feedback");
		if (req_is_team(req))
			jset_str(model, "edit_url", arena_printf(req->arena, "/texts/edit?page=%s&language=%s", p->slug,
								 p->german_only ? "de" : req->lang));
		jset_str(model, "default_title", T(req, default_title(p->slug)));
	}
	const char *title = found ? arena_strdup(req->arena, json_string_value(json_object_get(text, "title")))
				  : default_title(p->slug);
	resp_page(resp, 200, "portal/info", title, model);
}
