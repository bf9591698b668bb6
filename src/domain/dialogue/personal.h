/* The dialogue area's parts of what the platform holds about a person
 * (domain/personal.h): the ideas they handed in, the ideas they support,
 * their co-authorships. Listed in src/areas.c with the root's parts. */
#ifndef UNBOX_DIALOGUE_PERSONAL_H
#define UNBOX_DIALOGUE_PERSONAL_H
#include "domain/personal.h"

/* What a deleted account's idea shows in place of its texts when the
 * person asked for them to be removed (in both languages: the texts of
 * ideas are not translated). */
#define IDEA_REMOVED_TITLE "Idee entfernt · Idea removed"
#define IDEA_REMOVED_TEXT "Die Person, die diese Idee eingereicht hat, hat ihr Konto gelöscht und ihre Texte " \
	"entfernen lassen. · The person who handed in this idea deleted their account and had its texts removed."

extern const struct personal_part personal_ideas, personal_supports, personal_co_authorships;

#endif
