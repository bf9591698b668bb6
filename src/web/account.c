/* Register, confirm, log in, log out, profile. The domain (domain/account.c)
 * decides; these handlers only translate between forms/JSON and its answers. */
#include "web/handlers.h"
#include "core/clock.h"
#include "domain/account.h"
#include "domain/session.h"
#include "web/i18n.h"
#include "domain/user.h"
#include <string.h>


static const char *const register_fields[] = { "email", "name", NULL };
static const char *const login_fields[] = { "email", "next", NULL };

static const struct form_field register_form[] = {
	{ "email", N_("E-mail address"), 0, 0, NULL },
	{ "name", N_("Display name"), NAME_MIN, NAME_MAX, NULL },
	{ "password", N_("Password"), 0, 0, NULL },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct form_field login_form[] = {
	{ "email", N_("E-mail address"), 0, 0, NULL },
	{ "password", N_("Password"), 0, 0, NULL },
	{ NULL, NULL, 0, 0, NULL },
};

/* Only local paths are followed after login, never another site. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 512)
		return "/";
	/* no spaces or control characters: browsers drop tabs, so "/\t/x" would be "//x" */
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7F)
			return "/";
	return next;
}

json_t *page_user_json(const struct user *u, const char *lang)
{
	char since[32], iso[32];
	clock_format_date(u->created_at, lang, since, sizeof since);
	clock_format_iso(u->created_at, iso, sizeof iso);
	return json_pack("{sI ss ss ss ss ss ss ss}", "id", (json_int_t)u->id, "email", u->email, "name", u->name,
			 "role", u->role, "role_label", role_label(lang, u->role), "lang", u->lang,
			 "member_since", since, "created_at", iso);
}

void page_register_form(struct req *req, struct resp *resp)
{
	json_t *model = json_object();
	form_model(req, model, register_fields);
	json_object_set_new(model, "input", form_input(req, NULL, register_form));
	resp_page(resp, 200, "register", N_("Register"), model);
}

void page_register_submit(struct req *req, struct resp *resp)
{
	struct field_errors fe = { 0 };
	int rc = account_register(req->db, req_arg(req, "email"), req_arg(req, "name"),
				  req_arg(req, "password"), req->lang, req->app->base_url, &fe);
	if (rc == ACCOUNT_INVALID) {
		json_t *model = json_object();
		form_model(req, model, register_fields);
		json_object_set_new(model, "input", form_input(req, NULL, register_form));
		resp->title = N_("Register");
		resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), &fe, "register", model);
		return;
	}
	if (rc != ACCOUNT_OK) {
		resp_internal_error(req, resp);
		return;
	}
	/* The same answer whether or not the address already had an account. */
	resp_redirect(resp, "/login?registered=1", 202, json_pack("{ss}", "status", "confirmation_sent"));
}

void page_confirm_form(struct req *req, struct resp *resp)
{
	json_t *model = json_pack("{ss}", "token", req_arg(req, "token") ? req_arg(req, "token") : "");
	form_model(req, model, NULL);
	resp_page(resp, 200, "confirm", N_("Confirm your e-mail address"), model);
}

void page_confirm_submit(struct req *req, struct resp *resp)
{
	int rc = account_confirm(req->db, req_arg(req, "token"), req->now);
	if (rc == ACCOUNT_OK) {
		resp_redirect(resp, "/login?confirmed=1", 200, json_pack("{sb}", "confirmed", 1));
		return;
	}
	if (rc == ACCOUNT_INVALID) {
		/* most often a link used twice: say what to do next */
		resp->title = N_("This link has been used already");
		resp_error(req, resp, 422, "invalid_token",
			   N_("This confirmation link has been used already, or it has expired."),
			   NULL, "confirm_used", json_object());
		return;
	}
	resp_internal_error(req, resp);
}

static json_t *login_model(struct req *req)
{
	json_t *model = json_pack("{sb sb}", "registered", req_arg(req, "registered") != NULL,
				  "confirmed", req_arg(req, "confirmed") != NULL);
	form_model(req, model, login_fields);
	json_object_set_new(model, "input", form_input(req, NULL, login_form));
	if (!kv_get(&req->form, "next") && kv_get(&req->query, "next"))
		json_object_set_new(json_object_get(model, "form"), "next",
				    json_string(safe_next(kv_get(&req->query, "next"))));
	return model;
}

void page_login_form(struct req *req, struct resp *resp)
{
	resp_page(resp, 200, "login", N_("Log in"), login_model(req));
}

void page_login_submit(struct req *req, struct resp *resp)
{
	struct user u;
	char token[TOKEN_LEN + 1];
	int retry = 0;
	resp->title = N_("Log in");
	/* an empty field is named: nothing to check, nothing counted against the address */
	struct field_errors fe = { 0 };
	const char *email = req_arg(req, "email"), *password = req_arg(req, "password");
	if (!email || !email[strspn(email, " \t")])
		field_error(&fe, "email", "required");
	if (!password || !*password)
		field_error(&fe, "password", "required");
	if (fe.count) {
		resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), &fe, "login",
			   login_model(req));
		return;
	}
	int rc = account_login(req->db, req->arena, req_arg(req, "email"), req_arg(req, "password"),
			       req->ip, req->user_agent, req->now, &u, token, &retry);
	switch (rc) {
	case ACCOUNT_OK: {
		struct session s;
		if (session_lookup(req->db, req->arena, token, req->now, &s) != 1)
			break;    /* not read back: the failure is answered, the unused session expires */
		resp_cookie(resp, arena_printf(req->arena, PAGE_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s",
					       token, (long long)session_lifetime(u.role),
					       req->app->secure_cookies ? "; Secure" : ""));
		json_t *model = json_pack("{so ss}", "user", page_user_json(&u, req->lang), "csrf", s.csrf);
		resp_redirect(resp, safe_next(req_arg(req, "next")), 200, model);
		return;
	}
	case ACCOUNT_DENIED:
		resp_error(req, resp, 401, "invalid_credentials", N_("E-mail address or password is not correct."),
			   NULL, "login", login_model(req));
		return;
	case ACCOUNT_BLOCKED: {   /* the password was right: the person may know why */
		json_t *model = login_model(req);
		json_object_set_new(model, "blocked", json_pack("{ss}", "reason", u.blocked_reason ? u.blocked_reason : ""));
		resp_error(req, resp, 403, "blocked",
			   N_("Your account has been blocked by the un:box team, so you cannot log in. If you think this is a mistake, please write to the un:box team: you find how to reach it under “Kontakt” at the foot of every page."), NULL, "login", model);
		return;
	}
	case ACCOUNT_UNCONFIRMED: {   /* the way to a new link when the first is lost or expired */
		int sent = account_confirm_again(req->db, &u, req->now, req->app->base_url);
		if (sent < 0)
			break;
		resp_error(req, resp, 403, "unconfirmed",
			   sent ? N_("Please confirm your e-mail address first. We have just sent you a new link: please open it.")
				: N_("Please confirm your e-mail address first: open the link we sent you."),
			   NULL, "login", login_model(req));
		return;
	}
	case ACCOUNT_THROTTLED:
		resp->retry_after = retry;
		resp_error(req, resp, 429, "too_many_attempts",
			   N_("Too many attempts. Please wait a few minutes and try again."), NULL, "login", login_model(req));
		return;
	}
	resp_internal_error(req, resp);
}

void page_logout_submit(struct req *req, struct resp *resp)
{
	if (req->session && session_end(req->db, req->session_token) != DB_OK) {
		resp_internal_error(req, resp);   /* the session lives on: do not say it ended */
		return;
	}
	resp_cookie(resp, arena_printf(req->arena, PAGE_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
				       req->app->secure_cookies ? "; Secure" : ""));
	resp_redirect(resp, "/", 200, json_pack("{sb}", "logged_out", 1));
}

void page_session_show(struct req *req, struct resp *resp)
{
	req->json = true;
	resp_page(resp, 200, NULL, NULL, json_pack("{so ss}",
		"user", req->session ? page_user_json(&req->session->user, req->lang) : json_null(),
		"csrf", req->csrf ? req->csrf : ""));
}
