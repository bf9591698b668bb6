/* The areas of un:box, put together: what the shared services of the layers
 * below may meet. An area that adds a kind of target or of notification
 * lists it here (see docs/ARCHITECTURE.md, "Adding an area"). */
#include "http/router.h"
#include "domain/comment.h"
#include "domain/personal.h"
#include "domain/dialogue/personal.h"
#include "domain/dialogue/targets.h"
#include "web/handlers.h"
#include "web/dialogue/handlers.h"

static const struct target_kind *const target_kinds[] = {
	&comment_target,
	&idea_target,
	&cycle_target,
	NULL,
};

/* What the platform holds about a person, in the order the export lists
 * it: the account and what every area shares, then each area's parts. */
static const struct personal_part *const personal_parts_list[] = {
	&personal_account,
	&personal_sessions,
	&personal_email_changes,
	&personal_ideas,
	&personal_co_authorships,
	&personal_comments,
	&personal_attachments,
	&personal_supports,
	&personal_follows,
	&personal_notifications,
	&personal_reports,
	&personal_mails,
	&personal_audit,
	NULL,
};

void areas_init(void)
{
	target_kinds_init(target_kinds);
	personal_parts_init(personal_parts_list);
	/* one area has notifications of its own so far; with a second, this
	 * becomes a list of the areas' lists */
	page_notification_kinds_init(page_dialogue_notifications);
}
