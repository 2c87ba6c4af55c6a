/*
 * login-shells: reads a passwd(5) file on standard input and lists the
 * accounts that can log in, with their shells, then how many cannot. A line
 * is "name:password:uid:gid:gecos:home:shell". An empty shell field means
 * /bin/sh, as login(1) takes it; an account whose shell is nologin or false
 * cannot log in.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SHELL "/bin/sh"
#define FIELDS 7

struct account {
	char *name;		/* owned */
	char *shell;		/* owned */
	unsigned long uid;
	struct account *next;
};

/* Frees @a and the strings it owns. @a may be NULL. */
static void account_free(struct account *a)
{
	if (!a)
		return;
	free(a->name);
	free(a->shell);
	free(a);
}

/*
 * Splits @line in place at its ':' separators into @field. Returns 0, or -1
 * unless there are exactly FIELDS fields.
 */
static int split_fields(char *line, char *field[FIELDS])
{
	line[strcspn(line, "\n")] = '\0';
	for (int i = 0; i < FIELDS; i++) {
		field[i] = line;
		char *colon = strchr(line, ':');
		if (!colon)
			return i == FIELDS - 1 ? 0 : -1;
		*colon = '\0';
		line = colon + 1;
	}
	return -1;
}

/*
 * Parses one passwd line. Returns a new account, or NULL if the line is
 * malformed or memory runs out; caller frees it with account_free().
 * Modifies @line.
 */
static struct account *account_parse(char *line)
{
	char *field[FIELDS];
	char *end;

	if (split_fields(line, field) != 0 || field[0][0] == '\0')
		return NULL;

	struct account *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->uid = strtoul(field[2], &end, 10);
	if (field[2][0] == '\0' || *end != '\0')
		goto fail;
	a->name = strdup(field[0]);
	/* The account owns its shell, the default too: account_free() frees it. */
	a->shell = strdup(field[6][0] ? field[6] : DEFAULT_SHELL);
	if (!a->name || !a->shell)
		goto fail;
	return a;
fail:
	account_free(a);
	return NULL;
}

/* Borrows @a. */
static int can_log_in(const struct account *a)
{
	const char *base = strrchr(a->shell, '/');
	base = base ? base + 1 : a->shell;
	return strcmp(base, "nologin") != 0 && strcmp(base, "false") != 0;
}

int main(void)
{
	struct account *head = NULL, **tail = &head;
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0, locked = 0;
	int status = EXIT_FAILURE;

	while (getline(&line, &cap, stdin) != -1) {
		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		struct account *a = account_parse(line);
		if (!a) {
			fprintf(stderr, "line %u: not a passwd entry\n", lineno);
			goto out;
		}
		*tail = a;
		tail = &a->next;
	}

	for (const struct account *a = head; a; a = a->next) {
		if (can_log_in(a))
			printf("%-10s %5lu  %s\n", a->name, a->uid, a->shell);
		else
			locked++;
	}
	printf("%u accounts cannot log in\n", locked);
	status = EXIT_SUCCESS;
out:
	while (head) {
		struct account *next = head->next;
		account_free(head);
		head = next;
	}
	free(line);
	return status;
}
