/* The handlers of the dialogue area: ideas, cycles, supports, the status
 * workflow, caretakers, assisted submission, co-authors, search, the map,
 * feeds and merging duplicates. */
#ifndef UNBOX_WEB_DIALOGUE_HANDLERS_H
#define UNBOX_WEB_DIALOGUE_HANDLERS_H
#include "web/handlers.h"

/* ideas and cycles as the routes of the shared services name them */
extern const struct page_target page_idea, page_cycle;
/* notifications.c: the sentences of the area's notifications */
extern const struct page_notification page_dialogue_notifications[];

/* ideas.c */
void page_ideas_list(struct req *req, struct resp *resp);
/* The list filters of the query (field, bezirk, zielbild, need, status,
 * cycle, phase) into f, shared by /ideas and /search: the number of problems
 * added to fe, or -1 when the database failed on a lookup (answer 500); the
 * same filters as query parameters onto b; the selects of the filter form
 * into model (0, or -1 when the database failed). */
struct idea_filter;
struct buf;
int page_ideas_filter_parse(struct req *req, struct idea_filter *f, struct field_errors *fe);
void page_ideas_filter_query(struct req *req, const struct idea_filter *f, struct buf *b);
/* path followed by the filters' query ("?field=…", in their canonical order;
 * nothing when none is set), in the request's arena. */
const char *page_ideas_filter_url(struct req *req, const char *path, const struct idea_filter *f);
int page_ideas_filter_model(struct req *req, const struct idea_filter *f, json_t *model);
/* The fields every idea form shares (dialogue/idea_core_fields: title,
 * summary, description, field, Stadtteil) with the domain's bounds, for
 * form_input. */
extern const struct form_field page_idea_core_form[];
/* How many results a list has, counted up to cap + 1: {count (null when
 * more than cap), more, cap, text ("32", "mehr als 1.000")}. */
json_t *page_count_model(struct req *req, int64_t n, int64_t cap);
void page_idea_form(struct req *req, struct resp *resp);
/* The model of the idea form (submission and editing) with the values of
 * req->form chosen and typed: fields, Stadtteile, Zielbilder, needs,
 * applicant types. NULL when the database failed. */
json_t *page_idea_form_model(struct req *req);
/* A click on the map of the idea form (an image input "pick" of width
 * PICK_WIDTH, pick_w saying what width it was drawn at): the place turned
 * back into latitude, longitude and Stadtteil in req->form, as if typed (1,
 * *picked {lat, lon, stadtteil}); or the problem in fe (1, "location"); 0
 * when the form was sent by another button; -1 when the database failed.
 * page_idea_picked_answer shows the form tmpl again with it (JSON: picked). */
#define PICK_WIDTH 320
int page_idea_pick_place(struct req *req, json_t **picked, struct field_errors *fe);
void page_idea_picked_answer(struct req *req, struct resp *resp, json_t *picked, const struct field_errors *fe,
			     const char *tmpl, json_t *form);
/* What a logged-in person sent to an idea form, unchecked. */
struct idea_input;
void page_idea_input(struct req *req, struct idea_input *in);
void page_idea_create(struct req *req, struct resp *resp);
void page_idea_show(struct req *req, struct resp *resp);
/* idea_edit.c: authors change their idea while it is submitted or in
 * dialogue; the versions and what changed, for its authors and the team */
void page_idea_edit_form(struct req *req, struct resp *resp);
void page_idea_edit_submit(struct req *req, struct resp *resp);
void page_idea_versions_show(struct req *req, struct resp *resp);
/* search.c */
void page_search_show(struct req *req, struct resp *resp);
/* support.c */
void page_idea_support(struct req *req, struct resp *resp);
void page_idea_unsupport(struct req *req, struct resp *resp);
/* Adds the public support count to an idea, and for a logged-in visitor
 * their own state (viewer: supported, following). Not a route. 0, or -1
 * when the database failed. */
int page_idea_actions_model(struct req *req, json_t *idea);
/* status.c: the status workflow; page_idea_workflow_model adds the timeline, caretaker
 * and the forms of whoever may use them to an idea (idea page; 0, or -1 when the
 * database failed); page_idea_page_error renders the idea page again with a form's
 * errors (500 when the database fails on that). */
void page_idea_status_submit(struct req *req, struct resp *resp);
/* POST /ideas/{id}/reopen: the team brings an archived idea back (with a reason). */
void page_idea_reopen_submit(struct req *req, struct resp *resp);
int page_idea_workflow_model(struct req *req, json_t *idea, int64_t id);
void page_idea_page_error(struct req *req, struct resp *resp, int64_t id, int status, const char *code,
		     const char *message, const struct field_errors *fe);
/* caretaker.c */
void page_idea_caretaker_submit(struct req *req, struct resp *resp);
void page_caretaker_show(struct req *req, struct resp *resp);
/* campaigns.c: the team's campaign codes (GET and POST /campaigns) */
void page_campaigns_show(struct req *req, struct resp *resp);
void page_campaign_create(struct req *req, struct resp *resp);
/* assisted.c */
void page_assisted_form(struct req *req, struct resp *resp);
void page_assisted_create(struct req *req, struct resp *resp);

/* map.c: the map of ideas (HTML with the SVG inline, JSON) and the SVG alone,
 * under the list's filters (page_ideas_filter_parse) */
void page_ideas_map(struct req *req, struct resp *resp);
void page_ideas_map_svg(struct req *req, struct resp *resp);
/* feeds.c: Atom feeds of the idea list (with its filters, page_ideas_filter_parse) and of one idea */
void page_ideas_feed(struct req *req, struct resp *resp);
void page_idea_feed(struct req *req, struct resp *resp);
/* Adds atom_feed {href, title} (the layout links it in the head) and map_url
 * for the list's filters f (page_ideas_filter_parse); the feed of one idea. */
void page_feeds_list_links(struct req *req, const struct idea_filter *f, json_t *model);
void page_feeds_idea_link(struct req *req, json_t *model, int64_t id);

/* cycles.c: the cycles, public, and the team's forms */
void page_cycles_list(struct req *req, struct resp *resp);
void page_cycle_show(struct req *req, struct resp *resp);
void page_cycle_new_form(struct req *req, struct resp *resp);
void page_cycle_create_submit(struct req *req, struct resp *resp);
void page_cycle_edit_form(struct req *req, struct resp *resp);
void page_cycle_update_submit(struct req *req, struct resp *resp);
/* coauthor.c: answering a co-author invitation */
void page_coauthor_form(struct req *req, struct resp *resp);
void page_coauthor_submit(struct req *req, struct resp *resp);

/* merge.c: similar ideas (GET /ideas/similar; page_idea_check_similar answers the
 * submission form's "check" button with form, its model, storing nothing) and
 * merging duplicates; page_merge_redirect answers for a merged idea's page (true),
 * page_merge_refuse_write answers 409 "merged" (naming and linking the target) to a
 * write on a merged idea (true); both answer 500 (and return true) when the database
 * fails. page_merge_idea_model adds the ideas merged into it and the team's merge
 * form (0, or -1 when the database failed). */
void page_ideas_similar(struct req *req, struct resp *resp);
void page_idea_check_similar(struct req *req, struct resp *resp, json_t *form);
void page_idea_merge_submit(struct req *req, struct resp *resp);
bool page_merge_redirect(struct req *req, struct resp *resp, int64_t id);
bool page_merge_refuse_write(struct req *req, struct resp *resp, int64_t id);
int page_merge_idea_model(struct req *req, json_t *idea, int64_t id);

/* idea_attachments.c: documents attached to an idea by its authors and the
 * team (web/attachments.c); page_idea_attachment_upload is the upload rule
 * of POST /ideas/{id}/attachments; page_idea_attachments_section the
 * section of the idea page (json null when the visitor may not see it;
 * NULL when the database failed), for an idea the page has shown the
 * visitor may see, known_count its attachment_count (-1: unknown). */
extern const struct upload_rule page_idea_attachment_upload;
void page_idea_attachments_list(struct req *req, struct resp *resp);
void page_idea_attachment_create(struct req *req, struct resp *resp);
void page_idea_attachment_show(struct req *req, struct resp *resp);
void page_idea_attachment_delete(struct req *req, struct resp *resp);
json_t *page_idea_attachments_section(struct req *req, int64_t id, int64_t known_count);

#endif
