/* Feedback on barriers (BITV 2.0 § 7: the "Feedback-Mechanismus" of the
 * Erklärung zur Barrierefreiheit): anyone, logged in or not, tells the team
 * where something could not be used. The message goes to the team by
 * e-mail through the outbox — to the setting feedback_email, else
 * contact_email, else every administrator — with an audit row that records
 * that feedback came, not what it said, in one transaction. Limited per
 * address, so the form cannot be used to flood the team's inbox. */
#ifndef UNBOX_FEEDBACK_H
#define UNBOX_FEEDBACK_H
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"

#define FEEDBACK_MESSAGE_MIN 10
#define FEEDBACK_MESSAGE_MAX 5000
#define FEEDBACK_WHERE_MAX 300
#define FEEDBACK_LIMIT 5               /* messages per address ... */
#define FEEDBACK_WINDOW 3600           /* ... per hour */
#define FEEDBACK_ADMINS_MAX 20         /* administrators written to when no address is set */

struct feedback_input {
	const char *message;            /* what did not work (required) */
	const char *where;              /* which page or function (optional) */
	const char *name, *email;       /* optional: for an answer */
	const char *ip;                 /* the sender's address, for the limit only (not stored) */
	int64_t user_id;                /* 0: not logged in */
};

enum feedback_rc { FEEDBACK_OK = 0, FEEDBACK_INVALID, FEEDBACK_THROTTLED, FEEDBACK_ERROR };

/* Fields message, where, name, email. Pure; the number of problems added. */
int feedback_validate(const struct feedback_input *in, struct field_errors *fe);
/* Validates, counts the sender against the limit (FEEDBACK_THROTTLED with
 * *retry_after) and queues the e-mail(s). */
int feedback_send(struct db *db, const struct feedback_input *in, const char *base_url, int64_t now,
		  struct field_errors *fe, int *retry_after);

#endif
