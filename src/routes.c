/* Every route of un:box. Each path also answers in JSON under /api/v1/...
 * and with Accept: application/json. Body limits are per route: a form whose
 * fields each keep to their bounds never meets its route's limit. */
#include "http/api_index.h"
#include "http/router.h"
#include "domain/comment.h"
#include "domain/moderation.h"
#include "domain/password.h"
#include "domain/token.h"
#include "domain/user.h"
#include "domain/admin/people.h"
#include "domain/dialogue/campaign.h"
#include "domain/portal/feedback.h"
#include "domain/portal/infotext.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/idea_details.h"
#include "domain/dialogue/idea_status.h"
#include "domain/dialogue/merge.h"
#include "web/handlers.h"
#include "web/dialogue/handlers.h"
#include "web/portal/handlers.h"
#include "web/admin/handlers.h"
#include "web/site.h"
#include "domain/settings.h"

#define KB 1024
#define MB (1024 * KB)

/* The body of a form whose text fields hold `chars` characters in all, and
 * `bytes` bytes of fields counted in bytes (a password): urlencoded, a
 * character takes up to 12 bytes (4 bytes of UTF-8, each as %XX; JSON's
 * \uXXXX\uXXXX as many), a byte 3; the field names, the CSRF token, choices
 * and separators get 4 KB. */
#define FORM_BYTES(chars, bytes) (12 * (chars) + 3 * (bytes) + 4 * KB)
/* the e-mail addresses of the co-author field: five, with a comma and a space between */
#define CO_AUTHORS_CHARS (IDEA_CO_AUTHORS_MAX * (EMAIL_MAX + 2))
#define IDEA_FORM_CHARS (IDEA_TITLE_MAX + IDEA_SUMMARY_MAX + IDEA_DESCRIPTION_MAX + IDEA_CAMPAIGN_MAX)
#define REGISTER_BODY FORM_BYTES(EMAIL_MAX + NAME_MAX, PASSWORD_MAX_BYTES)
#define LOGIN_BODY    FORM_BYTES(EMAIL_MAX + 512, PASSWORD_MAX_BYTES)       /* 512: the "next" path */
#define COAUTHOR_BODY FORM_BYTES(TOKEN_LEN + NAME_MAX, 0)
#define IDEA_BODY     FORM_BYTES(IDEA_FORM_CHARS + CO_AUTHORS_CHARS, 0)
#define ASSISTED_BODY FORM_BYTES(IDEA_FORM_CHARS + NAME_MAX + EMAIL_MAX, 0)
#define COMMENT_BODY  FORM_BYTES(COMMENT_BODY_MAX, 0)
#define REASON_BODY   FORM_BYTES(MODERATION_REASON_MAX + 512, 0)              /* 512: the "next" path */
#define STATUS_BODY   FORM_BYTES(STATUS_REASON_MAX, 0)
#define MERGE_BODY    FORM_BYTES(MERGE_REASON_MAX, 0)
#define CYCLE_BODY    FORM_BYTES(2 * CYCLE_THEME_MAX, 0)                       /* the themes, de and en */
#define NAME_BODY     FORM_BYTES(NAME_MAX, 0)
#define EMAIL_BODY    FORM_BYTES(EMAIL_MAX, PASSWORD_MAX_BYTES)                /* the new address, the password */
#define PASSWORD_BODY FORM_BYTES(EMAIL_MAX, 2 * PASSWORD_MAX_BYTES)            /* the current and the new one */
#define DELETE_BODY   FORM_BYTES(0, PASSWORD_MAX_BYTES)
#define ROLE_BODY     FORM_BYTES(ROLE_REASON_MAX, 0)
#define SETTINGS_BODY FORM_BYTES(SETTINGS_FORM_CHARS, 0)
#define FEEDBACK_BODY FORM_BYTES(FEEDBACK_MESSAGE_MAX + FEEDBACK_WHERE_MAX + NAME_MAX + EMAIL_MAX, 0)
#define TEXT_BODY     FORM_BYTES(INFOTEXT_TITLE_MAX + INFOTEXT_BODY_MAX + INFOTEXT_NOTE_MAX, 0)
#define CAMPAIGN_BODY FORM_BYTES(IDEA_CAMPAIGN_MAX + CAMPAIGN_NAME_MAX, 0)

const struct route routes[] = {
	/* method  pattern          handler          who may          body     flags, target kind */

	/* ---- every area: health, accounts, notifications, the moderation queue ---- */
	{ "GET",  "/healthz",       page_health_show,     0,               0,       ROUTE_BARE },
	{ "GET",  "/register",      page_register_form,   0,               0,       0 },
	{ "POST", "/register",      page_register_submit, 0,               REGISTER_BODY, 0 },
	{ "GET",  "/confirm",       page_confirm_form,    0,               0,       0 },
	{ "POST", "/confirm",       page_confirm_submit,  0,               2 * KB,  0 },
	{ "GET",  "/login",         page_login_form,      0,               0,       0 },
	{ "POST", "/login",         page_login_submit,    0,               LOGIN_BODY, 0 },
	{ "POST", "/logout",        page_logout_submit,   ROLES_LOGGED_IN, 1 * KB,  0 },
	{ "GET",  "/session",       page_session_show,    0,               0,       0 },
	{ "GET",  "/profile",       page_profile_show,    ROLES_LOGGED_IN, 0,       0 },
	{ "POST", "/profile/name",  page_profile_name_submit,     ROLES_LOGGED_IN, NAME_BODY, 0 },
	{ "POST", "/profile/email", page_profile_email_submit,    ROLES_LOGGED_IN, EMAIL_BODY, 0 },
	{ "GET",  "/email/confirm", page_email_confirm_form,      0,               0,      0 },
	{ "POST", "/email/confirm", page_email_confirm_submit,    0,               2 * KB, 0 },
	{ "POST", "/profile/password", page_profile_password_submit, ROLES_LOGGED_IN, PASSWORD_BODY, 0 },
	{ "POST", "/profile/sessions/{id}/end", page_profile_session_end, ROLES_LOGGED_IN, 1 * KB, 0 },
	{ "POST", "/profile/sessions/end-others", page_profile_sessions_end_others, ROLES_LOGGED_IN, 1 * KB, 0 },
	{ "GET",  "/profile/ideas",    page_profile_list,         ROLES_LOGGED_IN, 0,      0 },
	{ "GET",  "/profile/comments", page_profile_list,         ROLES_LOGGED_IN, 0,      0 },
	{ "GET",  "/profile/supports", page_profile_list,         ROLES_LOGGED_IN, 0,      0 },
	{ "GET",  "/profile/follows",  page_profile_list,         ROLES_LOGGED_IN, 0,      0 },
	{ "GET",  "/profile/export",   page_profile_export_show,  ROLES_LOGGED_IN, 0,      0 },
	{ "GET",  "/profile/export.json", page_profile_export_download, ROLES_LOGGED_IN, 0, 0 },
	{ "GET",  "/profile/delete",   page_profile_delete_form,  ROLES_LOGGED_IN, 0,      0 },
	{ "POST", "/profile/delete",   page_profile_delete_submit, ROLES_LOGGED_IN, DELETE_BODY, 0 },
	{ "GET",  "/profile/deleted",  page_profile_deleted_show, 0,               0,      0 },
	{ "GET",  "/api/v1",        page_api_index,       0,               0,       0 },
	{ "GET",  "/notifications",        page_notifications_show, ROLES_LOGGED_IN, 0, 0 },
	{ "POST", "/notifications/read",   page_notifications_read, ROLES_LOGGED_IN, 1 * KB, 0 },
	{ "GET",  "/moderation",           page_moderation_show, ROLES_STAFF,    0,      0 },
	{ "POST", "/moderation/reports/{id}/resolve", page_report_resolve, ROLES_STAFF, 1 * KB, 0 },
	{ "GET",  "/users/{id}",           page_user_show,      ROLES_STAFF,     0,      0 },
	{ "POST", "/users/{id}/block",     page_user_block,     ROLES_STAFF,     REASON_BODY, 0 },
	{ "POST", "/users/{id}/unblock",   page_user_unblock,   ROLES_STAFF,     REASON_BODY, 0 },

	/* ---- the shared dialogue services on their own addresses (comments) ---- */
	{ "GET",  "/comments/{id}/replies", page_comment_replies_show,  0,               0,       ROUTE_CACHE },
	{ "GET",  "/comments/{id}/edit",    page_comment_edit_form,     ROLES_LOGGED_IN, 0,       0 },
	{ "POST", "/comments/{id}/edit",    page_comment_edit_submit,   ROLES_LOGGED_IN, COMMENT_BODY, 0 },
	{ "POST", "/comments/{id}/delete",  page_comment_delete_submit, ROLES_LOGGED_IN, REASON_BODY, 0 },
	{ "POST", "/comments/{id}/report", page_report_submit, ROLES_LOGGED_IN, REASON_BODY, 0, &page_comment },
	{ "POST", "/comments/{id}/hide",   page_hide_submit,   ROLES_STAFF,     REASON_BODY, 0, &page_comment },
	{ "POST", "/comments/{id}/unhide", page_unhide_submit, ROLES_STAFF,     1 * KB, 0, &page_comment },

	/* ---- portal: the start page, the pages the law requires, the pages explaining un:box ---- */
	{ "GET",  "/",              page_home_show,       0,               0,       ROUTE_CACHE },
	{ "GET",  "/impressum",        page_info_show,    0,               0,       ROUTE_CACHE },
	{ "GET",  "/datenschutz",      page_info_show,    0,               0,       ROUTE_CACHE },
	{ "GET",  "/barrierefreiheit", page_info_show,    0,               0,       ROUTE_CACHE },
	{ "GET",  "/kontakt",          page_info_show,    0,               0,       ROUTE_CACHE },
	{ "GET",  "/about",            page_info_show,    0,               0,       ROUTE_CACHE },
	{ "GET",  "/leichte-sprache",  page_info_show,    0,               0,       ROUTE_CACHE },
	{ "GET",  "/barrierefreiheit/feedback", page_feedback_form,   0,   0,       0 },
	{ "POST", "/barrierefreiheit/feedback", page_feedback_submit, 0,   FEEDBACK_BODY, 0 },
	{ "GET",  "/texts",            page_texts_list,   ROLES_STAFF,     0,       0 },
	{ "GET",  "/texts/edit",       page_text_edit_form,   ROLES_STAFF, 0,       0 },
	{ "POST", "/texts/edit",       page_text_edit_submit, ROLES_STAFF, TEXT_BODY,  0 },
	{ "GET",  "/texts/versions/{id}", page_text_version_show, ROLES_STAFF, 0,   0 },
	{ "GET",  "/logo",             page_logo_show,    0,               0,       0 },

	/* ---- admin: people and roles, the moderation log, the settings (administrators only) ---- */
	{ "GET",  "/admin",            page_admin_show,   ROLE_ADMIN,      0,       0 },
	{ "GET",  "/admin/users",      page_people_list,  ROLE_ADMIN,      0,       0 },
	{ "GET",  "/admin/users/{id}", page_person_show,  ROLE_ADMIN,      0,       0 },
	{ "POST", "/admin/users/{id}/role", page_person_role_submit, ROLE_ADMIN, ROLE_BODY, 0 },
	{ "GET",  "/admin/audit",      page_auditlog_show, ROLE_ADMIN,     0,       0 },
	{ "GET",  "/admin/settings",   page_settings_form, ROLE_ADMIN,     0,       0 },
	{ "POST", "/admin/settings",   page_settings_submit, ROLE_ADMIN,   SETTINGS_BODY,  0 },
	{ "POST", "/admin/settings/logo", page_settings_logo_submit, ROLE_ADMIN, SETTINGS_LOGO_MAX + 64 * KB,
	  ROUTE_UPLOAD, .upload = &page_settings_logo_upload },
	{ "POST", "/admin/settings/logo/delete", page_settings_logo_delete, ROLE_ADMIN, 1 * KB, 0 },

	/* ---- dialogue: ideas, cycles, their comments, follows, reports and attachments ---- */
	{ "GET",  "/ideas",         page_ideas_list,      0,               0,       ROUTE_CACHE },
	{ "GET",  "/ideas/new",     page_idea_form,       ROLES_LOGGED_IN, 0,       0 },
	{ "POST", "/ideas",         page_idea_create,     ROLES_LOGGED_IN, IDEA_BODY, 0 },
	{ "GET",  "/ideas/{id}",    page_idea_show,       0,               0,       ROUTE_CACHE },
	{ "GET",  "/ideas/{id}/edit", page_idea_edit_form, ROLES_LOGGED_IN, 0,      0 },
	{ "POST", "/ideas/{id}/edit", page_idea_edit_submit, ROLES_LOGGED_IN, IDEA_BODY, 0 },
	{ "GET",  "/ideas/{id}/versions", page_idea_versions_show, ROLES_LOGGED_IN, 0, 0 },
	{ "GET",  "/ideas/map",     page_ideas_map,       0,               0,       ROUTE_CACHE },
	{ "GET",  "/ideas/similar", page_ideas_similar,   0,               0,       0 },
	{ "GET",  "/ideas/map.svg", page_ideas_map_svg,   0,               0,       ROUTE_CACHE },
	{ "GET",  "/ideas.atom",    page_ideas_feed,      0,               0,       ROUTE_CACHE },
	{ "GET",  "/ideas/{id}/feed.atom", page_idea_feed, 0,              0,       ROUTE_CACHE },
	{ "GET",  "/ideas/{id}/comments",   page_comments_list,         0,               0,       ROUTE_CACHE, &page_idea },
	{ "POST", "/ideas/{id}/comments",   page_comment_create,        ROLES_LOGGED_IN, COMMENT_BODY, 0, &page_idea },
	{ "GET",  "/ideas/{id}/attachments",      page_idea_attachments_list,  0,               0,       ROUTE_CACHE },
	{ "POST", "/ideas/{id}/attachments",      page_idea_attachment_create, ROLES_LOGGED_IN, 10 * MB + 64 * KB,
	  ROUTE_UPLOAD, .upload = &page_idea_attachment_upload },
	{ "GET",  "/ideas/{id}/attachments/{id}", page_idea_attachment_show,   0,               0,       0 },
	{ "POST", "/ideas/{id}/attachments/{id}/delete", page_idea_attachment_delete, ROLES_LOGGED_IN, 1 * KB, 0 },
	{ "GET",  "/search",        page_search_show,     0,               0,       0 },
	{ "GET",  "/cycles",        page_cycles_list,     0,               0,       ROUTE_CACHE },
	{ "GET",  "/cycles/new",    page_cycle_new_form,  ROLES_STAFF,     0,       0 },
	{ "POST", "/cycles",        page_cycle_create_submit, ROLES_STAFF, CYCLE_BODY, 0 },
	{ "GET",  "/cycles/{id}",   page_cycle_show,      0,               0,       ROUTE_CACHE },
	{ "GET",  "/cycles/{id}/edit", page_cycle_edit_form, ROLES_STAFF,  0,       0 },
	{ "POST", "/cycles/{id}",   page_cycle_update_submit, ROLES_STAFF, CYCLE_BODY, 0 },
	{ "GET",  "/coauthor",      page_coauthor_form,   0,               0,       0 },
	{ "POST", "/coauthor",      page_coauthor_submit, 0,               COAUTHOR_BODY, 0 },
	{ "POST", "/ideas/{id}/support",   page_idea_support,   ROLES_LOGGED_IN, 1 * KB, 0 },
	{ "POST", "/ideas/{id}/unsupport", page_idea_unsupport, ROLES_LOGGED_IN, 1 * KB, 0 },
	{ "POST", "/ideas/{id}/follow",    page_follow_submit,    ROLES_LOGGED_IN, 1 * KB, 0, &page_idea },
	{ "POST", "/ideas/{id}/unfollow",  page_unfollow_submit,  ROLES_LOGGED_IN, 1 * KB, 0, &page_idea },
	{ "POST", "/cycles/{id}/follow",   page_follow_submit,   ROLES_LOGGED_IN, 1 * KB, 0, &page_cycle },
	{ "POST", "/cycles/{id}/unfollow", page_unfollow_submit, ROLES_LOGGED_IN, 1 * KB, 0, &page_cycle },
	{ "POST", "/ideas/{id}/status", page_idea_status_submit, ROLES_LOGGED_IN, STATUS_BODY, 0 },
	{ "POST", "/ideas/{id}/reopen", page_idea_reopen_submit, ROLES_STAFF, STATUS_BODY, 0 },
	{ "POST", "/ideas/{id}/caretaker", page_idea_caretaker_submit, ROLES_STAFF, 1 * KB, 0 },
	{ "GET",  "/caretaker",     page_caretaker_show,  ROLES_STAFF,     0,       0 },
	{ "GET",  "/ideas/assisted", page_assisted_form,  ROLES_STAFF,     0,       0 },
	{ "POST", "/ideas/assisted", page_assisted_create, ROLES_STAFF,    ASSISTED_BODY, 0 },
	{ "GET",  "/campaigns",     page_campaigns_show,  ROLES_STAFF,     0,       0 },
	{ "POST", "/campaigns",     page_campaign_create, ROLES_STAFF,     CAMPAIGN_BODY,  0 },
	{ "POST", "/ideas/{id}/report",    page_report_submit,    ROLES_LOGGED_IN, REASON_BODY, 0, &page_idea },
	{ "POST", "/ideas/{id}/hide",      page_hide_submit,      ROLES_STAFF,     REASON_BODY, 0, &page_idea },
	{ "POST", "/ideas/{id}/unhide",    page_unhide_submit,    ROLES_STAFF,     1 * KB, 0, &page_idea },
	{ "POST", "/ideas/{id}/merge",     page_idea_merge_submit, ROLES_STAFF,  MERGE_BODY, 0 },
};

const size_t routes_count = sizeof routes / sizeof routes[0];
