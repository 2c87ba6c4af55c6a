/*
 * kv.h: a small store of string settings, key -> value. A key is made of
 * lowercase letters, digits, '.', '_' and '-'.
 *
 * Ownership: the store owns its keys and values; it frees a value when its
 * key is set again, and all of them in kv_free(). Callers borrow them.
 */
#ifndef KV_H
#define KV_H

struct kv;

/* Returns a new, empty store, or NULL; caller frees it with kv_free(). */
struct kv *kv_new(void);

/* Frees @kv with all its keys and values. @kv may be NULL. */
void kv_free(struct kv *kv);

/* Returns the value of @key, or NULL; borrowed: valid until @key changes. */
const char *kv_get(const struct kv *kv, const char *key);

/* Sets @key to a copy of @value; borrows both. Returns 0, or -1 if @key
 * is not a valid key or memory ran out. */
int kv_set(struct kv *kv, const char *key, const char *value);

/*
 * Sets @key to @value itself, without a copy. On success the store takes
 * ownership of @value, which must be a block from malloc(); on failure
 * (-1, as for kv_set()) @value is still the caller's. Borrows @key.
 */
int kv_take(struct kv *kv, const char *key, char *value);

#endif
