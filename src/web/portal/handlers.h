/* The portal: the start page, which draws on every area, and the
 * information pages (the ones the law requires and the ones explaining
 * un:box) with their texts, written by the team. */
#ifndef UNBOX_WEB_PORTAL_HANDLERS_H
#define UNBOX_WEB_PORTAL_HANDLERS_H
#include "web/req.h"

/* home.c */
void page_home_show(struct req *req, struct resp *resp);

/* info.c: one handler for every information page; the route's path names
 * the page (domain/portal/infotext.h, infotext_pages) */
void page_info_show(struct req *req, struct resp *resp);

/* feedback.c: reporting a barrier (Erklärung zur Barrierefreiheit) */
void page_feedback_form(struct req *req, struct resp *resp);
void page_feedback_submit(struct req *req, struct resp *resp);

/* texts.c: the team writes the texts (every save a new version) */
void page_texts_list(struct req *req, struct resp *resp);
void page_text_edit_form(struct req *req, struct resp *resp);
void page_text_edit_submit(struct req *req, struct resp *resp);
void page_text_version_show(struct req *req, struct resp *resp);

#endif
