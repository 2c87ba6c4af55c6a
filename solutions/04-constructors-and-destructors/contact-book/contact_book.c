/*
 * contact-book: reads a log of phone-list updates from standard input and
 * prints the resulting directory, one line a person, in the order people
 * first appear. An update is a line "Name: number, number, ..." and replaces
 * all the numbers the person had (none is allowed). Blank lines and lines
 * starting with '#' are ignored; other lines without "Name:" are skipped.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable list of phone numbers, embedded by value in its owner. */
struct phone_list {
	char **numbers;
	size_t count;
};

struct contact {
	char *name;
	struct phone_list phones;
	struct contact *next;
};

/* Makes @pl an empty list. Allocates nothing; pair with phone_list_fini(). */
static void phone_list_init(struct phone_list *pl)
{
	pl->numbers = NULL;
	pl->count = 0;
}

/*
 * Appends a copy of @number to @pl; the list owns the copy. Borrows @number.
 * Returns 0, or -1 if out of memory (the list keeps what it had).
 */
static int phone_list_add(struct phone_list *pl, const char *number)
{
	char **grown = realloc(pl->numbers, (pl->count + 1) * sizeof *grown);

	if (!grown)
		return -1;
	pl->numbers = grown;
	pl->numbers[pl->count] = strdup(number);
	if (!pl->numbers[pl->count])
		return -1;
	pl->count++;
	return 0;
}

/* Frees the numbers in @pl and their array, not @pl itself; leaves it empty. */
static void phone_list_fini(struct phone_list *pl)
{
	for (size_t i = 0; i < pl->count; i++)
		free(pl->numbers[i]);
	free(pl->numbers);
	phone_list_init(pl);
}

/* Frees @c and everything it owns. @c may be NULL. */
static void contact_destroy(struct contact *c)
{
	if (!c)
		return;
	/* Reverse order of contact_create(): the name, then the numbers. */
	free(c->name);
	phone_list_fini(&c->phones);
	free(c);
}

/*
 * Returns a new contact holding a copy of @name and no numbers, or NULL if
 * out of memory. Caller frees it with contact_destroy().
 */
static struct contact *contact_create(const char *name)
{
	struct contact *c = malloc(sizeof *c);

	if (!c)
		return NULL;
	c->next = NULL;
	phone_list_init(&c->phones);
	c->name = strdup(name);
	if (!c->name) {
		contact_destroy(c);
		return NULL;
	}
	return c;
}

/* Frees the list of contacts that starts at @first. @first may be NULL. */
static void contact_list_destroy(struct contact *first)
{
	while (first) {
		struct contact *next = first->next;

		contact_destroy(first);
		first = next;
	}
}

/*
 * Returns the contact called @name in the list *@first, borrowed from the
 * list; if there is none, creates it at the end of the list, which owns it.
 * Returns NULL if out of memory.
 */
static struct contact *contact_list_get(struct contact **first, const char *name)
{
	struct contact **link = first;

	for (; *link; link = &(*link)->next)
		if (strcmp((*link)->name, name) == 0)
			return *link;
	*link = contact_create(name);
	return *link;
}

/* Trims spaces at both ends of @s in place; returns a pointer into @s. */
static char *trim(char *s)
{
	char *end = s + strlen(s);

	while (*s == ' ')
		s++;
	while (end > s && end[-1] == ' ')
		end--;
	*end = '\0';
	return s;
}

/*
 * Applies the update in @line ("Name: number, ...") to the list *@first.
 * Modifies @line. Returns 0, 1 if the line is malformed, -1 if out of memory.
 */
static int apply_update(struct contact **first, char *line)
{
	char *colon = strchr(line, ':');

	if (!colon)
		return 1;
	*colon = '\0';
	const char *name = trim(line);
	if (name[0] == '\0')
		return 1;
	struct contact *c = contact_list_get(first, name);
	if (!c)
		return -1;

	phone_list_fini(&c->phones);	/* the update replaces the old numbers */
	for (char *num = colon + 1, *next; num; num = next) {
		next = strchr(num, ',');
		if (next)
			*next++ = '\0';
		num = trim(num);
		if (num[0] != '\0' && phone_list_add(&c->phones, num) != 0)
			return -1;
	}
	return 0;
}

int main(void)
{
	int status = 1;
	struct contact *book = NULL;
	char *line = NULL;
	size_t cap = 0, people = 0, numbers = 0;
	ssize_t n;
	unsigned lineno = 0;

	while ((n = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;

		int err = apply_update(&book, line);
		if (err < 0) {
			fprintf(stderr, "line %u: out of memory\n", lineno);
			goto out;
		}
		if (err > 0)
			printf("line %u: skipped: expected \"Name: numbers\"\n", lineno);
	}

	for (const struct contact *c = book; c; c = c->next) {
		printf("%-17s", c->name);
		for (size_t i = 0; i < c->phones.count; i++)
			printf("%s%s", i ? ", " : "", c->phones.numbers[i]);
		printf("%s\n", c->phones.count ? "" : "(no number)");
		people++;
		numbers += c->phones.count;
	}
	printf("%zu people, %zu numbers\n", people, numbers);
	status = 0;
out:
	free(line);
	contact_list_destroy(book);
	return status;
}
