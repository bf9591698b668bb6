/* The areas of un:box, put together: what the shared services of the layers
 * below may meet. An area that adds a kind of target or of notification
 * lists it here (see docs/ARCHITECTURE.md, "Adding an area"). */
#include "http/router.h"
#include "domain/comment.h"
#include "domain/dialogue/targets.h"
#include "web/handlers.h"
#include "web/dialogue/handlers.h"

static const struct target_kind *const target_kinds[] = {
	&comment_target,
	&idea_target,
	&cycle_target,
	NULL,
};

void areas_init(void)
{
	target_kinds_init(target_kinds);
	/* one area has notifications of its own so far; with a second, this
	 * becomes a list of the areas' lists */
	page_notification_kinds_init(page_dialogue_notifications);
}
