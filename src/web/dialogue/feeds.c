/* Atom feeds (RFC 4287): the newest ideas under the list's filters
 * (GET /ideas.atom), and one idea's history: its submission, status changes
 * and comments (GET /ideas/{id}/feed.atom). Ids and links are absolute URLs
 * under the configured base_url. */
#include "web/dialogue/handlers.h"
#include "domain/moderation.h"
#include "domain/comment.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/escape.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/idea_status.h"
#include "domain/dialogue/targets.h"
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FEED_ENTRIES 50
#define ATOM_TYPE "application/atom+xml; charset=utf-8"

static void x(struct buf *b, const char *s)
{
	xml_escape(b, s ? s : "", s ? strlen(s) : 0);
}

/* base_url without a trailing slash */
static const char *base(struct req *req)
{
	const char *u = req->app && req->app->base_url ? req->app->base_url : "";
	size_t n = strlen(u);
	while (n && u[n - 1] == '/')
		n--;
	return arena_printf(req->arena, "%.*s", (int)n, u);
}

static void iso(int64_t t, char *out, size_t cap)
{
	clock_format_iso(t, out, cap);
}

/* Back from the view model's "2026-11-26T07:29:09Z" to seconds; 0 when malformed. */
static int64_t iso_time(const char *s)
{
	int64_t t = clock_parse_iso(s);
	return t < 0 ? 0 : t;
}

/* HTML text escaped, as the body of content type="html" (escaped again as XML). */
static void put_html_text(struct buf *html, const char *s)
{
	html_escape(html, s ? s : "", s ? strlen(s) : 0);
}

static void feed_head(struct buf *b, struct req *req, const char *id, const char *title, const char *self,
		      const char *alternate, int64_t updated)
{
	char t[32];
	iso(updated, t, sizeof t);
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n<id>", req->lang);
	x(b, id);
	buf_puts(b, "</id>\n<title type=\"text\">");
	x(b, title);
	buf_printf(b, "</title>\n<updated>%s</updated>\n<author><name>un:box Köln</name><uri>", t);
	x(b, base(req));
	buf_puts(b, "/</uri></author>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	x(b, self);
	buf_puts(b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	x(b, alternate);
	buf_puts(b, "\"/>\n<generator>un:box</generator>\n");
}

struct entry {
	const char *id, *title, *link, *author, *summary, *html, *category, *category_label;
	int64_t published, updated;
};

static void feed_entry(struct buf *b, const struct entry *e)
{
	char p[32], u[32];
	iso(e->published, p, sizeof p);
	iso(e->updated ? e->updated : e->published, u, sizeof u);
	buf_puts(b, "<entry>\n<id>");
	x(b, e->id);
	buf_puts(b, "</id>\n<title type=\"text\">");
	x(b, e->title);
	buf_puts(b, "</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	x(b, e->link);
	buf_printf(b, "\"/>\n<published>%s</published>\n<updated>%s</updated>\n", p, u);
	if (e->author && *e->author) {
		buf_puts(b, "<author><name>");
		x(b, e->author);
		buf_puts(b, "</name></author>\n");
	}
	if (e->category) {
		buf_puts(b, "<category term=\"");
		x(b, e->category);
		buf_puts(b, "\" label=\"");
		x(b, e->category_label);
		buf_puts(b, "\"/>\n");
	}
	if (e->summary) {
		buf_puts(b, "<summary type=\"text\">");
		x(b, e->summary);
		buf_puts(b, "</summary>\n");
	}
	if (e->html) {
		buf_puts(b, "<content type=\"html\">");
		x(b, e->html);
		buf_puts(b, "</content>\n");
	}
	buf_puts(b, "</entry>\n");
}

static void feed_send(struct req *req, struct resp *resp, struct buf *b)
{
	buf_puts(b, "</feed>\n");
	resp->status = 200;
	resp->body = arena_strdup(req->arena, b->data ? b->data : "");
	resp->body_len = b->len;
	resp->content_type = ATOM_TYPE;
	buf_free(b);
}

static const char *str(json_t *o, const char *path1, const char *path2)
{
	json_t *v = json_object_get(o, path1);
	if (path2)
		v = json_object_get(v, path2);
	return json_string_value(v);
}


/* " · name" for the chosen entry of each filter select (page_ideas_filter_model),
 * so that the feed's title names its filters. 0, or -1 when the database failed. */
static int title_filters(struct req *req, const struct idea_filter *f, struct buf *title)
{
	static const char *const lists[] = { "fields", "bezirke", "zielbilder", "needs", "statuses", "cycles", "phases" };
	if (!f->field && !f->bezirk && !f->zielbild && !f->needs && !f->status && !f->cycle && !f->phase)
		return 0;   /* the feed of all ideas: no names to look up */
	json_t *m = json_object();
	if (page_ideas_filter_model(req, f, m) < 0) {
		json_decref(m);
		return -1;
	}
	for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(m, lists[k]), i, it) {
			if (!json_is_true(json_object_get(it, "selected")))
				continue;
			if (strcmp(lists[k], "cycles") == 0)
				buf_printf(title, " · %s %" JSON_INTEGER_FORMAT, T(req, N_("Cycle")),
					   json_integer_value(json_object_get(it, "number")));
			else
				buf_printf(title, " · %s", str(it, "name", NULL));
		}
	}
	json_decref(m);
	return 0;
}

void page_ideas_feed(struct req *req, struct resp *resp)
{
	struct idea_filter f = { .limit = FEED_ENTRIES };
	struct field_errors fe = { 0 };
	int problems = page_ideas_filter_parse(req, &f, &fe);
	if (problems > 0) {   /* the list's filters, the list's answer to bad ones */
		resp_error(req, resp, 400, "bad_filter", N_("The feed cannot be made with these filters."), &fe, NULL, NULL);
		return;
	}
	json_t *page = problems == 0 ? idea_list(req->db, req->lang, &f) : NULL;
	if (!page) {
		resp_internal_error(req, resp);
		return;
	}
	json_t *items = json_object_get(page, "items");
	const char *b0 = base(req);
	const char *self = arena_printf(req->arena, "%s%s", b0, page_ideas_filter_url(req, "/ideas.atom", &f));
	const char *alternate = arena_printf(req->arena, "%s%s", b0, page_ideas_filter_url(req, "/ideas", &f));

	struct buf title;
	buf_init(&title, 4096);
	buf_puts(&title, T(req, N_("Ideas")));
	if (title_filters(req, &f, &title) < 0) {
		buf_free(&title);
		json_decref(page);
		resp_internal_error(req, resp);
		return;
	}
	buf_puts(&title, " – un:box Köln");

	int64_t updated = 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		int64_t t = iso_time(str(it, "created_at", NULL));
		if (t > updated)
			updated = t;
	}
	struct buf b;
	buf_init(&b, 16 << 20);
	feed_head(&b, req, self, title.data, self, alternate, updated ? updated : req->now);
	buf_free(&title);
	json_array_foreach(items, i, it) {
		struct buf html;
		buf_init(&html, 1 << 20);
		buf_puts(&html, "<p>");
		put_html_text(&html, str(it, "summary", NULL));
		buf_puts(&html, "</p><p>");
		put_html_text(&html, str(it, "field", "name"));
		buf_puts(&html, " · ");
		put_html_text(&html, str(it, "stadtteil", "name"));
		buf_puts(&html, " (");
		put_html_text(&html, str(it, "bezirk", "name"));
		buf_puts(&html, ") · ");
		put_html_text(&html, str(it, "status_label", NULL));
		buf_puts(&html, "</p>");
		int64_t t = iso_time(str(it, "created_at", NULL));
		const char *link = arena_printf(req->arena, "%s%s", b0, str(it, "url", NULL));
		struct entry e = {
			.id = link, .title = str(it, "title", NULL), .link = link,
			.summary = str(it, "summary", NULL), .html = html.data ? html.data : "",
			.category = str(it, "field", "slug"), .category_label = str(it, "field", "name"),
			.published = t, .updated = t,
		};
		feed_entry(&b, &e);
		buf_free(&html);
	}
	json_decref(page);
	feed_send(req, resp, &b);
}

/* ---- one idea's feed ---- */

struct item {
	int64_t t, seq;
	char *xml;
};

static int newest_first(const void *a, const void *b)
{
	const struct item *p = a, *q = b;
	if (p->t != q->t)
		return p->t < q->t ? 1 : -1;
	return p->seq < q->seq ? 1 : p->seq > q->seq ? -1 : 0;
}

static void add_item(struct req *req, struct item *items, int *n, int64_t seq, const struct entry *e)
{
	if (*n >= FEED_ENTRIES * 3)
		return;
	struct buf b;
	buf_init(&b, 1 << 20);
	feed_entry(&b, e);
	items[*n].t = e->updated ? e->updated : e->published;
	items[*n].seq = seq;
	items[*n].xml = arena_strdup(req->arena, b.data ? b.data : "");
	buf_free(&b);
	(*n)++;
}

void page_idea_feed(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	json_t *idea = NULL;
	int found = idea_get(req->db, req->lang, id, &idea);
	if (found < 0) {
		resp_internal_error(req, resp);
		return;
	}
	if (found && json_is_true(json_object_get(idea, "hidden"))) {   /* hidden by the moderation: no feed */
		json_decref(idea);
		found = 0;
	}
	if (!found) {
		page_not_found(req, resp);
		return;
	}
	json_t *timeline = idea_status_timeline(req->db, req->lang, id);
	json_t *comments = timeline ? comment_latest(req->db, req->lang, &idea_target, id, FEED_ENTRIES) : NULL;
	if (!comments) {
		json_decref(timeline);
		json_decref(idea);
		resp_internal_error(req, resp);
		return;
	}
	const char *b0 = base(req);
	const char *page = arena_printf(req->arena, "%s/ideas/%" PRId64, b0, id);
	const char *self = arena_printf(req->arena, "%s/ideas/%" PRId64 "/feed.atom", b0, id);
	const char *title = str(idea, "title", NULL);
	struct item *items = arena_alloc(req->arena, sizeof *items * FEED_ENTRIES * 3);
	int n = 0;

	/* the submission */
	int64_t created = iso_time(str(idea, "created_at", NULL));
	struct entry sub = {
		.id = arena_printf(req->arena, "%s#submitted", page),
		.title = arena_printf(req->arena, "%s: %s", T(req, N_("Idea submitted")), title),
		.link = page, .author = str(idea, "author", NULL), .summary = str(idea, "summary", NULL),
		.html = str(idea, "description_html", NULL), .published = created, .updated = created,
	};
	add_item(req, items, &n, 0, &sub);

	/* status changes, newest FEED_ENTRIES */
	size_t from = json_array_size(timeline) > FEED_ENTRIES ? json_array_size(timeline) - FEED_ENTRIES : 0;
	for (size_t k = from; k < json_array_size(timeline); k++) {
		json_t *h = json_array_get(timeline, k);
		int64_t hid = json_integer_value(json_object_get(h, "id")), at = iso_time(str(h, "at", NULL));
		const char *to = str(h, "to_label", NULL), *reason = str(h, "reason", NULL);
		struct buf html;
		buf_init(&html, 1 << 20);
		buf_puts(&html, "<p>");
		put_html_text(&html, str(h, "from_label", NULL));
		buf_puts(&html, " → ");
		put_html_text(&html, to);
		buf_puts(&html, "</p>");
		if (*reason) {
			buf_puts(&html, "<p>");
			put_html_text(&html, reason);
			buf_puts(&html, "</p>");
		}
		struct entry e = {
			.id = arena_printf(req->arena, "%s#status-%" PRId64, page, hid),
			.title = arena_printf(req->arena, "%s %s", T(req, N_("Status changed to")), to),
			.link = page, .author = "un:box", .summary = *reason ? reason : NULL,
			.html = html.data ? html.data : "", .published = at, .updated = at,
		};
		add_item(req, items, &n, hid, &e);
		buf_free(&html);
	}
	json_decref(timeline);

	/* comments that are neither deleted nor hidden, newest FEED_ENTRIES */
	size_t k;
	json_t *c;
	json_array_foreach(comments, k, c) {
		int64_t cid = json_integer_value(json_object_get(c, "id"));
		const char *who = json_is_string(json_object_get(c, "author")) ? str(c, "author", NULL)
										 : T(req, N_("Someone"));
		int64_t at = iso_time(str(c, "created_at", NULL));
		const char *edited = str(c, "edited_at", NULL);
		struct entry e = {
			.id = arena_printf(req->arena, "%s#comment-%" PRId64, page, cid),
			.title = arena_printf(req->arena, "%s %s", json_is_null(json_object_get(c, "parent_id"))
								   ? T(req, N_("Comment by")) : T(req, N_("Reply by")), who),
			.link = arena_printf(req->arena, "%s#comment-%" PRId64, page, cid),
			.author = who, .html = str(c, "body_html", NULL),
			.published = at, .updated = edited ? iso_time(edited) : at,
		};
		add_item(req, items, &n, cid, &e);
	}
	json_decref(comments);

	qsort(items, (size_t)n, sizeof *items, newest_first);
	if (n > FEED_ENTRIES)
		n = FEED_ENTRIES;
	struct buf b;
	buf_init(&b, 16 << 20);
	feed_head(&b, req, self, arena_printf(req->arena, "%s – un:box Köln", title), self, page,
		  n ? items[0].t : created);
	for (int i = 0; i < n; i++)
		buf_puts(&b, items[i].xml);
	json_decref(idea);
	feed_send(req, resp, &b);
}

/* ---- links to the feeds, for the pages that have one ---- */

void page_feeds_list_links(struct req *req, const struct idea_filter *f, json_t *model)
{
	json_object_set_new(model, "atom_feed", json_pack("{ss ss}", "href", page_ideas_filter_url(req, "/ideas.atom", f),
							      "title", T(req, N_("Ideas (Atom feed)"))));
	json_object_set_new(model, "map_url", json_string(page_ideas_filter_url(req, "/ideas/map", f)));
}

void page_feeds_idea_link(struct req *req, json_t *model, int64_t id)
{
	json_object_set_new(model, "atom_feed",
			    json_pack("{ss ss}", "href", arena_printf(req->arena, "/ideas/%" PRId64 "/feed.atom", id),
				      "title", T(req, N_("This idea's news (Atom feed)"))));
}
