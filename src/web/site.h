/* The city's settings (domain/settings.h) on every page: the layout's
 * footer names the city and shows its logo; the uploaded logo has an
 * address of its own. */
#ifndef UNBOX_WEB_SITE_H
#define UNBOX_WEB_SITE_H
#include "web/req.h"

/* {name, logo (the image's address) or null} for the layout (page.site).
 * When the settings cannot be read the footer goes without them: the
 * failure is logged and {} answered, so no page fails for its footer. */
json_t *page_site_model(struct req *req);
/* GET /logo: the uploaded logo (ETag of its SHA-256), 404 when there is none. */
void page_logo_show(struct req *req, struct resp *resp);

#endif
