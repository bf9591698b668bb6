/* The administration on the web, for administrators (the route table admits
 * role admin only): people and their roles, the moderation log, the
 * settings a city changes. The texts of the information pages are the
 * portal's (web/portal/texts.c), written by the whole team. */
#ifndef UNBOX_WEB_ADMIN_HANDLERS_H
#define UNBOX_WEB_ADMIN_HANDLERS_H
#include "web/req.h"

/* people.c */
void page_admin_show(struct req *req, struct resp *resp);
void page_people_list(struct req *req, struct resp *resp);
void page_person_show(struct req *req, struct resp *resp);
void page_person_role_submit(struct req *req, struct resp *resp);

/* auditlog.c */
void page_auditlog_show(struct req *req, struct resp *resp);
/* An audit action as people read it ("Comment hidden"), translated; the
 * action itself when it has no label. */
const char *page_audit_action_label(struct req *req, const char *action);

/* settings.c */
extern const struct upload_rule page_settings_logo_upload;
void page_settings_form(struct req *req, struct resp *resp);
void page_settings_submit(struct req *req, struct resp *resp);
void page_settings_logo_submit(struct req *req, struct resp *resp);
void page_settings_logo_delete(struct req *req, struct resp *resp);

#endif
