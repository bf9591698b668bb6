/* The handlers every area shares: accounts, notifications, the shared
 * dialogue services (comments, moderation) and the answers that need no area.
 * Each area has its own header (web/<area>/handlers.h); src/routes.c maps
 * paths to all of them. Handlers are named page_<module>_<action>. */
#ifndef UNBOX_WEB_HANDLERS_H
#define UNBOX_WEB_HANDLERS_H
#include "web/req.h"

/* health.c */
void page_health_show(struct req *req, struct resp *resp);
/* Not a route: what the server answers when nothing matched, or a route refused. */
void page_not_found(struct req *req, struct resp *resp);

/* account.c */
#define PAGE_SESSION_COOKIE "unbox_session"
/* The account as its own pages show it: {id, email, name, role, role_label, lang, member_since}. */
json_t *page_user_json(const struct user *u, const char *lang);
void page_register_form(struct req *req, struct resp *resp);
void page_register_submit(struct req *req, struct resp *resp);
void page_confirm_form(struct req *req, struct resp *resp);
void page_confirm_submit(struct req *req, struct resp *resp);
void page_login_form(struct req *req, struct resp *resp);
void page_login_submit(struct req *req, struct resp *resp);
void page_logout_submit(struct req *req, struct resp *resp);
void page_session_show(struct req *req, struct resp *resp);

/* profile.c: the person's own account: changing name, address and
 * password, their sessions, their lists, the export of their data, deleting
 * the account */
void page_profile_show(struct req *req, struct resp *resp);
void page_profile_name_submit(struct req *req, struct resp *resp);
void page_profile_email_submit(struct req *req, struct resp *resp);
void page_email_confirm_form(struct req *req, struct resp *resp);
void page_email_confirm_submit(struct req *req, struct resp *resp);
void page_profile_password_submit(struct req *req, struct resp *resp);
void page_profile_session_end(struct req *req, struct resp *resp);
void page_profile_sessions_end_others(struct req *req, struct resp *resp);
void page_profile_list(struct req *req, struct resp *resp);         /* /profile/ideas, …/comments, …/supports, …/follows */
void page_profile_export_show(struct req *req, struct resp *resp);
void page_profile_export_download(struct req *req, struct resp *resp);
void page_profile_delete_form(struct req *req, struct resp *resp);
void page_profile_delete_submit(struct req *req, struct resp *resp);
void page_profile_deleted_show(struct req *req, struct resp *resp);

/* users.c: a person's page for the team (blocking from there) */
void page_user_show(struct req *req, struct resp *resp);
/* The person's page with model's error (a block form sent without a good
 * reason): status and message as resp_error. */
void page_user_error(struct req *req, struct resp *resp, int64_t id, int status, const char *code, const char *message,
		     const struct field_errors *fe);

/* notifications.c */
void page_notifications_show(struct req *req, struct resp *resp);
void page_notifications_read(struct req *req, struct resp *resp);
/* The sentence of an area's kind of notification: the translated text with
 * {name} placeholders, filled from vars (which format may set), then from
 * the notification's data. */
struct page_notification {
	const char *kind;   /* "idea.status" */
	const char *(*format)(struct req *req, json_t *data, json_t *vars);
};
/* The areas' kinds, ending with {NULL}; kept, not copied. The kinds every
 * area shares (comments, answers, moderation) need none. */
void page_notification_kinds_init(const struct page_notification *kinds);

/* comments.c: comments on the target the route names (req->target) */
void page_comments_list(struct req *req, struct resp *resp);
void page_comment_create(struct req *req, struct resp *resp);
void page_comment_replies_show(struct req *req, struct resp *resp);
void page_comment_edit_form(struct req *req, struct resp *resp);
void page_comment_edit_submit(struct req *req, struct resp *resp);
void page_comment_delete_submit(struct req *req, struct resp *resp);
/* The comment section of a target's page; NULL when the database failed
 * or there is no such target. */
struct target_kind;
json_t *page_comments_section(struct req *req, const struct target_kind *kind, int64_t id);
/* The comment and report fields as the pages show them (form_input): a
 * target's page puts them into its model as "input". */
json_t *page_comments_input(struct req *req);

/* follows.c: following the target the route names */
void page_follow_submit(struct req *req, struct resp *resp);
void page_unfollow_submit(struct req *req, struct resp *resp);

/* moderation.c: reports and hiding of the target the route names, the
 * team's queue, blocking */
extern const struct page_target page_comment;   /* comments as the target of reports and hiding */
/* The reason of a report or of hiding, with the domain's bounds (form_input):
 * every page that shows those forms states them. */
extern const struct form_field page_moderation_form[];
void page_report_submit(struct req *req, struct resp *resp);
void page_hide_submit(struct req *req, struct resp *resp);
void page_unhide_submit(struct req *req, struct resp *resp);
void page_moderation_show(struct req *req, struct resp *resp);
void page_report_resolve(struct req *req, struct resp *resp);
void page_user_block(struct req *req, struct resp *resp);
void page_user_unblock(struct req *req, struct resp *resp);
/* The moderation part of a target's page (item: the target's view model,
 * with "id" and "hidden"): the hidden state, the report form for a
 * logged-in visitor, hide or unhide for the team. Returns true when the
 * target is hidden from this visitor: *item is then replaced by its title
 * and the public reason only. *failed when the database failed. */
bool page_moderation_view(struct req *req, const struct page_target *t, json_t **item, bool *failed);

/* attachments.c: the parts of attachments (domain/attachment.h) that every
 * target shares. Each area's handlers decide who may see a target and who
 * may change its attachments, then call these. base is the target's page
 * ("/ideas/42"): its attachments are base/attachments, one is
 * base/attachments/ID, deleted by a POST to base/attachments/ID/delete. */
struct attachment_rules;
/* The attachments section of the target's page: {items (each with url, and
 * delete_url when may_edit), count, max_count, has_items, paging {limit,
 * max_limit, next}, url, and when may_edit form {action, csrf, accept, hint
 * (a msgid stating the rules' limits, translated), full, typed title}}.
 * after and limit page the list (0: from the start, the default size).
 * known_count: the target's count when its own row brought it (0: the list
 * is not read at all), else -1. NULL when the database failed. */
json_t *page_attachments_section(struct req *req, const char *kind, int64_t target_id, const char *base,
				 const struct attachment_rules *rules, const char *hint, bool may_edit, int64_t after,
				 int limit, int64_t known_count);
/* The list's paging from the query (after, limit): false when it is
 * malformed and the error was answered. */
bool page_attachments_paging(struct req *req, struct resp *resp, int64_t *after, int *limit);
/* Stores the request's file (form field "file", title from the field
 * "title") for the target: attachment_add's result, with the new id. */
int page_attachment_store(struct req *req, const char *kind, int64_t target_id,
			  const struct attachment_rules *rules, struct field_errors *fe, int64_t *id);
/* Answers with attachment id of the target: its facts in JSON, else the
 * file itself (Content-Disposition: attachment, the stored type, an ETag of
 * its SHA-256). 404 when it is not one of the target's attachments. */
void page_attachment_send(struct req *req, struct resp *resp, const char *kind, int64_t target_id, int64_t id,
			  const char *base);
/* One attachment as the JSON answers show it (attachment_get with url):
 * 1 with *out, 0 or -1. */
int page_attachment_model(struct req *req, int64_t id, const char *base, json_t **out);

#endif
