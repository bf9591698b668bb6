/* Passwords: argon2id hashes (libsodium) and the policy for new ones. */
#ifndef UNBOX_PASSWORD_H
#define UNBOX_PASSWORD_H
#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 1024
#define PASSWORD_HASH_MAX 128

/* NULL when acceptable, else a code: "required", "too_short", "too_long", "common". */
const char *password_policy(const char *pw);
/* Among the 10,000 most common, in any case, also with digits or symbols
 * before or after it, or repeated. */
bool password_is_common(const char *pw);
int  password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);  /* 0 or -1 (memory) */
bool password_verify(const char *hash, const char *pw);
/* Spends the time of one verification, so unknown accounts answer as slowly as known ones. */
void password_burn(const char *pw);

#endif
