/* E-mails to send, written in the same transaction as the change that causes
 * them; a worker delivers them later. In demo mode each message is also
 * printed to the log, so links can be followed without a mail server. */
#ifndef UNBOX_OUTBOX_H
#define UNBOX_OUTBOX_H
#include <stdbool.h>
#include "db/db.h"

void outbox_set_echo(bool echo);
int  outbox_add(struct db *db, const char *to, const char *subject, const char *body);

#endif
