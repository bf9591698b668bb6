/* Translations from gettext catalogues (po/de.po, po/en.po). Message ids are
 * the English texts; a missing or empty translation falls back to the id. */
#ifndef UNBOX_I18N_H
#define UNBOX_I18N_H

/* Loads po_dir/de.po and po_dir/en.po. Returns 0, or -1 with a message in err. */
int i18n_load(const char *po_dir, char *err, unsigned long errlen);
void i18n_free(void);
const char *i18n_get(const char *lang, const char *msgid);
/* The language to answer in: an explicit choice ("de"/"en"), else the first
 * supported one in Accept-Language, else def. Returns a static string. */
const char *i18n_pick(const char *choice, const char *accept_language, const char *def);
/* n with the thousands separator of the language: 20.000 (de), 20,000 (en).
 * Writes at most cap bytes, cut when it does not fit (32 hold any number); returns out. */
char *i18n_number(const char *lang, long long n, char *out, unsigned long cap);
/* Parses one catalogue's text (exposed for tests and fuzzing); returns entries or -1. */
int i18n_parse_po(const char *lang, const char *text, char *err, unsigned long errlen);

#endif
