/* The sentences of the dialogue area's notifications (the list itself is
 * web/notifications.c). */
#include "web/dialogue/handlers.h"
#include "core/jsonx.h"
#include "domain/dialogue/idea_status.h"
#include "domain/dialogue/targets.h"
#include <string.h>

static const char *text(json_t *data, const char *key)
{
	const char *s = json_string_value(json_object_get(data, key));
	return s ? s : "";
}

static const char *status_changed(struct req *req, json_t *data, json_t *vars)
{
	jset(vars, "status", json_string(idea_status_label(text(data, "status"), strcmp(req->lang, "en") == 0)));
	return *text(data, "reason") ? T(req, N_("The status of “{title}” is now: {status}. Reason: {reason}"))
				     : T(req, N_("The status of “{title}” is now: {status}."));
}

static const char *merged(struct req *req, json_t *data, json_t *vars)
{
	return T(req, N_("“{title}” was merged with a similar idea."));
}

static const char *edited(struct req *req, json_t *data, json_t *vars)
{
	jset(vars, "version", json_string(arena_printf(req->arena, "%" JSON_INTEGER_FORMAT,
						   json_integer_value(json_object_get(data, "version")))));
	return T(req, N_("{actor} changed the idea “{title}” (version {version})."));
}

static const char *new_idea(struct req *req, json_t *data, json_t *vars)
{
	return T(req, N_("New idea in a cycle you follow: “{title}”."));
}

const struct page_notification page_dialogue_notifications[] = {
	{ NOTIFY_IDEA_STATUS, status_changed },
	{ NOTIFY_IDEA_MERGED, merged },
	{ NOTIFY_CYCLE_IDEA, new_idea },
	{ NOTIFY_IDEA_EDITED, edited },
	{ NULL, NULL },
};
