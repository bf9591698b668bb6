/* Attachments of ideas (web/attachments.c does the parts every target
 * shares): who may see them follows the idea (hidden by the moderation:
 * the team only); the idea's author, its accepted co-authors and the un:box
 * team may attach documents and delete them. A merged idea takes none (409). */
#include "web/dialogue/handlers.h"
#include "core/sniff.h"
#include "domain/attachment.h"
#include "domain/dialogue/coauthor.h"
#include "domain/dialogue/idea.h"
#include <inttypes.h>
#include <string.h>

#define MB (1024 * 1024)
#define IDEA_ATTACHMENT_SIZE (10 * MB)
#define IDEA_ATTACHMENTS 10
#define KIND "idea"

static const char *const idea_types[] = { SNIFF_PDF, SNIFF_PNG, SNIFF_JPEG, NULL };
static const struct attachment_rules rules = { IDEA_ATTACHMENT_SIZE, IDEA_ATTACHMENTS, idea_types };
const struct upload_rule page_idea_attachment_upload = { .file_max = IDEA_ATTACHMENT_SIZE, .files_max = 1 };
/* the rules above in words, shown next to the field */
static const char hint[] = N_("PDF, PNG or JPEG, up to 10 MB per file; at most 10 files per idea.");

enum access { ACCESS_FAILED = -1, ACCESS_NONE, ACCESS_READ, ACCESS_EDIT };

/* What the visitor may do with the attachments of idea id: nothing (no
 * such idea, or hidden from them), see them, or change them too; or the
 * database failed. */
static enum access access_of(struct req *req, int64_t id, int64_t *merged_into)
{
	int64_t author = 0, merged = 0;
	bool hidden = false;
	int found = id ? idea_access(req->db, id, &author, &hidden, &merged) : 0;
	if (found <= 0)
		return found < 0 ? ACCESS_FAILED : ACCESS_NONE;
	if (merged_into)
		*merged_into = merged;
	bool team = req_is_team(req);
	if (hidden && !team)
		return ACCESS_NONE;
	if (!req->session || merged)
		return ACCESS_READ;
	if (team || (author && author == req->session->user.id))
		return ACCESS_EDIT;
	int coauthor = coauthor_is_accepted(req->db, id, req->session->user.id, req->session->user.email);
	return coauthor < 0 ? ACCESS_FAILED : coauthor ? ACCESS_EDIT : ACCESS_READ;
}

/* Answers for a visitor who may not see the attachments; false when they may. */
static bool refused(struct req *req, struct resp *resp, enum access a)
{
	if (a == ACCESS_FAILED)
		resp_internal_error(req, resp);
	else if (a == ACCESS_NONE)
		page_not_found(req, resp);
	return a <= ACCESS_NONE;
}

static const char *base(struct req *req, int64_t id)
{
	return arena_printf(req->arena, "/ideas/%" PRId64, id);
}

json_t *page_idea_attachments_section(struct req *req, int64_t id, int64_t known_count)
{
	/* the idea page has shown that a visitor may see the idea: anonymous
	 * visitors (the cached page) need no further read */
	enum access a = req->session ? access_of(req, id, NULL) : ACCESS_READ;
	if (a == ACCESS_FAILED)
		return NULL;
	if (a == ACCESS_NONE)
		return json_null();
	return page_attachments_section(req, KIND, id, base(req, id), &rules, hint, a == ACCESS_EDIT, 0, 0, known_count);
}

/* The list page: the idea's title and link, the section; with the errors
 * of a failed upload when fe is given. */
static void list_page(struct req *req, struct resp *resp, int64_t id, bool may_edit, int64_t after, int limit,
		      int status, const struct field_errors *fe)
{
	json_t *section = page_attachments_section(req, KIND, id, base(req, id), &rules, hint, may_edit, after, limit,
						   -1);
	json_t *idea = NULL;
	int found = section ? idea_get(req->db, req->lang, id, &idea) : -1;
	if (found <= 0) {
		json_decref(section);
		if (found < 0)
			resp_internal_error(req, resp);
		else
			page_not_found(req, resp);
		return;
	}
	if (req->json && !fe) {
		json_decref(idea);
		resp_page(resp, 200, NULL, NULL, section);
		return;
	}
	json_t *model = json_pack("{s{sO sO} so}", "target", "title", json_object_get(idea, "title"), "url",
				  json_object_get(idea, "url"), "attachments", section);
	json_decref(idea);
	resp->title = N_("Attachments");
	if (fe) {   /* the summary names the form's fields */
		json_object_set(model, "input", json_object_get(json_object_get(section, "form"), "input"));
		resp_error(req, resp, status, "validation", N_("Please check the file."), fe, "attachment_list", model);
	} else {
		resp_page(resp, 200, "attachment_list", N_("Attachments"), model);
	}
}

void page_idea_attachments_list(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0), after;
	int limit;
	enum access a = access_of(req, id, NULL);
	if (refused(req, resp, a))
		return;
	if (page_attachments_paging(req, resp, &after, &limit))
		list_page(req, resp, id, a == ACCESS_EDIT, after, limit, 200, NULL);
}

/* The checks every change starts with; false when they answered. */
static bool may_change(struct req *req, struct resp *resp, int64_t id)
{
	int64_t merged = 0;
	enum access a = access_of(req, id, &merged);
	if (refused(req, resp, a))
		return false;
	if (merged && page_merge_refuse_write(req, resp, id))
		return false;
	if (a != ACCESS_EDIT) {
		resp_error(req, resp, 403, "forbidden",
			   N_("Only the idea's authors and the un:box team may change its attachments."), NULL, NULL, NULL);
		return false;
	}
	return true;
}

void page_idea_attachment_create(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0), att = 0;
	if (!may_change(req, resp, id))
		return;
	struct field_errors fe = { 0 };
	switch (page_attachment_store(req, KIND, id, &rules, &fe, &att)) {
	case ATTACHMENT_OK: {
		json_t *a = NULL;   /* JSON: the attachment; a page goes to the list */
		if (req->json && page_attachment_model(req, att, base(req, id), &a) < 0)
			break;
		resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64 "#attachments", id), 201, a);
		return;
	}
	case ATTACHMENT_INVALID:
		list_page(req, resp, id, true, 0, 0, 422, &fe);
		return;
	}
	resp_internal_error(req, resp);
}

void page_idea_attachment_show(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	if (refused(req, resp, access_of(req, id, NULL)))
		return;
	page_attachment_send(req, resp, KIND, id, req_param_id(req, 1), base(req, id));
}

void page_idea_attachment_delete(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0), att = req_param_id(req, 1);
	if (!may_change(req, resp, id))
		return;
	switch (attachment_delete(req->db, KIND, id, att, req->session->user.id, req->now)) {
	case ATTACHMENT_OK:
		resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64 "#attachments", id), 200,
			      json_pack("{sI sb}", "id", (json_int_t)att, "deleted", 1));
		return;
	case ATTACHMENT_NOT_FOUND:
		page_not_found(req, resp);
		return;
	}
	resp_internal_error(req, resp);
}
