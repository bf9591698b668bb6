/* The city's settings (domain/settings.h) on every page: the layout's
 * footer names the city and shows its logo; the uploaded logo has an
 * address of its own. */
#ifndef UNBOX_WEB_SITE_H
#define UNBOX_WEB_SITE_H
#include "web/req.h"

/* {name, logo (the image's address) or null} for the layout (page.site).
 * When the settings cannot be read the footer goes without them: the
 * failure is logged and {} answered, so no page fails for its footer.
 * Every page shows them, so they are kept in memory: on a page-cached route
 * (whose page is stored) only while the content version is the one they
 * were read at — a change of the settings makes a new one — elsewhere for
 * at most SITE_KEEP_SECONDS (another instance's change shows that late). */
#define SITE_KEEP_SECONDS 2
json_t *page_site_model(struct req *req);
/* After a change of the settings through this process: read them again. */
void page_site_forget(void);
/* GET /logo: the uploaded logo (ETag of its SHA-256), 404 when there is none. */
void page_logo_show(struct req *req, struct resp *resp);

#endif
