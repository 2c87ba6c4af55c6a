/*
 * org-chart: reads who reports to whom, prints the organisation as a tree,
 * then the chain of command of everyone who has no reports.
 *
 * Input (stdin): "<name> <manager>" per line, each manager listed before
 * their reports; the head's manager is "-". Blank and '#' lines are ignored.
 * People are reference counted: the chart holds them, and so does the
 * directory that finds them by name while the input is read.
 */
#define _POSIX_C_SOURCE 200809L

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct person {
	int refs;
	char *name;
	struct person *manager;		/* NULL for the head */
	struct person **reports;
	size_t nreports;
	size_t cap;
};

/*
 * Returns a new person called a copy of @name, with one reference, which
 * the caller owns; NULL if out of memory.
 */
static struct person *person_new(const char *name)
{
	struct person *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->name = strdup(name);
	if (!p->name) {
		free(p);
		return NULL;
	}
	p->refs = 1;
	return p;
}

/* Takes one more reference to @p for the caller, and returns @p. */
static struct person *person_retain(struct person *p)
{
	p->refs++;
	return p;
}

/*
 * Drops the caller's reference to @p (which may be NULL). The last one frees
 * @p and drops the references @p holds.
 */
static void person_release(struct person *p)
{
	if (!p)
		return;
	assert(p->refs > 0);	/* a release nobody retained for */
	if (--p->refs > 0)
		return;
	for (size_t i = 0; i < p->nreports; i++)
		person_release(p->reports[i]);
	person_release(p->manager);
	free(p->reports);
	free(p->name);
	free(p);
}

/*
 * Makes @p report to @boss. Borrows both; the chart takes references of its
 * own: @boss keeps @p among its reports, and @p keeps @boss as its manager.
 * Returns 0, or -1 if out of memory.
 */
static int person_add_report(struct person *boss, struct person *p)
{
	if (boss->nreports == boss->cap) {
		size_t cap = boss->cap ? 2 * boss->cap : 2;
		struct person **tmp = realloc(boss->reports, cap * sizeof *tmp);

		if (!tmp)
			return -1;
		boss->reports = tmp;
		boss->cap = cap;
	}
	boss->reports[boss->nreports++] = person_retain(p);
	p->manager = person_retain(boss);
	return 0;
}

#define MAX_PEOPLE 100

/* Returns the person called @name among @people[0..@n), borrowed; NULL if none. */
static struct person *find_person(struct person *const *people, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(people[i]->name, name) == 0)
			return people[i];
	return NULL;
}

/*
 * Reads a chart from @in (borrowed). Returns its head: a new reference the
 * caller releases. On bad input or out of memory, prints why and returns NULL.
 */
static struct person *chart_load(FILE *in)
{
	struct person *dir[MAX_PEOPLE];	/* everyone read so far, each retained */
	size_t ndir = 0;
	struct person *head = NULL;
	struct person *p = NULL;
	char line[128], name[32], boss[32];
	int lineno = 0;

	while (fgets(line, sizeof line, in)) {
		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		if (sscanf(line, "%31s %31s", name, boss) != 2) {
			fprintf(stderr, "line %d: expected \"<name> <manager>\"\n", lineno);
			goto fail;
		}
		p = person_new(name);
		if (!p)
			goto oom;
		if (!head && strcmp(boss, "-") == 0) {
			head = person_retain(p);
		} else {
			struct person *m = find_person(dir, ndir, boss);

			if (!m) {
				fprintf(stderr, "line %d: %s: unknown manager\n", lineno, boss);
				goto fail;
			}
			if (person_add_report(m, p) < 0)
				goto oom;
		}
		if (ndir == MAX_PEOPLE) {
			fprintf(stderr, "line %d: more than %d people\n", lineno, MAX_PEOPLE);
			goto fail;
		}
		dir[ndir++] = p;	/* the directory takes over our reference */
		p = NULL;
	}
	if (!head) {
		fprintf(stderr, "nobody heads the organisation\n");
		goto fail;
	}
	goto out;
oom:
	perror("org-chart");
fail:
	person_release(head);
	head = NULL;
out:
	person_release(p);
	while (ndir > 0)
		person_release(dir[--ndir]);
	return head;
}

/* Prints @p and everyone below it, indented by @depth. Borrows @p. */
static void chart_print(const struct person *p, int depth)
{
	printf("%*s%s\n", 2 * depth, "", p->name);
	for (size_t i = 0; i < p->nreports; i++)
		chart_print(p->reports[i], depth + 1);
}

/* Prints the chain of command of everyone below @p who has no reports. Borrows @p. */
static void chains_print(const struct person *p)
{
	if (p->nreports == 0) {
		printf("%s", p->name);
		for (const struct person *m = p->manager; m; m = m->manager)
			printf(" -> %s", m->name);
		printf("\n");
	}
	for (size_t i = 0; i < p->nreports; i++)
		chains_print(p->reports[i]);
}

int main(void)
{
	struct person *head = chart_load(stdin);

	if (!head)
		return EXIT_FAILURE;
	chart_print(head, 0);
	printf("chains of command:\n");
	chains_print(head);
	person_release(head);
	return EXIT_SUCCESS;
}
