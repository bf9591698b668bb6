/* The map of ideas: an SVG drawn here from the district boundaries, inline in
 * an HTML page with a table of the counts (GET /ideas/map), as JSON, and as a
 * file of its own (GET /ideas/map.svg). No tiles, no JavaScript. */
#include "web/dialogue/handlers.h"
#include "core/buf.h"
#include "core/escape.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/map.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ColorBrewer "Blues", 5 classes: sequential, readable with every kind of
 * colour blindness; outlines and labels carry the contrast. */
static const char *const class_fill[MAP_CLASSES] = { "#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c" };
static const char *const class_label[MAP_CLASSES] = { "0", "1", "2–4", "5–9", N_("10 or more") };
#define POINT_FILL "#d95f02"   /* orange: apart from every blue */
#define OUTLINE "#1d1d1b"
#define ATTRIBUTION "Datenquelle: Stadt Köln – offenedaten-koeln.de"

static void put_x(struct buf *b, const char *s)
{
	xml_escape(b, s, strlen(s));
}


/* The list of one district's ideas, keeping the other filters. */
static const char *district_url(struct req *req, json_int_t nr, const struct idea_filter *f)
{
	struct idea_filter one = *f;
	one.bezirk = nr;
	return page_ideas_filter_url(req, "/ideas", &one);
}

static const char *count_text(struct req *req, int64_t n)
{
	return arena_printf(req->arena, "%" PRId64 " %s", n, n == 1 ? T(req, N_("idea")) : T(req, N_("ideas")));
}

/* The map as SVG. inline_html: inside a page, where the links must stay
 * reachable for screen readers (a group, not an image). */
static void svg_write(struct req *req, json_t *m, const struct idea_filter *f, bool inline_html, struct buf *b)
{
	json_t *districts = json_object_get(m, "districts");
	json_t *points = json_object_get(m, "points");
	int64_t total = json_integer_value(json_object_get(m, "total"));
	double lh = MAP_H + 100;
	if (!inline_html)
		buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" class=\"idea-map\" "
		   "role=\"%s\" aria-labelledby=\"map-title\" aria-describedby=\"map-desc\" lang=\"%s\">\n",
		   MAP_W, lh, inline_html ? "group" : "img", req->lang);
	buf_puts(b, "<title id=\"map-title\">");
	put_x(b, T(req, N_("Map of ideas by city district")));
	buf_puts(b, "</title>\n<desc id=\"map-desc\">");
	put_x(b, T(req, N_("The city districts of Cologne, shaded by the number of ideas; each district links to its ideas.")));
	buf_putc(b, ' ');
	put_x(b, T(req, N_("Ideas in all:")));
	buf_printf(b, " %" PRId64 ". ", total);
	if (json_array_size(points)) {
		put_x(b, T(req, N_("Ideas with a place are drawn as orange circles.")));
		buf_putc(b, ' ');
	}
	buf_puts(b, ATTRIBUTION "</desc>\n");

	buf_puts(b, "<g stroke=\"" OUTLINE "\" stroke-width=\"1.5\" stroke-linejoin=\"round\">\n");
	size_t i;
	json_t *d;
	json_array_foreach(districts, i, d) {
		const char *name = json_string_value(json_object_get(d, "name"));
		int64_t count = json_integer_value(json_object_get(d, "count"));
		int cls = (int)json_integer_value(json_object_get(d, "class"));
		buf_puts(b, "<a href=\"");
		put_x(b, district_url(req, json_integer_value(json_object_get(d, "nr")), f));
		buf_puts(b, "\"><title>");
		put_x(b, name);
		buf_puts(b, ": ");
		put_x(b, count_text(req, count));
		buf_printf(b, "</title><path fill=\"%s\" fill-rule=\"evenodd\" d=\"", class_fill[cls]);
		buf_puts(b, json_string_value(json_object_get(d, "path")));
		buf_puts(b, "\"/></a>\n");
	}
	buf_puts(b, "</g>\n");

	/* labels: name and count, dark text on a white halo (contrast on every fill) */
	buf_puts(b, "<g aria-hidden=\"true\" font-family=\"sans-serif\" text-anchor=\"middle\" fill=\"#000\" "
		    "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\">\n");
	json_array_foreach(districts, i, d) {
		double x = json_number_value(json_object_get(d, "label_x"));
		double y = json_number_value(json_object_get(d, "label_y"));
		buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"15\">", x, y - 4);
		put_x(b, json_string_value(json_object_get(d, "name")));
		buf_printf(b, "</text><text x=\"%.1f\" y=\"%.1f\" font-size=\"17\" font-weight=\"bold\">%" JSON_INTEGER_FORMAT
			   "</text>\n", x, y + 15, json_integer_value(json_object_get(d, "count")));
	}
	buf_puts(b, "</g>\n");

	if (json_array_size(points)) {
		buf_puts(b, "<g fill=\"" POINT_FILL "\" stroke=\"#fff\" stroke-width=\"2\">\n");
		json_t *p;
		json_array_foreach(points, i, p) {
			buf_printf(b, "<a href=\"/ideas/%" JSON_INTEGER_FORMAT "\"><title>",
				   json_integer_value(json_object_get(p, "id")));
			put_x(b, json_string_value(json_object_get(p, "title")));
			buf_printf(b, "</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\"/></a>\n",
				   json_number_value(json_object_get(p, "x")), json_number_value(json_object_get(p, "y")));
		}
		buf_puts(b, "</g>\n");
	}

	/* legend and source */
	buf_printf(b, "<g font-family=\"sans-serif\" font-size=\"15\" fill=\"#000\" transform=\"translate(10 %.0f)\">\n",
		   MAP_H + 8);
	buf_puts(b, "<text x=\"0\" y=\"14\" font-weight=\"bold\">");
	put_x(b, T(req, N_("Ideas per district")));
	buf_puts(b, "</text>\n");
	for (int c = 0; c < MAP_CLASSES; c++) {
		double x = c * 120.0;
		buf_printf(b, "<rect x=\"%.0f\" y=\"26\" width=\"28\" height=\"20\" fill=\"%s\" stroke=\"" OUTLINE "\"/>"
			   "<text x=\"%.0f\" y=\"42\">", x, class_fill[c], x + 36);
		put_x(b, T(req, class_label[c]));
		buf_puts(b, "</text>\n");
	}
	if (json_array_size(points)) {
		buf_puts(b, "<circle cx=\"614\" cy=\"36\" r=\"7\" fill=\"" POINT_FILL "\" stroke=\"" OUTLINE "\"/>"
			    "<text x=\"628\" y=\"42\">");
		put_x(b, T(req, N_("Idea with a place")));
		buf_puts(b, "</text>\n");
	}
	buf_puts(b, "<text x=\"0\" y=\"76\" font-size=\"13\">" ATTRIBUTION "</text>\n</g>\n</svg>\n");
}

/* The model of both routes, under the list's filters (page_ideas_filter_parse):
 * NULL after answering a bad filter (400, as the list does) or a failure. */
static json_t *map_model(struct req *req, struct resp *resp, struct idea_filter *f)
{
	struct field_errors fe = { 0 };
	struct idea_where w;
	*f = (struct idea_filter){ 0 };
	int problems = page_ideas_filter_parse(req, f, &fe);
	if (problems > 0) {
		resp_error(req, resp, 400, "bad_filter", N_("The map cannot be shown with these filters."), &fe, NULL, NULL);
		return NULL;
	}
	struct map_frame fr;
	json_t *m = problems == 0 && idea_where_resolve(req->db, f, &w) == 0 ? map_districts(req->db, &w, &fr) : NULL;
	json_t *points = m ? map_points(req->db, &w, &fr) : NULL;
	int available = points ? map_has_points(req->db) : -1;
	if (available < 0) {
		json_decref(m);
		json_decref(points);
		resp_internal_error(req, resp);
		return NULL;
	}
	json_object_set_new(m, "points", points);
	json_object_set_new(m, "points_available", json_boolean(available));
	json_object_set_new(m, "points_max", json_integer(MAP_POINTS_MAX));
	return m;
}

void page_ideas_map_svg(struct req *req, struct resp *resp)
{
	struct idea_filter f;
	json_t *m = map_model(req, resp, &f);
	if (!m)
		return;
	struct buf b;
	buf_init(&b, 8 << 20);
	svg_write(req, m, &f, false, &b);
	json_decref(m);
	resp->status = 200;
	resp->body = arena_strdup(req->arena, b.data ? b.data : "");
	resp->body_len = b.len;
	resp->content_type = "image/svg+xml; charset=utf-8";
	buf_free(&b);
}

/* The filters in use as JSON, under the list's parameter names. */
static json_t *filter_json(struct req *req, const struct idea_filter *f)
{
	json_t *o = json_object();
	if (f->field)
		json_object_set_new(o, "field", json_string(f->field));
	if (f->bezirk)
		json_object_set_new(o, "bezirk", json_integer(f->bezirk));
	if (f->zielbild)
		json_object_set_new(o, "zielbild", json_string(f->zielbild));
	if (f->needs)
		json_object_set_new(o, "need", json_string(kv_get(&req->query, "need")));
	if (f->status)
		json_object_set_new(o, "status", json_string(f->status));
	if (f->cycle)
		json_object_set_new(o, "cycle", json_integer(f->cycle));
	if (f->phase)
		json_object_set_new(o, "phase", json_string(f->phase));
	return o;
}

void page_ideas_map(struct req *req, struct resp *resp)
{
	struct idea_filter f;
	json_t *m = map_model(req, resp, &f);
	if (!m)
		return;
	json_t *districts = json_object_get(m, "districts");
	size_t i;
	json_t *d;
	json_array_foreach(districts, i, d) {
		json_int_t nr = json_integer_value(json_object_get(d, "nr"));
		json_object_set_new(d, "url", json_string(district_url(req, nr, &f)));
		if (req->json)
			json_object_del(d, "path");
		else
			json_object_set_new(d, "count_text", json_string(count_text(req, json_integer_value(json_object_get(d, "count")))));
	}
	json_t *points = json_object_get(m, "points");
	json_t *p;
	json_array_foreach(points, i, p)
		json_object_set_new(p, "url", json_string(arena_printf(req->arena, "/ideas/%" JSON_INTEGER_FORMAT,
									json_integer_value(json_object_get(p, "id")))));
	/* the same filters on every view of these ideas: list, SVG, feed */
	json_object_set_new(m, "svg_url", json_string(page_ideas_filter_url(req, "/ideas/map.svg", &f)));
	json_object_set_new(m, "list_url", json_string(page_ideas_filter_url(req, "/ideas", &f)));
	json_object_set_new(m, "feed_url", json_string(page_ideas_filter_url(req, "/ideas.atom", &f)));
	json_object_set_new(m, "attribution", json_string(ATTRIBUTION));
	json_object_set_new(m, "filter", filter_json(req, &f));
	if (!req->json) {
		struct buf b;
		buf_init(&b, 8 << 20);
		svg_write(req, m, &f, true, &b);
		json_object_set_new(m, "svg", json_stringn_nocheck(b.data ? b.data : "", b.len));
		buf_free(&b);
		if (page_ideas_filter_model(req, &f, m) < 0) {   /* the list's selects (templates/idea_filter_fields.html) */
			json_decref(m);
			resp_internal_error(req, resp);
			return;
		}
		json_object_set_new(m, "points_count", json_integer((json_int_t)json_array_size(points)));
		/* the page says "the newest" only when the map shows fewer than there are */
		json_object_set_new(m, "points_capped", json_boolean(json_array_size(points) >= MAP_POINTS_MAX));
		json_object_set_new(m, "atom_feed", json_pack("{ss ss}", "href", json_string_value(json_object_get(m, "feed_url")),
							      "title", T(req, N_("Ideas (Atom feed)"))));
	}
	resp_page(resp, 200, "dialogue/ideas_map", N_("Map of ideas"), m);
}
