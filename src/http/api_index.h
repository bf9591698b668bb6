/* The index of the API (GET /api/v1), made from the route table. */
#ifndef UNBOX_API_INDEX_H
#define UNBOX_API_INDEX_H
#include "http/router.h"

/* {name, version, about, session, count, routes: [{method, path (under
 * /api/v1), who ("everyone", "logged_in" or [roles]), and for POST body_max,
 * csrf, upload}]}, in the order of the table. */
void page_api_index(struct req *req, struct resp *resp);

#endif
