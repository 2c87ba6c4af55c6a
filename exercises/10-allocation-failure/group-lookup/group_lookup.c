/*
 * group-lookup: reads a group database in the format of /etc/group,
 * "name:password:gid:member,member,...", on standard input, and prints for
 * each user named on the command line the groups that list them as a
 * member, in the order of the database, like `groups USER` does. Exits with
 * status 1 on a malformed line or when it runs out of memory, 2 on misuse.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct group {
	char *name;
	unsigned long gid;
	char **members;
	size_t nmembers;
	struct group *next;
};

/* Frees @g, with its name and members; @g may be NULL or partly built. */
static void group_free(struct group *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nmembers; i++)
		free(g->members[i]);
	free(g->members);
	free(g->name);
	free(g);
}

/* Frees every group of the list @head. */
static void groups_free(struct group *head)
{
	while (head) {
		struct group *next = head->next;

		group_free(head);
		head = next;
	}
}

/*
 * Returns a new group named @name, with a copy of each name in the comma-
 * separated list @members, or NULL if out of memory. Borrows @name and
 * @members. Caller frees it with group_free().
 */
static struct group *group_new(const char *name, unsigned long gid, const char *members)
{
	size_t slots = 1;	/* never 0: calloc(0, n) may return NULL */

	for (const char *p = members; *p; p++)
		if (*p == ',')
			slots++;

	struct group *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->gid = gid;
	g->name = strdup(name);
	if (!g->name)
		goto free_group;
	g->members = calloc(slots, sizeof *g->members);
	if (!g->members)
		goto free_name;
	while (*members) {
		size_t len = strcspn(members, ",");
		char *member = strndup(members, len);

		if (!member)
			goto free_name;
		g->members[g->nmembers++] = member;
		members += len;
		if (*members == ',')
			members++;
	}
	return g;

free_name:
	free(g->name);
free_group:
	free(g);
	return NULL;
}

/*
 * Splits @line, "name:password:gid:members", in place: points *@name and
 * *@members into it and stores the gid. Returns 0, or -1 if it is malformed.
 */
static int split_group(char *line, char **name, unsigned long *gid, char **members)
{
	char *field[4];
	char *end;

	line[strcspn(line, "\n")] = '\0';
	field[0] = line;
	for (int i = 1; i < 4; i++) {
		field[i] = strchr(field[i - 1], ':');
		if (!field[i])
			return -1;
		*field[i]++ = '\0';
	}
	*gid = strtoul(field[2], &end, 10);
	if (field[0][0] == '\0' || field[2][0] == '\0' || *end != '\0')
		return -1;
	*name = field[0];
	*members = field[3];
	return 0;
}

int main(int argc, char **argv)
{
	struct group *head = NULL, **tail = &head;
	char line[1024];
	unsigned long lineno = 0;
	int status = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: %s USER... < group-file\n", argv[0]);
		return 2;
	}

	while (fgets(line, sizeof line, stdin)) {
		char *name, *members;
		unsigned long gid;

		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		if (split_group(line, &name, &gid, &members) != 0) {
			fprintf(stderr, "group-lookup: line %lu: malformed\n", lineno);
			goto out;
		}
		struct group *g = group_new(name, gid, members);
		if (!g) {
			fprintf(stderr, "group-lookup: out of memory\n");
			goto out;
		}
		*tail = g;
		tail = &g->next;
	}

	for (int i = 1; i < argc; i++) {
		int found = 0;

		printf("%s:", argv[i]);
		for (const struct group *g = head; g; g = g->next)
			for (size_t j = 0; j < g->nmembers; j++)
				if (strcmp(g->members[j], argv[i]) == 0) {
					printf(" %lu(%s)", g->gid, g->name);
					found = 1;
					break;
				}
		printf("%s\n", found ? "" : " (none)");
	}
	status = 0;
out:
	groups_free(head);
	return status;
}
