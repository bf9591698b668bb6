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
void page_register_form(struct req *req, struct resp *resp);
void page_register_submit(struct req *req, struct resp *resp);
void page_confirm_form(struct req *req, struct resp *resp);
void page_confirm_submit(struct req *req, struct resp *resp);
void page_login_form(struct req *req, struct resp *resp);
void page_login_submit(struct req *req, struct resp *resp);
void page_logout_submit(struct req *req, struct resp *resp);
void page_profile_show(struct req *req, struct resp *resp);
void page_session_show(struct req *req, struct resp *resp);

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

/* follows.c: following the target the route names */
void page_follow_submit(struct req *req, struct resp *resp);
void page_unfollow_submit(struct req *req, struct resp *resp);

/* moderation.c: reports and hiding of the target the route names, the
 * team's queue, blocking */
extern const struct page_target page_comment;   /* comments as the target of reports and hiding */
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

#endif
