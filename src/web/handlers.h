/* Every handler of the web layer; src/routes.c maps paths to them. */
#ifndef UNBOX_HANDLERS_H
#define UNBOX_HANDLERS_H
#include "web/req.h"

/* home.c */
void home_show(struct req *req, struct resp *resp);
void health_show(struct req *req, struct resp *resp);
/* account.c */
void register_form(struct req *req, struct resp *resp);
void register_submit(struct req *req, struct resp *resp);
void confirm_form(struct req *req, struct resp *resp);
void confirm_submit(struct req *req, struct resp *resp);
void login_form(struct req *req, struct resp *resp);
void login_submit(struct req *req, struct resp *resp);
void logout_submit(struct req *req, struct resp *resp);
void profile_show(struct req *req, struct resp *resp);
void session_show(struct req *req, struct resp *resp);
/* ideas.c */
void ideas_list(struct req *req, struct resp *resp);
/* The list filters of the query (field, bezirk, zielbild, need, status,
 * cycle, phase) into f, shared by /ideas and /search: the number of problems
 * added to fe; the same filters as query parameters onto b; the selects of
 * the filter form into model. */
struct idea_filter;
struct buf;
int ideas_filter_parse(struct req *req, struct idea_filter *f, struct field_errors *fe);
void ideas_filter_query(struct req *req, const struct idea_filter *f, struct buf *b);
/* path followed by the filters' query ("?field=…", in their canonical order;
 * nothing when none is set), in the request's arena. */
const char *ideas_filter_url(struct req *req, const char *path, const struct idea_filter *f);
void ideas_filter_model(struct req *req, const struct idea_filter *f, json_t *model);
void idea_form(struct req *req, struct resp *resp);
void idea_create(struct req *req, struct resp *resp);
void idea_show(struct req *req, struct resp *resp);
/* search.c */
void search_show(struct req *req, struct resp *resp);
/* support.c */
void idea_support(struct req *req, struct resp *resp);
void idea_unsupport(struct req *req, struct resp *resp);
void idea_follow(struct req *req, struct resp *resp);
void idea_unfollow(struct req *req, struct resp *resp);
void cycle_follow(struct req *req, struct resp *resp);
void cycle_unfollow(struct req *req, struct resp *resp);
/* Adds the public support count to an idea, and for a logged-in visitor
 * their own state (viewer: supported, following). Not a route. */
void idea_actions_model(struct req *req, json_t *idea);
/* notifications.c */
void notifications_show(struct req *req, struct resp *resp);
void notifications_read(struct req *req, struct resp *resp);
/* status.c: the status workflow; idea_workflow_model adds the timeline, caretaker
 * and the forms of whoever may use them to an idea (idea page); idea_page_error
 * renders the idea page again with a form's errors. */
void idea_status_submit(struct req *req, struct resp *resp);
void idea_workflow_model(struct req *req, json_t *idea, int64_t id);
void idea_page_error(struct req *req, struct resp *resp, int64_t id, int status, const char *code,
		     const char *message, const struct field_errors *fe);
/* caretaker.c */
void idea_caretaker_submit(struct req *req, struct resp *resp);
void caretaker_show(struct req *req, struct resp *resp);
/* assisted.c */
void assisted_form(struct req *req, struct resp *resp);
void assisted_create(struct req *req, struct resp *resp);

/* comments.c */
void comments_list(struct req *req, struct resp *resp);
void comment_create(struct req *req, struct resp *resp);
void comment_replies_show(struct req *req, struct resp *resp);
void comment_edit_form(struct req *req, struct resp *resp);
void comment_edit_submit(struct req *req, struct resp *resp);
void comment_delete_submit(struct req *req, struct resp *resp);
/* The comment section of idea_id's page (json null when there is no such idea). */
json_t *comments_section(struct req *req, int64_t idea_id);

/* map.c: the map of ideas (HTML with the SVG inline, JSON) and the SVG alone,
 * under the list's filters (ideas_filter_parse) */
void ideas_map(struct req *req, struct resp *resp);
void ideas_map_svg(struct req *req, struct resp *resp);
/* feeds.c: Atom feeds of the idea list (with its filters, ideas_filter_parse) and of one idea */
void ideas_feed(struct req *req, struct resp *resp);
void idea_feed(struct req *req, struct resp *resp);
/* Adds atom_feed {href, title} (the layout links it in the head) and map_url
 * for the list's filters f (ideas_filter_parse); the feed of one idea. */
void feeds_list_links(struct req *req, const struct idea_filter *f, json_t *model);
void feeds_idea_link(struct req *req, json_t *model, int64_t id);

/* cycles.c: the cycles, public, and the team's forms */
void cycles_list(struct req *req, struct resp *resp);
void cycle_show(struct req *req, struct resp *resp);
void cycle_new_form(struct req *req, struct resp *resp);
void cycle_create_submit(struct req *req, struct resp *resp);
void cycle_edit_form(struct req *req, struct resp *resp);
void cycle_update_submit(struct req *req, struct resp *resp);
/* coauthor.c: answering a co-author invitation */
void coauthor_form(struct req *req, struct resp *resp);
void coauthor_submit(struct req *req, struct resp *resp);

/* moderation.c: reports, the team's queue, hiding, blocking */
void idea_report(struct req *req, struct resp *resp);
void comment_report(struct req *req, struct resp *resp);
void moderation_show(struct req *req, struct resp *resp);
void report_resolve(struct req *req, struct resp *resp);
void idea_hide(struct req *req, struct resp *resp);
void idea_unhide(struct req *req, struct resp *resp);
void comment_hide(struct req *req, struct resp *resp);
void comment_unhide(struct req *req, struct resp *resp);
void user_block(struct req *req, struct resp *resp);
void user_unblock(struct req *req, struct resp *resp);
/* The idea page's moderation part: the hidden state, the report form for a
 * logged-in visitor, hide or unhide for the team. Returns true when the idea
 * is hidden from this visitor: *idea is then replaced by its title and the
 * public reason only. */
bool moderation_idea_view(struct req *req, json_t **idea);

/* merge.c: similar ideas (GET /ideas/similar; idea_check_similar answers the
 * submission form's "check" button with form, its model, storing nothing) and
 * merging duplicates; merge_redirect answers for a merged idea's page (true),
 * merge_refuse_write answers 409 "merged" (naming and linking the target) to a
 * write on a merged idea (true), merge_idea_model adds the ideas merged into
 * it and the team's merge form. */
void ideas_similar(struct req *req, struct resp *resp);
void idea_check_similar(struct req *req, struct resp *resp, json_t *form);
void idea_merge_submit(struct req *req, struct resp *resp);
bool merge_redirect(struct req *req, struct resp *resp, int64_t id);
bool merge_refuse_write(struct req *req, struct resp *resp, int64_t id);
void merge_idea_model(struct req *req, json_t *idea, int64_t id);

/* Not a route: what the server answers when nothing matched, or a route refused. */
void not_found(struct req *req, struct resp *resp);

#endif
