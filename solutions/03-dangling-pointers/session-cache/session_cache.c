/*
 * session-cache: replay a request log through a small LRU cache of
 * per-session counters, the way a server keeps only its most recently
 * active sessions in memory, and report the busiest session seen.
 *
 * Input (stdin): one request per line, "<session-id> <bytes>".
 * Blank lines and lines starting with '#' are ignored.
 */
#include <stdio.h>
#include <stdlib.h>

#define CACHE_CAPACITY 3

struct session {
	int id;
	int requests;
	long bytes;
	struct session *prev;	/* towards the most recently used end */
	struct session *next;	/* towards the least recently used end */
};

/* A doubly linked list: most recently used at head, least at tail. */
struct cache {
	struct session *head;
	struct session *tail;
	size_t len;
	size_t capacity;
};

static void cache_unlink(struct cache *c, struct session *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		c->tail = s->prev;
	s->prev = NULL;
	s->next = NULL;
	c->len--;
}

static void cache_push_front(struct cache *c, struct session *s)
{
	s->prev = NULL;
	s->next = c->head;
	if (c->head)
		c->head->prev = s;
	else
		c->tail = s;
	c->head = s;
	c->len++;
}

/* Removes the least recently used session from @c and frees it. */
static void cache_evict(struct cache *c)
{
	struct session *victim = c->tail;

	printf("evicted session %d after %d requests (%ld bytes)\n",
	       victim->id, victim->requests, victim->bytes);
	cache_unlink(c, victim);
	free(victim);
}

/*
 * Returns the session for @id and marks it most recently used. A session
 * not cached yet is allocated, evicting the least recently used one if the
 * cache is full. The cache owns every session it returns and frees it on
 * eviction or in cache_clear(). Returns NULL if out of memory.
 */
static struct session *cache_touch(struct cache *c, int id)
{
	struct session *s;

	for (s = c->head; s; s = s->next) {
		if (s->id == id) {
			cache_unlink(c, s);
			cache_push_front(c, s);
			return s;
		}
	}
	if (c->len == c->capacity)
		cache_evict(c);
	s = malloc(sizeof *s);
	if (!s)
		return NULL;
	s->id = id;
	s->requests = 0;
	s->bytes = 0;
	cache_push_front(c, s);
	return s;
}

/* Frees every session still in @c. */
static void cache_clear(struct cache *c)
{
	struct session *s = c->head;

	while (s) {
		struct session *next = s->next;

		free(s);
		s = next;
	}
	c->head = NULL;
	c->tail = NULL;
	c->len = 0;
}

int main(void)
{
	struct cache cache = { .capacity = CACHE_CAPACITY };
	/* A copy, not a pointer: the cache frees the sessions it evicts. */
	struct session busiest = { 0 };
	char line[128];
	int lineno = 0;
	int ret = EXIT_FAILURE;

	while (fgets(line, sizeof line, stdin)) {
		struct session *s;
		int id;
		long bytes;

		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		if (sscanf(line, "%d %ld", &id, &bytes) != 2) {
			fprintf(stderr, "line %d: expected \"<session-id> <bytes>\"\n",
				lineno);
			goto out;
		}
		s = cache_touch(&cache, id);
		if (!s) {
			perror("session-cache");
			goto out;
		}
		s->requests++;
		s->bytes += bytes;
		if (s->requests > busiest.requests)
			busiest = *s;
	}

	printf("cached, most recent first:");
	for (const struct session *s = cache.head; s; s = s->next)
		printf(" %d", s->id);
	printf("\n");
	if (busiest.requests > 0)
		printf("busiest session: %d (%d requests, %ld bytes)\n",
		       busiest.id, busiest.requests, busiest.bytes);
	ret = EXIT_SUCCESS;
out:
	cache_clear(&cache);
	return ret;
}
