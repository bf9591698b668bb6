/* The configuration table. Every setting has a name, a default and a line of
 * help; values are layered defaults < file < environment (UNBOX_<NAME>) < flags,
 * and `unbox config show` prints each value with the layer it came from. */
#ifndef UNBOX_CONFIG_H
#define UNBOX_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum config_source { CONFIG_DEFAULT, CONFIG_FILE, CONFIG_ENV, CONFIG_FLAG };

void config_reset(void);                          /* back to the defaults */
/* Reads `name = value` lines (# comments). Returns 0, or -1 with a message in err. */
int  config_load_file(const char *path, char *err, size_t errlen);
void config_load_env(void);                       /* UNBOX_LISTEN, UNBOX_DB, ... */
/* Returns 0, or -1 when the name is unknown. A lower layer never overrides a higher one. */
int  config_set(const char *name, const char *value, enum config_source src);
const char *config_get(const char *name);         /* NULL only for unknown names */
long config_int(const char *name);
bool config_bool(const char *name);
/* Validates every value; returns the number of problems, each written to out. */
int  config_check(FILE *out);
void config_show(FILE *out);

#endif
