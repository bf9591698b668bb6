#include "http/server.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/cookie.h"
#include "core/escape.h"
#include "core/log.h"
#include "domain/token.h"
#include "domain/content.h"
#include "http/cache.h"
#include "http/conns.h"
#include "db/db_pool.h"
#include "http/router.h"
#include "http/static.h"
#include "http/upload.h"
#include "web/handlers.h"
#include "web/i18n.h"
#include "web/view.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define API_PREFIX "/api/v1"
#define URI_MAX 4096
#define SESSION_COOKIE "unbox_session"
#define CSRF_COOKIE "unbox_csrf"
#define LANG_COOKIE "unbox_lang"
#define UPLOAD_FORM_MAX (64 * 1024)   /* a body of an upload route that is not multipart */

static const char security_csp[] =
	"default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/* ---- per-thread resources: an arena and a database connection ---- */

struct worker {
	struct arena *arena;
	bool in_request;            /* jansson allocates from the arena */
	struct worker *next;
};

static pthread_mutex_t workers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct worker *workers;
static _Thread_local struct worker *self;
/* The primary database and the optional read replicas. A GET goes to a
 * replica unless the client wrote within RECENT_WRITE seconds (the
 * unbox_rw cookie holds the time of its last write): read-your-writes. */
#define RECENT_WRITE 5
#define POOL_WAIT_MS 5000
#define RW_COOKIE "unbox_rw"
static char trusted_proxies[512];   /* comma-separated addresses */
static struct db_pool *primary;
static struct db_pool **replicas;
static int nreplicas;
static atomic_uint next_replica;

/* View models are built and dropped within one request, with many small
 * jansson allocations. While a worker handles a request they come from its
 * arena (freed all at once by the next reset); elsewhere from the heap. A
 * header in front of each block says which, so free() can tell. */
struct json_block {
	size_t on_heap;
	size_t pad;                 /* keeps the block 16-byte aligned */
};

static void *json_block_alloc(size_t n)
{
	struct json_block *b;
	if (self && self->in_request) {
		b = arena_alloc(self->arena, sizeof *b + n);
		b->on_heap = 0;
	} else {
		b = malloc(sizeof *b + n);
		if (!b)
			return NULL;
		b->on_heap = 1;
	}
	return b + 1;
}

static void json_block_free(void *p)
{
	if (!p)
		return;
	struct json_block *b = (struct json_block *)p - 1;
	if (b->on_heap)
		free(b);
}

static struct worker *worker_get(void)
{
	if (self)
		return self;
	struct worker *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->arena = arena_new(64 * 1024);
	pthread_mutex_lock(&workers_lock);
	w->next = workers;
	workers = w;
	pthread_mutex_unlock(&workers_lock);
	self = w;
	return w;
}

static void workers_free(void)
{
	while (workers) {
		struct worker *w = workers;
		workers = w->next;
		arena_free(w->arena);
		free(w);
	}
}

/* ---- per-request state, from the first callback to completion ---- */

struct request_state {
	bool uri_too_long;
	int64_t start_us;
	const struct route *route;
	enum match match;
	const char *params[4];
	char param_buf[4][24];
	struct buf body;
	bool body_too_big;
	struct upload *upload;      /* a multipart/form-data body of an upload route, streamed */
	uint64_t body_bytes;        /* of it so far */
	bool counted;
	const char *cache_key;      /* set when the answer may be stored in the page cache */
	int64_t cache_version;
	enum MHD_Result cache_hit;  /* what queueing the cached answer returned */
	/* while a handler thread works on it (the connection is suspended) */
	bool queued;
	struct MHD_Connection *conn;
	const char *method, *url;   /* MHD keeps them until the request completes */
	struct request_state *next_job;
	struct MHD_Response *answer; /* what the handler answered, queued once resumed */
	unsigned answer_status;
	bool close_after;           /* the answer ends the connection (the body was not read) */
	char uri[];                 /* path and query as sent ("" when too long) */
};

static atomic_int inflight;
static const struct app *the_app;
static bool access_log_on;
static bool page_cache_on;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	size_t n = strlen(uri);
	bool too_long = n >= URI_MAX;
	struct request_state *st = calloc(1, sizeof *st + (too_long ? 1 : n + 1));
	if (!st)
		return NULL;
	st->uri_too_long = too_long;
	if (!too_long)
		memcpy(st->uri, uri, n + 1);
	st->start_us = clock_mono_us();
	buf_init(&st->body, 1);
	conns_head_begins(c);
	return st;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct request_state *st = *con_cls;
	conns_request_done(c);
	if (!st)
		return;
	if (st->counted)
		atomic_fetch_sub(&inflight, 1);
	if (st->answer)
		MHD_destroy_response(st->answer);
	upload_free(st->upload);   /* temporary files the handler did not keep go */
	buf_free(&st->body);
	free(st);
	*con_cls = NULL;
}

/* ---- responses ---- */

static void add_security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy", security_csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

/* Hands r over as the answer: queued at once on the connection's own thread,
 * or kept for it when a handler thread made it (queued when resumed). */
static enum MHD_Result answer(struct MHD_Connection *c, struct request_state *st, int status, struct MHD_Response *r)
{
	if (st && st->queued) {
		st->answer = r;
		st->answer_status = (unsigned)status;
		return MHD_YES;
	}
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static void access_line(const char *method, const char *uri, int status, size_t bytes, int64_t start_us)
{
	if (!access_log_on)
		return;
	/* the path only: query strings may carry tokens */
	const char *q = strchr(uri, '?');
	int plen = q ? (int)(q - uri) : (int)strlen(uri);
	log_info("%s %.*s %d %zu %lldus", method, plen, uri, status, bytes,
		 (long long)(clock_mono_us() - start_us));
}

/* A response whose body outlives it (a literal, a static file): MHD keeps a
 * pointer to it. libmicrohttpd before 0.9.77 takes such a buffer only as a
 * void *; its iovec call takes const data and keeps a pointer as well. */
static struct MHD_Response *response_persistent(const void *data, size_t len)
{
#if MHD_VERSION >= 0x00097701
	return MHD_create_response_from_buffer_static(len, data);
#else
	const struct MHD_IoVec iov = { .iov_base = data, .iov_len = len };
	return MHD_create_response_from_iovec(&iov, 1, NULL, NULL);
#endif
}

/* The server's own answers, before or instead of a handler. */
struct server_error {
	int status;
	const char *code;
	const char *title;          /* the page's heading (msgid) */
	const char *message;        /* the alert on the page (msgid) */
	const char *json_message;   /* the envelope's message (msgid); NULL: message */
	const char *detail;         /* a paragraph below the alert (msgid), or NULL */
	bool back_to_form;          /* a link back to the page the form was sent from */
	bool close;                 /* Connection: close, for a body that is not read */
	int retry_after;            /* seconds, or 0 */
};

static const struct server_error too_large = {
	413, "too_large", N_("Too much at once"),
	N_("What you sent is longer than this form accepts, so nothing of it was saved."),
	N_("The request is larger than this address accepts."),
	/* one literal: the catalogues' check reads each N_ call as one string */
	N_("Each field states how long its text may be. A text that is too long is normally pointed out there, and everything you typed is kept. This time the form as a whole was too big to be read at all. Go back, shorten the longest text and send the form again: your browser often still shows what you typed."),
	true, true, 0,
};
static const struct server_error uri_too_long = {
	414, "uri_too_long", N_("Address too long"),
	N_("This address is too long. Please follow a link or use the search instead."), NULL, NULL, false, true, 0,
};
static const struct server_error unavailable = {
	503, "unavailable", N_("Briefly unavailable"),
	N_("The service is briefly unavailable. Please try again in a moment."), NULL, NULL, false, false, 5,
};
static const struct server_error database_unavailable = {
	503, "database_unavailable", N_("Briefly unavailable"),
	N_("The service is briefly unavailable. Please try again in a moment."), NULL, NULL, false, false, 5,
};
static const struct server_error internal_error = {
	500, "internal", N_("Something went wrong"),
	N_("Something went wrong on our side. Please try again."), NULL, NULL, false, false, 0,
};

static bool wants_json(struct MHD_Connection *c);

/* A JSON client: /api/v1/… or Accept: application/json. */
static bool json_client(struct MHD_Connection *c, const char *url)
{
	return strncmp(url, API_PREFIX "/", sizeof API_PREFIX) == 0 || wants_json(c);
}

static enum MHD_Result send_error(struct MHD_Connection *c, struct request_state *st, const char *method,
				  const char *url, const struct server_error *e);

/* When not even the error page can be made (no memory, a template that fails):
 * the same answer in English without the layout, from a buffer on the stack. */
static enum MHD_Result send_fallback(struct MHD_Connection *c, struct request_state *st, const char *method,
				     bool json, const struct server_error *e)
{
	char body[1024];
	/* our own literals: nothing to escape */
	int n = json ? snprintf(body, sizeof body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"fields\":{}}}\n",
				e->code, e->json_message ? e->json_message : e->message)
		     : snprintf(body, sizeof body, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
				"<title>%s – un:box</title></head><body><main><h1>%s</h1><p>%s</p>"
				"<p><a href=\"/\">Back to the start page</a></p></main></body></html>\n",
				e->title, e->title, e->message);
	size_t len = n < 0 ? 0 : (size_t)n >= sizeof body ? sizeof body - 1 : (size_t)n;
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", json ? "application/json" : "text/html; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	add_security_headers(r);
	if (e->close)
		MHD_add_response_header(r, "Connection", "close");
	enum MHD_Result ret = answer(c, st, e->status, r);
	access_line(method, st ? st->uri : "?", e->status, len, st ? st->start_us : clock_mono_us());
	return ret;
}

static enum MHD_Result send_static(struct MHD_Connection *c, struct request_state *st, const char *method,
				   const char *path)
{
	const struct static_file *f = static_find(path);
	if (!f)
		return MHD_NO;
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	bool fresh = inm && strcmp(inm, f->etag) == 0;
	struct MHD_Response *r = fresh ? response_persistent("", 0) : response_persistent(f->data, f->len);
	MHD_add_response_header(r, "Content-Type", f->content_type);
	MHD_add_response_header(r, "ETag", f->etag);
	MHD_add_response_header(r, "Cache-Control", "public, max-age=31536000");
	add_security_headers(r);
	int status = fresh ? 304 : 200;
	enum MHD_Result ret = answer(c, st, status, r);
	access_line(method, st->uri, status, fresh ? 0 : f->len, st->start_us);
	return ret;
}

/* ---- the pipeline ---- */

static bool wants_json(struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
	if (!accept)
		return false;
	const char *j = strstr(accept, "application/json");
	const char *h = strstr(accept, "text/html");
	return j && (!h || j < h);
}

/* Top-level string, number and boolean members of a JSON object become form fields. */
/* One JSON value as the text of a form field: strings as they are, numbers
 * in decimal, true as "1"; *skip for false and null (a field not sent).
 * NULL for what a form field cannot hold (an object or an array). */
static const char *json_field_text(struct req *req, json_t *v, bool *skip)
{
	*skip = json_is_false(v) || json_is_null(v);
	if (json_is_string(v))
		return arena_strdup(req->arena, json_string_value(v));
	if (json_is_integer(v))
		return arena_printf(req->arena, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_real(v))
		return arena_printf(req->arena, "%.15g", json_real_value(v));
	if (json_is_true(v))
		return "1";
	return *skip ? "" : NULL;
}

/* The top-level fields of a JSON object body into req->form; an array of
 * strings or numbers becomes the same field repeated, as check boxes send
 * it. 0, -1 when the body is no JSON object, -2 when a field holds a value
 * no form field can (an object, or an array of such): *bad names it. */
static int json_to_form(struct req *req, const char *body, size_t len, const char **bad)
{
	json_error_t jerr;
	json_t *obj = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(obj)) {
		json_decref(obj);
		return -1;
	}
	const char *key;
	json_t *v;
	int rc = 0;
	json_object_foreach(obj, key, v) {
		bool skip;
		size_t n = json_is_array(v) ? json_array_size(v) : 1;
		for (size_t i = 0; i < n && rc == 0; i++) {
			json_t *item = json_is_array(v) ? json_array_get(v, i) : v;
			const char *s = json_field_text(req, item, &skip);
			if (!s || (skip && json_is_array(v))) {
				*bad = arena_strdup(req->arena, key);
				rc = -2;
			} else if (!skip && req->form.count < FORM_MAX_FIELDS) {
				kv_add(req->arena, &req->form, arena_strdup(req->arena, key), s);
			}
		}
		if (rc)
			break;
	}
	json_decref(obj);
	return rc;
}

static const char *lang_cookie(struct req *req, const char *cookies, struct resp *resp)
{
	const char *choice = kv_get(&req->query, "lang");
	if (choice && (strcmp(choice, "de") == 0 || strcmp(choice, "en") == 0)) {
		resp_cookie(resp, arena_printf(req->arena, LANG_COOKIE "=%s; Path=/; SameSite=Lax; Max-Age=31536000",
					       choice));
		return choice;
	}
	return cookie_get(req->arena, cookies, LANG_COOKIE);
}

/* Everything between the route match and the handler. Returns false when
 * it already answered (resp filled). */
static bool prepare(struct MHD_Connection *c, struct request_state *st, struct req *req, struct resp *resp)
{
	const char *cookies = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	const char *choice = lang_cookie(req, cookies, resp);
	const char *token = cookie_get(req->arena, cookies, SESSION_COOKIE);
	static struct session none;
	struct session *s = arena_alloc(req->arena, sizeof *s);
	*s = none;
	int found = token ? session_lookup(req->db, req->arena, token, req->now, s) : 0;
	if (found > 0) {
		req->session = s;
		req->session_token = token;
		req->csrf = s->csrf;
		/* "last used" on the profile: a write every few minutes at most, never on a replica */
		if (!req->read_only && session_touch(req->db, s, req->now) != DB_OK)
			log_warn("session %lld: last use not recorded", (long long)s->id);
	}
	req->lang = i18n_pick(choice ? choice : req->session ? req->session->user.lang : NULL,
			      MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"),
			      req->app->default_lang);
	if (found < 0) {   /* who is asking is unknown: neither a visitor's page nor a refusal is right */
		resp_internal_error(req, resp);
		return false;
	}
	if (!req->csrf) {
		const char *anon = cookie_get(req->arena, cookies, CSRF_COOKIE);
		if (anon && token_well_formed(anon)) {
			req->csrf = anon;
		} else {
			char *t = arena_alloc(req->arena, TOKEN_LEN + 1);
			token_new(t);
			req->csrf = t;
			req->csrf_cookie = arena_printf(req->arena, CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax%s",
							t, req->app->secure_cookies ? "; Secure" : "");
		}
	}

	if (st->route->roles) {
		if (!req->session) {
			if (req->json) {
				resp_error(req, resp, 401, "login_required", N_("Please log in first."), NULL, NULL, NULL);
			} else {
				struct buf b;
				buf_init(&b, 8192);
				buf_puts(&b, "/login?next=");
				url_encode(&b, st->uri, strlen(st->uri));
				resp_redirect(resp, arena_strdup(req->arena, b.data), 401, NULL);
				buf_free(&b);
			}
			return false;
		}
		if (!router_allows(st->route, req->session->user.role)) {
			resp_error(req, resp, 403, "forbidden", N_("You are not allowed to do this."), NULL, NULL, NULL);
			return false;
		}
	}

	if (st->upload) {
		switch (upload_finish(st->upload)) {
		case UPLOAD_OK:
			break;
		case UPLOAD_BAD:
			resp_error(req, resp, 400, "bad_request", N_("The request body could not be read."), NULL, NULL,
				   NULL);
			return false;
		case UPLOAD_TOO_BIG:
			resp_error(req, resp, 413, "too_large", N_("The form's text fields are too long."), NULL, NULL,
				   NULL);
			return false;
		case UPLOAD_FAILED:
			log_error("upload: cannot write a temporary file in %s/tmp", req->app->files_dir);
			resp_internal_error(req, resp);
			return false;
		}
		upload_to_req(st->upload, req->arena, &req->form, &req->files, &req->nfiles);
	} else if (st->route->body_max) {
		const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
		const char *body = st->body.data ? st->body.data : "";
		int rc;
		const char *bad = NULL;
		if (type && strncmp(type, "application/json", 16) == 0)
			rc = st->body.len ? json_to_form(req, body, st->body.len, &bad) : 0;
		else if (!type || strncmp(type, "application/x-www-form-urlencoded", 33) == 0)
			rc = form_parse(req->arena, body, st->body.len, FORM_MAX_FIELDS, &req->form);
		else {
			resp_error(req, resp, 415, "unsupported_media_type",
				   st->route->flags & ROUTE_UPLOAD
				   ? N_("Send a form (multipart/form-data or application/x-www-form-urlencoded) or JSON.")
				   : N_("Send a form (application/x-www-form-urlencoded) or JSON."), NULL, NULL, NULL);
			return false;
		}
		if (rc == -2) {   /* named, so the client knows what to send instead */
			struct field_errors fe = { 0 };
			field_error(&fe, bad, "not_a_value");
			resp_error(req, resp, 422, "validation",
				   N_("A field holds an object or a list of them; send text, a number, true or false, or a list of these."),
				   &fe, NULL, NULL);
			return false;
		}
		if (rc < 0) {
			resp_error(req, resp, 400, "bad_request", N_("The request body could not be read."), NULL, NULL, NULL);
			return false;
		}
	}

	if (strcmp(req->method, "POST") == 0 && !(st->route->flags & ROUTE_NO_CSRF)) {
		const char *sent = kv_get(&req->form, "_csrf");
		if (!sent)
			sent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
		if (!sent || !token_equal(sent, req->csrf)) {
			resp_error(req, resp, 403, "csrf",
				   N_("This form has expired. Please reload the page and send it again."), NULL, NULL, NULL);
			return false;
		}
	}
	return true;
}

/* The methods a path answers to, for the Allow header a 405 must carry. */
static void allow_list(struct req *req, char *out, size_t cap)
{
	out[0] = '\0';
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *r;
		const char *p[4] = { 0 };
		if (strstr(out, routes[i].method) ||
		    router_match(req->arena, routes[i].method, req->path, &r, p) != MATCH_OK)
			continue;
		snprintf(out + strlen(out), cap - strlen(out), "%s%s%s", out[0] ? ", " : "", routes[i].method,
			 strcmp(routes[i].method, "GET") == 0 ? ", HEAD" : "");
	}
}

static enum MHD_Result respond(struct MHD_Connection *c, struct request_state *st, struct req *req,
			       struct resp *resp);

/* A download (resp_file): the file streamed from its descriptor, or 304
 * when the client holds it already (If-None-Match names its ETag). */
static enum MHD_Result respond_file(struct MHD_Connection *c, struct request_state *st, struct req *req,
				    struct resp *resp)
{
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	bool fresh = resp->etag && inm && strcmp(inm, resp->etag) == 0;
	int status = fresh ? 304 : 200;
	struct MHD_Response *r = NULL;
	if (!fresh)   /* MHD closes the descriptor with the response */
		r = MHD_create_response_from_fd64((uint64_t)resp->file_size, resp->file_fd);
	if (fresh || !r) {
		close(resp->file_fd);
		if (!r && !fresh) {
			log_error("download: cannot answer with a file");
			resp->has_file = false;
			json_decref(resp->model);
			*resp = (struct resp){ 0 };
			resp_internal_error(req, resp);
			return respond(c, st, req, resp);
		}
		r = response_persistent("", 0);
	}
	resp->has_file = false;
	MHD_add_response_header(r, "Content-Type", resp->content_type ? resp->content_type : "application/octet-stream");
	if (resp->disposition)
		MHD_add_response_header(r, "Content-Disposition", resp->disposition);
	if (resp->etag)
		MHD_add_response_header(r, "ETag", resp->etag);
	/* revalidated every time: the file's target may be hidden meanwhile */
	MHD_add_response_header(r, "Cache-Control", "private, no-cache");
	add_security_headers(r);
	MHD_add_response_header(r, "Content-Security-Policy", "sandbox");
	for (int i = 0; i < resp->ncookies; i++)
		MHD_add_response_header(r, "Set-Cookie", resp->cookies[i]);
	if (req->csrf_cookie && !req->session)
		MHD_add_response_header(r, "Set-Cookie", req->csrf_cookie);
	enum MHD_Result ret = answer(c, st, status, r);
	access_line(req->method, st->uri, status, fresh || !strcmp(req->method, "HEAD") ? 0 : (size_t)resp->file_size,
		    st->start_us);
	return ret;
}

/* A file answer that is not sent after all: its descriptor is closed. */
static void drop_file(struct resp *resp)
{
	if (resp->has_file)
		close(resp->file_fd);
	resp->has_file = false;
}

static enum MHD_Result respond(struct MHD_Connection *c, struct request_state *st, struct req *req,
			       struct resp *resp)
{
	if (resp->has_file && !req->json)
		return respond_file(c, st, req, resp);
	drop_file(resp);
	int status = resp->status ? resp->status : 200;
	struct buf out;
	buf_init(&out, 16 << 20);
	buf_reserve(&out, 32 * 1024);   /* most pages fit: no regrowth */
	const char *type = "text/plain; charset=utf-8";
	bool redirect = resp->location && !req->json;
	if (redirect) {
		status = resp->status == 301 ? 301 : 303;   /* 301: a merged idea's page (web/merge.c) */
	} else if (view_render(req, resp, &out, &type) < 0) {
		log_error("render failed for %s %s", req->method, req->path);
		/* the error page instead; when that fails as well, the fallback */
		buf_clear(&out);
		out.overflow = false;
		struct resp failed = { 0 };
		resp_internal_error(req, &failed);
		int rc = view_render(req, &failed, &out, &type);
		json_decref(failed.model);
		if (rc < 0) {
			buf_free(&out);
			return send_fallback(c, st, req->method, req->json, &internal_error);
		}
		status = 500;
	}
	if (st->cache_key && status == 200 && !redirect && !out.overflow)
		cache_put(st->cache_key, st->cache_version, req->now, out.data ? out.data : "", out.len, type);
	size_t len = out.len;
	char *data = buf_detach(&out, &len);
	struct MHD_Response *r = data ? MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE)
				      : response_persistent("", 0);
	MHD_add_response_header(r, "Content-Type", type);
	add_security_headers(r);
	if (!resp->body)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	if (redirect || (resp->location && status == 201))
		MHD_add_response_header(r, "Location", resp->location);
	if (status == 405) {
		char allow[64];
		allow_list(req, allow, sizeof allow);
		MHD_add_response_header(r, "Allow", allow);
	}
	if (st->close_after)
		MHD_add_response_header(r, "Connection", "close");
	if (resp->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", resp->retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	for (int i = 0; i < resp->ncookies; i++)
		MHD_add_response_header(r, "Set-Cookie", resp->cookies[i]);
	if (req->csrf_cookie && !req->session)
		MHD_add_response_header(r, "Set-Cookie", req->csrf_cookie);
	if (strcmp(req->method, "HEAD") == 0)
		len = 0;
	enum MHD_Result ret = answer(c, st, status, r);
	access_line(req->method, st->uri, status, len, st->start_us);
	return ret;
}

/* A page the form was sent from, from the Referer when it names this site
 * (the Host asked for, or base_url), or NULL. */
static const char *referer_path(struct MHD_Connection *c, struct arena *a)
{
	const char *ref = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Referer");
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	if (!ref)
		return NULL;
	const char *path = NULL;
	size_t bl = strlen(the_app->base_url);
	while (bl && the_app->base_url[bl - 1] == '/')
		bl--;
	if (bl && strncmp(ref, the_app->base_url, bl) == 0 && ref[bl] == '/')
		path = ref + bl;
	static const char *const schemes[] = { "http://", "https://" };
	for (int i = 0; !path && host && *host && i < 2; i++) {
		size_t sl = strlen(schemes[i]), hl = strlen(host);
		if (strncmp(ref, schemes[i], sl) == 0 && strncmp(ref + sl, host, hl) == 0 && ref[sl + hl] == '/')
			path = ref + sl + hl;
	}
	path = req_local_path(path, NULL);
	return path ? arena_strndup(a, path, strcspn(path, "#")) : NULL;
}

/* What the server answers itself, before or instead of a handler (a body or
 * an address too long, no database, no memory): the error page in the
 * layout, in the visitor's language (?lang=, the language cookie,
 * Accept-Language, the default), or the JSON envelope. No session is looked
 * up, so the answer needs no database and stays quick: the page shows the
 * header as to a visitor. */
static enum MHD_Result send_error(struct MHD_Connection *c, struct request_state *st, const char *method,
				  const char *url, const struct server_error *e)
{
	struct worker *w = worker_get();
	if (!w)
		return send_fallback(c, st, method, json_client(c, url), e);
	arena_reset(w->arena);   /* the callers keep nothing in it */
	bool was_in_request = w->in_request;
	w->in_request = true;
	struct arena *a = w->arena;
	struct req req = { .arena = a, .app = the_app, .method = method, .now = clock_now() };
	struct resp resp = { 0 };
	bool api = strncmp(url, API_PREFIX "/", sizeof API_PREFIX) == 0;
	req.json = json_client(c, url);
	/* an address too long is not repeated in the page's links */
	req.path = st->uri_too_long ? "/" : api ? url + sizeof API_PREFIX - 1 : url;
	const char *q = strchr(st->uri, '?');
	req.query_string = q ? q + 1 : "";
	if (form_parse(a, req.query_string, strlen(req.query_string), FORM_MAX_FIELDS, &req.query) < 0)
		req.query = (struct kvlist){ 0 };
	const char *choice = lang_cookie(&req, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie"), &resp);
	req.lang = i18n_pick(choice, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"),
			     the_app->default_lang);
	json_t *model = json_object();
	json_t *extra = json_object();
	if (e->detail)
		json_object_set_new(extra, "detail", json_string(T(&req, e->detail)));
	const char *back = e->back_to_form ? referer_path(c, a) : NULL;
	if (back)
		json_object_set_new(extra, "back", json_string(back));
	json_object_set_new(model, "server_error", extra);
	resp.title = e->title;
	resp_error(&req, &resp, e->status, e->code, req.json && e->json_message ? e->json_message : e->message, NULL,
		   "error", model);
	resp.retry_after = e->retry_after;
	st->close_after = e->close;
	enum MHD_Result ret = respond(c, st, &req, &resp);
	json_decref(resp.model);
	w->in_request = was_in_request;
	return ret;
}

/* Anonymous GETs of cacheable routes: answer from the page cache when it
 * holds the page at the current content version; otherwise note the key so
 * respond() stores the rendered page. Returns true when it answered. */
static bool try_cache(struct MHD_Connection *c, struct request_state *st, struct req *req)
{
	if (!page_cache_on || strcmp(req->method, "GET") != 0 || kv_get(&req->query, "lang"))
		return false;
	const char *cookies = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	if (cookie_get(req->arena, cookies, SESSION_COOKIE))
		return false;
	const char *lang = i18n_pick(cookie_get(req->arena, cookies, LANG_COOKIE),
				     MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"),
				     req->app->default_lang);
	st->cache_version = content_version(req->db);
	if (!st->cache_version)
		return false;
	st->cache_key = arena_printf(req->arena, "%c|%s|%s", req->json ? 'J' : 'H', lang, st->uri);
	struct buf out;
	buf_init(&out, CACHE_MAX_BODY + 1);
	const char *type;
	if (!cache_get(st->cache_key, st->cache_version, req->now, &out, &type)) {
		buf_free(&out);
		return false;
	}
	size_t len;
	char *data = buf_detach(&out, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", type);
	add_security_headers(r);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	st->cache_hit = answer(c, st, 200, r);
	access_line(req->method, st->uri, 200, len, st->start_us);
	return true;
}

static const char *client_ip(struct MHD_Connection *c, struct arena *a, const char *peer);

/* Runs one request on connection db. When db is a replica's and broke
 * underway, nothing is answered and *again is set: the caller runs the
 * request once more on the primary (only reads go to replicas). */
static enum MHD_Result run_request(struct MHD_Connection *c, struct request_state *st, const char *method,
				   const char *url, struct worker *w, struct db *db, bool on_replica, bool *again)
{
	struct arena *a = w->arena;
	struct req req = { .arena = a, .app = the_app, .method = method, .now = clock_now() };
	struct resp resp = { 0 };
	const char *q = strchr(st->uri, '?');
	req.query_string = q ? q + 1 : "";
	req.json = strncmp(url, API_PREFIX "/", sizeof API_PREFIX) == 0 || wants_json(c);
	req.path = strncmp(url, API_PREFIX "/", sizeof API_PREFIX) == 0 ? url + sizeof API_PREFIX - 1 : url;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char ip[INET6_ADDRSTRLEN] = "-";
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof ip);
	else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, ip, sizeof ip);
	req.ip = client_ip(c, a, ip);
	req.user_agent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
	req.read_only = on_replica;
	memcpy(req.params, st->params, sizeof req.params);
	req.target = st->route ? st->route->target : NULL;

	bool bare = st->route && (st->route->flags & ROUTE_BARE);
	req.db = db;
	if (!bare) {
		if (form_parse(a, req.query_string, strlen(req.query_string), FORM_MAX_FIELDS, &req.query) < 0) {
			req.lang = i18n_pick(cookie_get(a, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie"), LANG_COOKIE),
					     MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"),
					     the_app->default_lang);
			resp_error(&req, &resp, 400, "bad_request", N_("The address contains invalid characters."),
				   NULL, NULL, NULL);
			goto out;
		}
	}
	if (st->match != MATCH_OK) {
		req.lang = i18n_pick(lang_cookie(&req, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie"), &resp),
				     MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"), the_app->default_lang);
		if (st->match == MATCH_METHOD)
			resp_error(&req, &resp, 405, "method_not_allowed", N_("This address does not accept this method."),
				   NULL, NULL, NULL);
		else
			page_not_found(&req, &resp);
		goto out;
	}
	bool hit = st->route->flags & ROUTE_CACHE && try_cache(c, st, &req);
	req.content_version = st->cache_version;
	if (hit)
		return st->cache_hit;
	if (bare || prepare(c, st, &req, &resp))
		st->route->handler(&req, &resp);
	if (req.db && db_broken(req.db) && on_replica) {
		json_decref(resp.model);
		drop_file(&resp);
		*again = true;
		return MHD_YES;
	}
	if (req.db && db_broken(req.db)) {
		/* the connection broke and its one retry failed: nothing was answered from it */
		json_decref(resp.model);
		drop_file(&resp);
		resp = (struct resp){ 0 };
		resp_error(&req, &resp, 503, "database_unavailable",
			   N_("The service is briefly unavailable. Please try again in a moment."), NULL, NULL, NULL);
	}
	if (nreplicas && strcmp(method, "GET") && strcmp(method, "HEAD") && resp.status < 400)
		resp_cookie(&resp, arena_printf(a, RW_COOKIE "=%lld; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d",
						(long long)req.now, RECENT_WRITE));
out:
	upload_discard(st->upload);   /* before the answer: nothing of a refused upload is left once it is out */
	enum MHD_Result ret = respond(c, st, &req, &resp);
	json_decref(resp.model);
	return ret;
}

/* The visitor's address: the peer, or, when the peer is a trusted proxy, the
 * address that proxy put last into X-Forwarded-For (what it saw). */
static const char *client_ip(struct MHD_Connection *c, struct arena *a, const char *peer)
{
	if (!trusted_proxies[0] || !strstr(trusted_proxies, peer))
		return arena_strdup(a, peer);
	/* match whole entries of the comma-separated list only */
	bool trusted = false;
	size_t n = strlen(peer);
	for (const char *p = trusted_proxies; (p = strstr(p, peer)); p += n) {
		bool starts = p == trusted_proxies || p[-1] == ',' || p[-1] == ' ';
		bool ends = p[n] == '\0' || p[n] == ',' || p[n] == ' ';
		if (starts && ends) {
			trusted = true;
			break;
		}
	}
	const char *xff = trusted ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For") : NULL;
	if (!xff || !*xff)
		return arena_strdup(a, peer);
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	size_t len = strcspn(last, " ");
	if (len == 0 || len >= INET6_ADDRSTRLEN || strspn(last, "0123456789abcdefABCDEF.:") < len)
		return arena_strdup(a, peer);
	return arena_strndup(a, last, len);
}

/* Reads go to a replica (round robin) unless the client wrote just now. */
static struct db_pool *pick_pool(struct MHD_Connection *c, const char *method, struct arena *a)
{
	if (!nreplicas || (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0))
		return primary;
	const char *rw = cookie_get(a, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie"), RW_COOKIE);
	if (rw && clock_now() - strtoll(rw, NULL, 10) < RECENT_WRITE)
		return primary;
	return replicas[atomic_fetch_add(&next_replica, 1) % (unsigned)nreplicas];
}

static enum MHD_Result handle(struct MHD_Connection *c, struct request_state *st, const char *method,
			      const char *url)
{
	struct worker *w = worker_get();
	if (!w)
		return send_fallback(c, st, method, json_client(c, url), &unavailable);
	arena_reset(w->arena);
	struct db_pool *pool = NULL;
	struct db *db = NULL;
	if (!(st->route && (st->route->flags & ROUTE_BARE))) {
		pool = pick_pool(c, method, w->arena);
		char err[256];
		db = db_pool_get(pool, POOL_WAIT_MS, err, sizeof err);
		if (!db && pool != primary) {        /* a replica that is down: the primary answers */
			pool = primary;
			db = db_pool_get(pool, POOL_WAIT_MS, err, sizeof err);
		}
		if (!db) {
			log_error("database: %s", err);
			return send_error(c, st, method, url, &database_unavailable);
		}
	}
	w->in_request = true;
	bool again = false;
	enum MHD_Result ret = run_request(c, st, method, url, w, db, pool != primary, &again);
	w->in_request = false;
	if (db)
		db_pool_put(pool, db);
	if (again) {
		char err[256];
		log_warn("database: a read replica failed; the primary answers");
		arena_reset(w->arena);
		db = db_pool_get(primary, POOL_WAIT_MS, err, sizeof err);
		if (!db)
			return send_error(c, st, method, url, &database_unavailable);
		w->in_request = true;
		ret = run_request(c, st, method, url, w, db, false, &again);
		w->in_request = false;
		db_pool_put(primary, db);
	}
	return ret;
}

/* ---- handler threads ----
 * With a database server (PostgreSQL) every statement waits for an answer
 * over the network. A request that needs the database then waits in one
 * queue, first come first served, for the next free handler thread, its
 * connection suspended meanwhile: the threads that read and write the
 * sockets never wait for the database, one slow page holds up no other
 * connection, and every request waits about as long as any other however
 * the connections are spread over the socket threads. SQLite answers
 * within the process, with no waiting to overlap: there the socket threads
 * run the handlers themselves and the hand-over would only cost. */

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_ready = PTHREAD_COND_INITIALIZER;
static struct request_state *jobs_head, *jobs_tail;
static bool jobs_closed;            /* set at the stop: the threads leave once the queue is empty */
static pthread_t *handlers;
static int nhandlers;

static void job_push(struct request_state *st)
{
	pthread_mutex_lock(&jobs_lock);
	st->next_job = NULL;
	if (jobs_tail)
		jobs_tail->next_job = st;
	else
		jobs_head = st;
	jobs_tail = st;
	pthread_cond_signal(&jobs_ready);
	pthread_mutex_unlock(&jobs_lock);
}

static struct request_state *job_pop(void)
{
	pthread_mutex_lock(&jobs_lock);
	while (!jobs_head && !jobs_closed)
		pthread_cond_wait(&jobs_ready, &jobs_lock);
	struct request_state *st = jobs_head;
	if (st) {
		jobs_head = st->next_job;
		if (!jobs_head)
			jobs_tail = NULL;
	}
	pthread_mutex_unlock(&jobs_lock);
	return st;
}

static void *handler_thread(void *arg)
{
	struct request_state *st;
	while ((st = job_pop())) {
		struct MHD_Connection *c = st->conn;
		handle(c, st, st->method, st->url);
		MHD_resume_connection(c);   /* MHD calls on_request again, which queues st->answer */
	}
	return NULL;
}

static int handlers_start(int n)
{
	handlers = calloc((size_t)n, sizeof *handlers);
	if (!handlers)
		return -1;
	for (nhandlers = 0; nhandlers < n; nhandlers++)
		if (pthread_create(&handlers[nhandlers], NULL, handler_thread, NULL) != 0)
			return -1;
	return 0;
}

/* Lets the threads finish what is queued, then joins them. */
static void handlers_stop(void)
{
	pthread_mutex_lock(&jobs_lock);
	jobs_closed = true;
	pthread_cond_broadcast(&jobs_ready);
	pthread_mutex_unlock(&jobs_lock);
	for (int i = 0; i < nhandlers; i++)
		pthread_join(handlers[i], NULL);
	free(handlers);
	handlers = NULL;
	nhandlers = 0;
	jobs_closed = false;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct request_state *st = *con_cls;
	if (!st)
		return MHD_NO;
	if (!st->counted) {
		/* first call: headers are in, the body (if any) is not */
		st->counted = true;
		atomic_fetch_add(&inflight, 1);
		conns_head_done(c);
		if (st->uri_too_long)
			return send_error(c, st, method, url, &uri_too_long);
		if (strncmp(url, "/static/", 8) == 0 && (!strcmp(method, "GET") || !strcmp(method, "HEAD"))) {
			if (send_static(c, st, method, url) == MHD_YES)
				return MHD_YES;
		}
		struct arena *a = worker_get() ? self->arena : NULL;
		if (!a)
			return MHD_NO;
		const char *path = strncmp(url, API_PREFIX "/", sizeof API_PREFIX) == 0 ? url + sizeof API_PREFIX - 1 : url;
		arena_reset(a);
		const char *params[4] = { 0 };
		st->match = router_match(a, method, path, &st->route, params);
		/* the captures must outlive the arena reset at the final call */
		for (int i = 0; i < 4; i++) {
			if (params[i]) {
				snprintf(st->param_buf[i], sizeof st->param_buf[i], "%s", params[i]);
				st->params[i] = st->param_buf[i];
			}
		}
		/* a body sent to an unknown address or with the wrong method is read
		 * (up to a small cap) and dropped, so the answer can be 404 or 405 */
		size_t limit = st->match == MATCH_OK ? st->route->body_max : 64 * 1024;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > limit && strtoull(cl, NULL, 10) > 0)
			return send_error(c, st, method, url, &too_large);
		st->body.max = limit ? limit : 1;
		if (st->match == MATCH_OK && (st->route->flags & ROUTE_UPLOAD)) {
			const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
			if (upload_is_multipart(type)) {
				/* streamed to temporary files; nothing of the files is written for a
				 * visitor who is sent to log in anyway */
				const char *cookies = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
				bool keep = !st->route->roles || cookie_get(a, cookies, SESSION_COOKIE);
				st->upload = upload_begin(c, the_app->files_dir, st->route->upload, keep);
				if (!st->upload)
					return send_error(c, st, method, url, &unavailable);
			} else if (st->body.max > UPLOAD_FORM_MAX) {
				/* other bodies of an upload route are buffered: as small as any form */
				if (cl && strtoull(cl, NULL, 10) > UPLOAD_FORM_MAX)
					return send_error(c, st, method, url, &too_large);
				st->body.max = UPLOAD_FORM_MAX;
			}
		}
		return MHD_YES;
	}
	if (*upload_size) {
		conns_active(c);
		if (st->upload) {
			st->body_bytes += *upload_size;
			if (st->body_bytes > st->route->body_max)
				st->body_too_big = true;   /* a chunked body without Content-Length */
			else
				upload_feed(st->upload, upload_data, *upload_size);
		} else if (!buf_add(&st->body, upload_data, *upload_size)) {
			st->body_too_big = true;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (st->queued) {   /* resumed: the handler thread has answered */
		st->queued = false;
		conns_active(c);
		struct MHD_Response *r = st->answer;
		st->answer = NULL;
		if (!r)
			return MHD_NO;
		enum MHD_Result ret = MHD_queue_response(c, st->answer_status, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (st->body_too_big)
		return send_error(c, st, method, url, &too_large);
	if (!nhandlers || (st->match == MATCH_OK && (st->route->flags & ROUTE_BARE)))
		return handle(c, st, method, url);   /* SQLite, or no database: answered here, at once */
	st->queued = true;
	st->conn = c;
	st->method = method;
	st->url = url;
	conns_busy(c);               /* a request in the works is never dropped to make room */
	MHD_suspend_connection(c);   /* before the queue: a handler may resume it right away */
	job_push(st);
	return MHD_YES;
}

static void pools_free(void)
{
	for (int i = 0; i < nreplicas; i++)
		db_pool_free(replicas[i]);
	free(replicas);
	replicas = NULL;
	nreplicas = 0;
	db_pool_free(primary);
	primary = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	char *end;
	long port = strtol(colon + 1, &end, 10);   /* the range config_check allows */
	if (end == colon + 1 || *end || port < 0 || port > 65535)
		return -1;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		memcpy(host, "127.0.0.1", sizeof "127.0.0.1");
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

int server_run(const struct server_options *opt, const struct app *app)
{
	struct sockaddr_in sa;
	if (parse_listen(opt->listen, &sa) < 0) {
		log_error("cannot listen on '%s': expected IPv4-address:port", opt->listen);
		return 1;
	}
	the_app = app;
	primary = db_pool_new(opt->dsn, opt->db_pool);
	replicas = opt->nreplicas ? calloc((size_t)opt->nreplicas, sizeof *replicas) : NULL;
	for (int i = 0; replicas && i < opt->nreplicas; i++) {
		if (!(replicas[nreplicas] = db_pool_new(opt->replicas[i], opt->db_pool)))
			break;
		nreplicas++;
	}
	if (!primary || nreplicas < opt->nreplicas) {
		log_error("cannot start the web server: out of memory");
		pools_free();
		return 1;
	}
	access_log_on = opt->access_log;
	page_cache_on = opt->page_cache;
	snprintf(trusted_proxies, sizeof trusted_proxies, "%s", opt->trusted_proxies ? opt->trusted_proxies : "");
	cache_init();
	json_set_alloc_funcs(json_block_alloc, json_block_free);

	/* Signals are taken by this thread alone (sigwait below); the server's
	 * threads inherit the blocked mask. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* A database server: one socket thread per processor (they never wait
	 * for it) and the handler threads asked for, each holding at most one
	 * connection of the pool. SQLite: the socket threads handle. */
	bool server_db = strncmp(opt->dsn, "sqlite:", 7) != 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int io_threads = !server_db ? opt->threads : cpus < 1 ? 1 : cpus > opt->threads ? opt->threads : (int)cpus;
	if (server_db && handlers_start(opt->threads) < 0) {
		log_error("cannot start the handler threads");
		handlers_stop();
		pools_free();
		return 1;
	}
	/* the descriptors besides the connections: every database connection (a
	 * SQLite one holds the file, its WAL and shared memory), each socket
	 * thread's epoll and wake-up pipe, uploads being written, logs */
	unsigned others = (unsigned)(opt->db_pool * (1 + opt->nreplicas) * (server_db ? 1 : 3) + io_threads * 3 + 64);
	unsigned cap = conns_cap((unsigned)opt->max_connections, others);
	if (cap < (unsigned)opt->max_connections)
		log_warn("connections: at most %u, not %d: the open-file limit allows no more", cap, opt->max_connections);
	struct conns_limits limits = { .cap = cap, .head_timeout = (unsigned)opt->header_timeout,
				       .idle_timeout = (unsigned)opt->idle_timeout };
	if (conns_start(&limits) < 0) {
		log_error("cannot start the connection watch");
		handlers_stop();
		pools_free();
		return 1;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			MHD_ALLOW_SUSPEND_RESUME, 0,
		NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, conns_mhd_log, NULL,   /* first: it takes the messages of the options too */
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)io_threads,
		MHD_OPTION_CONNECTION_LIMIT, cap,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)opt->max_conn_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)opt->idle_timeout,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, conns_notify, NULL,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024,
		MHD_OPTION_END);
	if (!d) {
		log_error("cannot start the web server on %s (address in use?)", opt->listen);
		conns_stop();
		handlers_stop();
		pools_free();
		return 1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
	if (server_db)
		log_info("serving on http://%s:%u/ with %d threads (and %d for the sockets)", host, di ? di->port : 0,
			 opt->threads, io_threads);
	else
		log_info("serving on http://%s:%u/ with %d threads", host, di ? di->port : 0, opt->threads);

	int sig = 0;
	sigwait(&stop, &sig);
	log_info("%s: finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
	MHD_quiesce_daemon(d);   /* no new connections */
	for (int i = 0; i < 100 && atomic_load(&inflight) > 0; i++)
		usleep(100 * 1000);
	handlers_stop();   /* what is still queued is answered: no connection stays suspended */
	MHD_stop_daemon(d);
	conns_stop();
	workers_free();
	pools_free();
	cache_free();
	json_set_alloc_funcs(malloc, free);
	log_info("stopped");
	return 0;
}
