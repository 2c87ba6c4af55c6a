/*
 * word-freq: print the most frequent words of a text.
 *
 * Reads text on stdin. A word is a run of letters, compared without
 * regard to case. Prints the ten most frequent words with their counts,
 * the most frequent first and ties in alphabetical order, then how many
 * words and how many different words the text has.
 */
#define _POSIX_C_SOURCE 200809L	/* strdup */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX 64
#define TOP 10

struct slot {
	char *word;		/* owned; NULL while the slot is free */
	unsigned count;
};

/* Word counts in a hash table with open addressing and linear probing. */
struct table {
	struct slot *slots;
	size_t cap;		/* a power of two, or 0 before the first word */
	size_t len;		/* slots in use */
};

/* FNV-1a: small, and good enough for words. */
static size_t hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Returns the slot of @slots that holds @word, or the free slot where it belongs. */
static struct slot *find_slot(struct slot *slots, size_t cap, const char *word)
{
	size_t i = hash(word) & (cap - 1);

	while (slots[i].word && strcmp(slots[i].word, word) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/*
 * Moves the words of @t into a new array of @cap slots, which @t owns
 * from then on, and frees the old one. Returns 0, or -1 if out of memory
 * (@t is then unchanged).
 */
static int table_grow(struct table *t, size_t cap)
{
	struct slot *slots = malloc(cap * sizeof *slots);

	if (!slots)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slots[i].word)
			*find_slot(slots, cap, t->slots[i].word) = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

/*
 * Counts one more @word. Borrows @word; the table keeps its own copy.
 * Returns 0, or -1 if out of memory.
 */
static int table_add(struct table *t, const char *word)
{
	struct slot *s;

	if (4 * (t->len + 1) > 3 * t->cap &&
	    table_grow(t, t->cap ? 2 * t->cap : 16) < 0)
		return -1;
	s = find_slot(t->slots, t->cap, word);
	if (s->word) {
		s->count++;
		return 0;
	}
	s->word = strdup(word);
	if (!s->word)
		return -1;
	s->count = 1;
	t->len++;
	return 0;
}

/* Frees the words and the slots of @t. */
static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i].word);
	free(t->slots);
}

/* Most frequent first; equal counts in alphabetical order. */
static int by_count(const void *a, const void *b)
{
	const struct slot *x = *(const struct slot *const *)a;
	const struct slot *y = *(const struct slot *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->word, y->word);
}

int main(void)
{
	struct table t = { 0 };
	struct slot **order = NULL;
	char word[WORD_MAX];
	size_t len = 0, n = 0;
	unsigned long total = 0;
	int c;
	int ret = EXIT_FAILURE;

	do {
		c = getchar();
		if (isalpha(c) && len < sizeof word - 1) {
			word[len++] = (char)tolower(c);
		} else if (!isalpha(c) && len > 0) {
			word[len] = '\0';
			len = 0;
			if (table_add(&t, word) < 0)
				goto out_of_memory;
			total++;
		}
	} while (c != EOF);

	/* Borrowed pointers to the used slots, to sort without moving the table. */
	order = malloc((t.len ? t.len : 1) * sizeof *order);
	if (!order)
		goto out_of_memory;
	for (size_t i = 0; i < t.cap; i++) {
		if (t.slots[i].word)
			order[n++] = &t.slots[i];
	}
	qsort(order, n, sizeof *order, by_count);
	for (size_t i = 0; i < n && i < TOP; i++)
		printf("%5u  %s\n", order[i]->count, order[i]->word);
	printf("%lu words, %zu different\n", total, n);
	ret = EXIT_SUCCESS;
	goto out;
out_of_memory:
	perror("word-freq");
out:
	free(order);
	table_free(&t);
	return ret;
}
