/* Random tokens for sessions, CSRF and e-mail links. The database stores
 * only a hash of tokens that grant access, never the token itself. */
#ifndef UNBOX_TOKEN_H
#define UNBOX_TOKEN_H
#include <stdbool.h>
#include <stddef.h>

#define TOKEN_LEN 43        /* 256 bits, base64url without padding */
#define TOKEN_HASH_LEN 64   /* 256-bit BLAKE2b, hex */

int  token_init(void);                                     /* sodium_init */
void token_new(char out[TOKEN_LEN + 1]);
void token_hash(const char *token, char out[TOKEN_HASH_LEN + 1]);
bool token_equal(const char *a, const char *b);            /* constant time */
bool token_well_formed(const char *t);                     /* length and alphabet */

#endif
