/*
 * catalog-loader: loads the message catalogs named on the command line, one
 * file per language, and prints how many messages each holds and its
 * greeting. A catalog has one message per line, "key = text"; blank lines and
 * '#' lines are ignored. A catalog with a malformed line is rejected as a
 * whole and the program goes on with the next one; the exit status is 1 if
 * any catalog was rejected.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct message {
	char *key;
	char *text;
	struct message *next;
};

/*
 * Returns a new message holding copies of @key and @text, or NULL if out of
 * memory. Caller frees it with catalog_free().
 */
static struct message *message_new(const char *key, const char *text)
{
	struct message *m = malloc(sizeof *m);
	if (!m)
		return NULL;
	m->key = strdup(key);
	m->text = strdup(text);
	if (!m->key || !m->text) {
		free(m->key);
		free(m->text);
		free(m);
		return NULL;
	}
	m->next = NULL;
	return m;
}

/* Frees every message from @head on, with its strings. @head may be NULL. */
static void catalog_free(struct message *head)
{
	while (head) {
		struct message *next = head->next;
		free(head->key);
		free(head->text);
		free(head);
		head = next;
	}
}

/* Returns the text stored under @key, or NULL. Borrows both arguments. */
static const char *catalog_lookup(const struct message *head, const char *key)
{
	for (; head; head = head->next)
		if (strcmp(head->key, key) == 0)
			return head->text;
	return NULL;
}

/*
 * Splits "key = text" in place: writes '\0' after the key and points *@key
 * and *@text into @line. Returns 0, or -1 if the line is malformed.
 */
static int split_message(char *line, char **key, char **text)
{
	char *eq = strchr(line, '=');
	if (!eq)
		return -1;

	char *end = eq;
	while (end > line && end[-1] == ' ')
		end--;
	*end = '\0';

	char *t = eq + 1;
	while (*t == ' ')
		t++;
	if (line[0] == '\0' || strchr(line, ' ') || *t == '\0')
		return -1;
	*key = line;
	*text = t;
	return 0;
}

/*
 * Loads the catalog in the file @path. On success stores a new list in *@out
 * (caller frees it with catalog_free()) and returns 0; returns -1 if the file
 * cannot be read or has a malformed line.
 */
static int catalog_load(const char *path, struct message **out)
{
	struct message *head = NULL;
	struct message **tail = &head;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	int err = -1;

	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return -1;
	}

	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;

		char *key, *text;
		if (split_message(line, &key, &text) != 0) {
			fprintf(stderr, "%s:%u: expected \"key = text\"\n", path, lineno);
			goto out;
		}
		struct message *m = message_new(key, text);
		if (!m) {
			fprintf(stderr, "%s:%u: out of memory\n", path, lineno);
			goto out;
		}
		*tail = m;
		tail = &m->next;
	}
	if (ferror(f)) {
		perror(path);
		goto out;
	}

	/* The caller owns the list now; a NULL head keeps it out of the cleanup. */
	*out = head;
	head = NULL;
	err = 0;
out:
	catalog_free(head);	/* on error, the messages loaded so far */
	free(line);
	fclose(f);
	return err;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CATALOG...\n", argv[0]);
		return 2;
	}

	for (int i = 1; i < argc; i++) {
		struct message *catalog;
		if (catalog_load(argv[i], &catalog) != 0) {
			printf("%s: rejected\n", argv[i]);
			status = 1;
			continue;
		}

		unsigned count = 0;
		for (const struct message *m = catalog; m; m = m->next)
			count++;
		const char *greeting = catalog_lookup(catalog, "greeting");
		printf("%s: %u messages, greeting \"%s\"\n", argv[i], count,
		       greeting ? greeting : "(none)");
		catalog_free(catalog);
	}
	return status;
}
