#include "domain/portal/feedback.h"
#include "core/buf.h"
#include "domain/audit.h"
#include "domain/outbox.h"
#include "domain/settings.h"
#include "domain/throttle.h"
#include "domain/user.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int feedback_validate(const struct feedback_input *in, struct field_errors *fe)
{
	size_t before = fe->count;
	check_text(fe, "message", in->message, FEEDBACK_MESSAGE_MIN, FEEDBACK_MESSAGE_MAX, 1);
	if (in->where && *in->where)
		check_text(fe, "where", in->where, 1, FEEDBACK_WHERE_MAX, 0);
	if (in->name && *in->name)
		check_text(fe, "name", in->name, 1, NAME_MAX, 0);
	if (in->email && *in->email && !email_valid(in->email))
		field_error(fe, "email", "invalid");
	return (int)(fe->count - before);
}

/* The message as the team reads it (German: the team's language);
 * malloc'd, NULL on out-of-memory. */
static char *mail_body(const struct feedback_input *in, const char *base_url)
{
	struct buf b;
	buf_init(&b, 64 * 1024);
	buf_puts(&b, "Rückmeldung zur Barrierefreiheit über das Formular auf un:box\n\n");
	buf_printf(&b, "Seite oder Funktion: %s\n", in->where && *in->where ? in->where : "(nicht angegeben)");
	buf_printf(&b, "Name: %s\n", in->name && *in->name ? in->name : "(nicht angegeben)");
	buf_printf(&b, "E-Mail für eine Antwort: %s\n", in->email && *in->email ? in->email : "(nicht angegeben)");
	buf_puts(&b, "\nNachricht:\n");
	buf_puts(&b, in->message);
	buf_printf(&b, "\n\n--\nDie Erklärung zur Barrierefreiheit: %s/barrierefreiheit\n"
		       "Bitte antworten Sie innerhalb eines Monats.\n", base_url);
	if (b.overflow || !b.data) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* The addresses the feedback goes to, into to (a JSON array of strings). */
static int recipients(struct db *db, json_t *to)
{
	json_t *s = settings_read(db);
	if (!s)
		return DB_ERROR;
	const char *addr = json_string_value(json_object_get(s, "feedback_email"));
	if (!*addr)
		addr = json_string_value(json_object_get(s, "contact_email"));
	if (*addr)
		json_array_append_new(to, json_string(addr));
	json_decref(s);
	if (json_array_size(to))
		return DB_OK;
	struct db_stmt *st = db_prepare(db, "SELECT email FROM users WHERE role = 'admin' AND blocked_at IS NULL "
					    "ORDER BY id LIMIT $1");
	int rc = st ? db_bind(st, "i", (int64_t)FEEDBACK_ADMINS_MAX) : DB_ERROR;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		json_array_append_new(to, json_string(db_text(st, 0)));
		rc = DB_OK;
	}
	db_done(st);
	return rc;
}

int feedback_send(struct db *db, const struct feedback_input *in, const char *base_url, int64_t now,
		  struct field_errors *fe, int *retry_after)
{
	if (feedback_validate(in, fe))
		return FEEDBACK_INVALID;
	char key[96];
	snprintf(key, sizeof key, "feedback:ip:%s", in->ip ? in->ip : "-");
	int within = throttle_hit(db, key, FEEDBACK_LIMIT, FEEDBACK_WINDOW, now, retry_after);
	if (within <= 0)
		return within < 0 ? FEEDBACK_ERROR : FEEDBACK_THROTTLED;
	char *body = mail_body(in, base_url);
	if (!body)
		return FEEDBACK_ERROR;
	json_t *to = json_array();
	int rc = db_begin(db);
	if (rc == DB_OK)
		rc = recipients(db, to);
	size_t i;
	json_t *addr;
	json_array_foreach(to, i, addr) {
		if (rc == DB_OK)
			rc = outbox_add(db, json_string_value(addr), "un:box: Rückmeldung zur Barrierefreiheit", body);
	}
	if (rc == DB_OK)
		rc = audit_add(db, in->user_id, "feedback.accessibility", "feedback", "");
	json_decref(to);
	free(body);
	if (rc == DB_OK && db_commit(db) == DB_OK)
		return FEEDBACK_OK;
	db_rollback(db);
	return FEEDBACK_ERROR;
}
