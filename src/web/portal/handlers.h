/* The portal: the start page, which draws on every area. */
#ifndef UNBOX_WEB_PORTAL_HANDLERS_H
#define UNBOX_WEB_PORTAL_HANDLERS_H
#include "web/req.h"

/* home.c */
void page_home_show(struct req *req, struct resp *resp);

#endif
