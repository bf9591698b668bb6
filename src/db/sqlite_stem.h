/* The FTS5 tokenizer "unbox_german" for SQLite connections: unicode61
 * (lower-case, remove_diacritics 0), then PostgreSQL's 'german' rules on each
 * token: German stop words dropped, tokens with a digit kept as they are, and
 * every other token reduced by the Snowball German stemmer. Private to src/db/. */
#ifndef UNBOX_SQLITE_STEM_H
#define UNBOX_SQLITE_STEM_H
#include <sqlite3.h>

/* Registers the tokenizer on h; SQLITE_OK or an SQLite error code. */
int sqlite_register_german(sqlite3 *h);

#endif
