/* sopm_id.h - request and job ids: 128 bits as 32 lowercase hex digits. */
#ifndef SOPM_ID_H
#define SOPM_ID_H

#define SOPM_ID_HEX 32                /* hex digits of an id */
#define SOPM_ID_LEN (SOPM_ID_HEX + 1) /* with its NUL: the buffer size */

/* Fills out with an id from the kernel's CSPRNG: for ids that must not be
 * guessed (async jobs, whose id is their only capability). Returns 0, or -1
 * with errno set when the kernel gives no random bytes (out is then ""). */
int sopm_id_random(char out[SOPM_ID_LEN]);

/* Fills out with an id from a fast per-thread generator (seeded once from
 * the CSPRNG): for ids that need only be unique (request ids, sync job ids).
 * Never fails and makes no system call after the first. */
void sopm_id_unique(char out[SOPM_ID_LEN]);

/* True when id is exactly SOPM_ID_HEX lowercase hex digits. id may be NULL. */
int sopm_id_valid(const char *id);

#endif
