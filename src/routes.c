/* Every route of un:box. Each path also answers in JSON under /api/v1/...
 * and with Accept: application/json. Body limits are per route. */
#include "http/api_index.h"
#include "http/router.h"
#include "web/handlers.h"
#include "web/dialogue/handlers.h"
#include "web/portal/handlers.h"

#define KB 1024
#define MB (1024 * KB)

const struct route routes[] = {
	/* method  pattern          handler          who may          body     flags, target kind */

	/* ---- every area: health, accounts, notifications, the moderation queue ---- */
	{ "GET",  "/healthz",       page_health_show,     0,               0,       ROUTE_BARE },
	{ "GET",  "/register",      page_register_form,   0,               0,       0 },
	{ "POST", "/register",      page_register_submit, 0,               8 * KB,  0 },
	{ "GET",  "/confirm",       page_confirm_form,    0,               0,       0 },
	{ "POST", "/confirm",       page_confirm_submit,  0,               2 * KB,  0 },
	{ "GET",  "/login",         page_login_form,      0,               0,       0 },
	{ "POST", "/login",         page_login_submit,    0,               4 * KB,  0 },
	{ "POST", "/logout",        page_logout_submit,   ROLES_LOGGED_IN, 1 * KB,  0 },
	{ "GET",  "/profile",       page_profile_show,    ROLES_LOGGED_IN, 0,       0 },
	{ "GET",  "/session",       page_session_show,    0,               0,       0 },
	{ "GET",  "/api/v1",        page_api_index,       0,               0,       0 },
	{ "GET",  "/notifications",        page_notifications_show, ROLES_LOGGED_IN, 0, 0 },
	{ "POST", "/notifications/read",   page_notifications_read, ROLES_LOGGED_IN, 1 * KB, 0 },
	{ "GET",  "/moderation",           page_moderation_show, ROLES_STAFF,    0,      0 },
	{ "POST", "/moderation/reports/{id}/resolve", page_report_resolve, ROLES_STAFF, 1 * KB, 0 },
	{ "POST", "/users/{id}/block",     page_user_block,     ROLES_STAFF,     1 * KB, 0 },
	{ "POST", "/users/{id}/unblock",   page_user_unblock,   ROLES_STAFF,     1 * KB, 0 },

	/* ---- the shared dialogue services on their own addresses (comments) ---- */
	{ "GET",  "/comments/{id}/replies", page_comment_replies_show,  0,               0,       ROUTE_CACHE },
	{ "GET",  "/comments/{id}/edit",    page_comment_edit_form,     ROLES_LOGGED_IN, 0,       0 },
	{ "POST", "/comments/{id}/edit",    page_comment_edit_submit,   ROLES_LOGGED_IN, 64 * KB, 0 },
	{ "POST", "/comments/{id}/delete",  page_comment_delete_submit, ROLES_LOGGED_IN, 8 * KB,  0 },
	{ "POST", "/comments/{id}/report", page_report_submit, ROLES_LOGGED_IN, 8 * KB, 0, &page_comment },
	{ "POST", "/comments/{id}/hide",   page_hide_submit,   ROLES_STAFF,     8 * KB, 0, &page_comment },
	{ "POST", "/comments/{id}/unhide", page_unhide_submit, ROLES_STAFF,     1 * KB, 0, &page_comment },

	/* ---- portal: the start page ---- */
	{ "GET",  "/",              page_home_show,       0,               0,       ROUTE_CACHE },

	/* ---- dialogue: ideas, cycles, their comments, follows, reports and attachments ---- */
	{ "GET",  "/ideas",         page_ideas_list,      0,               0,       ROUTE_CACHE },
	{ "GET",  "/ideas/new",     page_idea_form,       ROLES_LOGGED_IN, 0,       0 },
	{ "POST", "/ideas",         page_idea_create,     ROLES_LOGGED_IN, 64 * KB, 0 },
	{ "GET",  "/ideas/{id}",    page_idea_show,       0,               0,       ROUTE_CACHE },
	{ "GET",  "/ideas/{id}/edit", page_idea_edit_form, ROLES_LOGGED_IN, 0,      0 },
	{ "POST", "/ideas/{id}/edit", page_idea_edit_submit, ROLES_LOGGED_IN, 64 * KB, 0 },
	{ "GET",  "/ideas/{id}/versions", page_idea_versions_show, ROLES_LOGGED_IN, 0, 0 },
	{ "GET",  "/ideas/map",     page_ideas_map,       0,               0,       ROUTE_CACHE },
	{ "GET",  "/ideas/similar", page_ideas_similar,   0,               0,       0 },
	{ "GET",  "/ideas/map.svg", page_ideas_map_svg,   0,               0,       ROUTE_CACHE },
	{ "GET",  "/ideas.atom",    page_ideas_feed,      0,               0,       ROUTE_CACHE },
	{ "GET",  "/ideas/{id}/feed.atom", page_idea_feed, 0,              0,       ROUTE_CACHE },
	{ "GET",  "/ideas/{id}/comments",   page_comments_list,         0,               0,       ROUTE_CACHE, &page_idea },
	{ "POST", "/ideas/{id}/comments",   page_comment_create,        ROLES_LOGGED_IN, 64 * KB, 0, &page_idea },
	{ "GET",  "/ideas/{id}/attachments",      page_idea_attachments_list,  0,               0,       ROUTE_CACHE },
	{ "POST", "/ideas/{id}/attachments",      page_idea_attachment_create, ROLES_LOGGED_IN, 10 * MB + 64 * KB,
	  ROUTE_UPLOAD, .upload = &page_idea_attachment_upload },
	{ "GET",  "/ideas/{id}/attachments/{id}", page_idea_attachment_show,   0,               0,       0 },
	{ "POST", "/ideas/{id}/attachments/{id}/delete", page_idea_attachment_delete, ROLES_LOGGED_IN, 1 * KB, 0 },
	{ "GET",  "/search",        page_search_show,     0,               0,       0 },
	{ "GET",  "/cycles",        page_cycles_list,     0,               0,       ROUTE_CACHE },
	{ "GET",  "/cycles/new",    page_cycle_new_form,  ROLES_STAFF,     0,       0 },
	{ "POST", "/cycles",        page_cycle_create_submit, ROLES_STAFF, 8 * KB,  0 },
	{ "GET",  "/cycles/{id}",   page_cycle_show,      0,               0,       ROUTE_CACHE },
	{ "GET",  "/cycles/{id}/edit", page_cycle_edit_form, ROLES_STAFF,  0,       0 },
	{ "POST", "/cycles/{id}",   page_cycle_update_submit, ROLES_STAFF, 8 * KB,  0 },
	{ "GET",  "/coauthor",      page_coauthor_form,   0,               0,       0 },
	{ "POST", "/coauthor",      page_coauthor_submit, 0,               2 * KB,  0 },
	{ "POST", "/ideas/{id}/support",   page_idea_support,   ROLES_LOGGED_IN, 1 * KB, 0 },
	{ "POST", "/ideas/{id}/unsupport", page_idea_unsupport, ROLES_LOGGED_IN, 1 * KB, 0 },
	{ "POST", "/ideas/{id}/follow",    page_follow_submit,    ROLES_LOGGED_IN, 1 * KB, 0, &page_idea },
	{ "POST", "/ideas/{id}/unfollow",  page_unfollow_submit,  ROLES_LOGGED_IN, 1 * KB, 0, &page_idea },
	{ "POST", "/cycles/{id}/follow",   page_follow_submit,   ROLES_LOGGED_IN, 1 * KB, 0, &page_cycle },
	{ "POST", "/cycles/{id}/unfollow", page_unfollow_submit, ROLES_LOGGED_IN, 1 * KB, 0, &page_cycle },
	{ "POST", "/ideas/{id}/status", page_idea_status_submit, ROLES_LOGGED_IN, 8 * KB, 0 },
	{ "POST", "/ideas/{id}/reopen", page_idea_reopen_submit, ROLES_STAFF, 8 * KB, 0 },
	{ "POST", "/ideas/{id}/caretaker", page_idea_caretaker_submit, ROLES_STAFF, 1 * KB, 0 },
	{ "GET",  "/caretaker",     page_caretaker_show,  ROLES_STAFF,     0,       0 },
	{ "GET",  "/ideas/assisted", page_assisted_form,  ROLES_STAFF,     0,       0 },
	{ "POST", "/ideas/assisted", page_assisted_create, ROLES_STAFF,    64 * KB, 0 },
	{ "GET",  "/campaigns",     page_campaigns_show,  ROLES_STAFF,     0,       0 },
	{ "POST", "/campaigns",     page_campaign_create, ROLES_STAFF,     4 * KB,  0 },
	{ "POST", "/ideas/{id}/report",    page_report_submit,    ROLES_LOGGED_IN, 8 * KB, 0, &page_idea },
	{ "POST", "/ideas/{id}/hide",      page_hide_submit,      ROLES_STAFF,     8 * KB, 0, &page_idea },
	{ "POST", "/ideas/{id}/unhide",    page_unhide_submit,    ROLES_STAFF,     1 * KB, 0, &page_idea },
	{ "POST", "/ideas/{id}/merge",     page_idea_merge_submit, ROLES_STAFF,  8 * KB, 0 },
};

const size_t routes_count = sizeof routes / sizeof routes[0];
