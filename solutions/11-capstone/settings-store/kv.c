/* kv.c: a settings store kept as a singly linked list (see kv.h). */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "kv.h"

#define KEY_CHARS "abcdefghijklmnopqrstuvwxyz0123456789._-"

struct entry {
	char *value;		/* owned, from malloc() */
	struct entry *next;
	char key[];		/* the store's own copy */
};

struct kv {
	struct entry *head;	/* newest first */
};

/* Returns the entry of @key, or NULL. Borrowed from @kv. */
static struct entry *kv_find(const struct kv *kv, const char *key)
{
	struct entry *e = kv->head;

	while (e && strcmp(e->key, key) != 0)
		e = e->next;
	return e;
}

struct kv *kv_new(void)
{
	return calloc(1, sizeof(struct kv));
}

void kv_free(struct kv *kv)
{
	struct entry *e = kv ? kv->head : NULL;

	while (e) {
		struct entry *next = e->next;

		free(e->value);
		free(e);
		e = next;
	}
	free(kv);
}

const char *kv_get(const struct kv *kv, const char *key)
{
	const struct entry *e = kv_find(kv, key);

	return e ? e->value : NULL;
}

int kv_set(struct kv *kv, const char *key, const char *value)
{
	char *copy = strdup(value);

	if (!copy || kv_take(kv, key, copy) != 0) {
		free(copy);
		return -1;
	}
	return 0;
}

int kv_take(struct kv *kv, const char *key, char *value)
{
	struct entry *e;

	if (key[0] == '\0' || key[strspn(key, KEY_CHARS)] != '\0')
		return -1;
	e = kv_find(kv, key);
	if (e) {
		free(e->value);
		e->value = value;
		return 0;
	}
	e = malloc(sizeof *e + strlen(key) + 1);
	if (!e)
		return -1;
	strcpy(e->key, key);
	e->value = value;
	e->next = kv->head;
	kv->head = e;
	return 0;
}
