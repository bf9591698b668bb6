/* What a handler sees and what it answers: the web layer's own request and
 * response types, filled and sent by src/http/. Handlers never touch
 * libmicrohttpd, so they can be driven by tests directly. */
#ifndef UNBOX_REQ_H
#define UNBOX_REQ_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/form.h"
#include "db/db.h"
#include "domain/errors.h"
#include "domain/session.h"

struct tmpl_set;
struct target_kind;
struct req;
struct resp;

/* A kind of target (domain/target.h) as the web layer serves it: the route
 * table names one for the routes of the shared services, so one handler
 * serves comments on ideas and, later, on projects. */
struct page_target {
	const struct target_kind *kind;
	const char *back;   /* where a follow goes back to when the form names no place (NULL: the target's page) */
	/* Answers a write to a target merged into another (409, naming the
	 * other) and returns true; NULL or false: a plain 409. */
	bool (*refuse_merged)(struct req *req, struct resp *resp, int64_t id);
};

/* Process-wide settings the web layer needs, fixed at start-up. */
struct app {
	struct tmpl_set *templates;
	const char *base_url;
	const char *default_lang;
	bool demo;
	bool secure_cookies;
	const char *files_dir;       /* the file store (domain/filestore.h) */
};

/* What an upload route (ROUTE_UPLOAD, src/http/router.h) takes in its
 * multipart/form-data body besides the route's body_max. */
struct upload_rule {
	int64_t file_max;            /* bytes per file: a longer one arrives with too_big set, nothing kept */
	int files_max;               /* file parts; further ones are dropped */
};

/* A file that came with the request, streamed into a temporary file of the
 * file store. The server removes the temporary file when the request ends
 * unless kept is set (the handler moved it into the store). */
struct upload_file {
	char *field;                 /* the form field's name (owned by http/upload.c) */
	char *name;                  /* the original file name, made safe (core/filename.h) */
	int64_t size;                /* bytes sent, kept or not */
	char sha256[65];             /* hex of the content (when not too_big) */
	const char *type;            /* sniffed from the content (core/sniff.h) */
	char *temp_path;
	bool too_big;                /* over the route's file_max: the content was dropped */
	bool kept;
};

struct req {
	struct arena *arena;
	struct db *db;
	const struct app *app;
	const char *method;
	const char *path;            /* without the /api/v1 prefix */
	const char *query_string;    /* raw, for links that keep the filter state; may be "" */
	const char *params[4];       /* {id} captures of the route pattern */
	const struct page_target *target;   /* the route's kind of target, or NULL */
	int64_t content_version;     /* domain/content.h, when the pipeline read it (page-cached routes), else 0 */
	struct kvlist query;
	struct kvlist form;          /* urlencoded body, the top-level fields of a JSON body, or the
				      * text fields of a multipart/form-data body */
	struct upload_file *files;   /* the files of a multipart/form-data body (upload routes) */
	size_t nfiles;
	bool json;                   /* answer in JSON */
	const char *lang;            /* "de" or "en" */
	const char *ip;
	const char *user_agent;      /* the User-Agent header, or NULL */
	bool read_only;              /* the database is a read replica's: no writes */
	struct session *session;     /* NULL when not logged in */
	const char *session_token;   /* the cookie's token when session is set */
	const char *csrf;            /* token that forms on this page must carry */
	const char *csrf_cookie;     /* Set-Cookie for a new anonymous CSRF token, or NULL */
	int64_t now;
};

#define RESP_MAX_COOKIES 4

struct resp {
	int status;
	json_t *model;               /* the view model: JSON as is, or the template's data */
	const char *tmpl;            /* template for HTML */
	const char *title;           /* page title, an msgid */
	const char *location;        /* redirect (HTML: 303; JSON: status with model) */
	const char *cookies[RESP_MAX_COOKIES];
	int ncookies;
	int retry_after;             /* seconds, for 429 */
	const char *body;            /* a fixed body instead of model/template */
	size_t body_len;
	const char *content_type;    /* for body or file */
	/* A file to stream instead (downloads): the server sends file_size
	 * bytes from file_fd and closes it; with an etag that the client's
	 * If-None-Match names, 304 instead. */
	bool has_file;
	int file_fd;
	int64_t file_size;
	const char *etag;            /* quoted */
	const char *disposition;     /* Content-Disposition */
};

/* Marks a string for translation; T() translates it when used. */
#define N_(s) s

typedef void (*handler_fn)(struct req *req, struct resp *resp);

const char *T(const struct req *req, const char *msgid);   /* translate */
const char *req_arg(const struct req *req, const char *name);   /* form, then query */
int64_t req_param_id(const struct req *req, int i);        /* {id} capture as a number, 0 if bad */
/* Logged in as the un:box team: the roles of ROLES_STAFF (team, admin), who
 * run cycles, shepherd ideas and moderate. */
bool req_is_team(const struct req *req);
/* A role as pages name it ("Steering committee" / "Lenkungsausschuss"),
 * never its key ("committee"). */
const char *role_label(const char *lang, const char *role);

/* Answers. They take ownership of model (json_t with one reference). */
void resp_page(struct resp *r, int status, const char *tmpl, const char *title, json_t *model);
void resp_redirect(struct resp *r, const char *location, int json_status, json_t *model);
void resp_cookie(struct resp *r, const char *set_cookie);
/* An error: HTML gets the error page (or tmpl with model and errors when
 * tmpl is given, for forms), JSON gets {"error":{"code","message","fields"}}. */
void resp_error(struct req *req, struct resp *r, int status, const char *code, const char *message,
		const struct field_errors *fe, const char *tmpl, json_t *model);
/* The first file of the request sent in field name, or NULL. */
struct upload_file *req_file(const struct req *req, const char *name);
/* Answers with the file open at fd (has_file): the server streams and closes it. */
void resp_file(struct resp *r, int fd, int64_t size, const char *content_type, const char *etag,
	       const char *disposition);
/* 500 with the error envelope: the database or memory failed. */
void resp_internal_error(struct req *req, struct resp *r);
/* Marks the entry of list (an array of objects) whose key, a string or an
 * integer, equals value with "selected": true; for the selects of forms. */
void mark_selected(json_t *list, const char *key, const char *value);
/* p when it is a path on this site ("/…", never "//…" or a control
 * character), else def: where a form's "next" may send the visitor. */
const char *req_local_path(const char *p, const char *def);
/* Adds the CSRF token and the typed values to a form model. */
void form_model(struct req *req, json_t *model, const char *const *fields);
/* For an API client (req->json): true when every field of the body is one
 * of fields (NULL-terminated; "_csrf" always is); else answers 422
 * "unknown_fields" naming each unknown one (fields {name: {code "unknown"}})
 * and returns false, so nothing sent is silently dropped. Pages (HTML)
 * always pass: browsers send their buttons' names too. */
bool req_known_fields(struct req *req, struct resp *resp, const char *const *fields);

/* One field of a form as its page shows it: the label, the element the
 * summary of errors links to, and the bounds the value is checked against.
 * The bounds are the domain's #defines (IDEA_DESCRIPTION_MAX …), so what
 * the page states and what the check enforces cannot differ. */
struct form_field {
	const char *name;            /* in the body and in the field errors */
	const char *label;           /* msgid of the label the page shows */
	long min, max;               /* characters; 0: none stated (min 1: required, no minimum to state) */
	const char *id;              /* the element's id when it is not name */
};
/* The fields of spec (ended by an entry without a name) as the page shows
 * them, keyed by name: {id, label, min, max, hint}, hint being "5 to 120
 * characters." or "At most 20,000 characters." in the page's language.
 * Adds to input when given, else to a new object; returns it. Put it into
 * the model as "input": templates state the hints from it, and resp_error
 * names each field of the summary by its label and links to its id. */
json_t *form_input(struct req *req, json_t *input, const struct form_field *spec);

#endif
