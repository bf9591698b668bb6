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
void idea_form(struct req *req, struct resp *resp);
void idea_create(struct req *req, struct resp *resp);
void idea_show(struct req *req, struct resp *resp);
/* search.c */
void search_show(struct req *req, struct resp *resp);

/* Not a route: what the server answers when nothing matched, or a route refused. */
void not_found(struct req *req, struct resp *resp);

#endif
