/*
 * backup-plan: reads backup jobs from standard input, one a line,
 * "name source destination keep-days", checks them and prints the plan.
 * Paths are tidied (repeated and trailing '/' removed) and must be absolute,
 * and a destination must not lie inside its source, or every run would back
 * up the previous backups. Blank lines and '#' lines are ignored. An invalid
 * job is reported and left out of the plan; the exit status is then 1
 * (2 if memory runs out).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct backup_job {
	char *name;
	char *source;
	char *dest;
	int keep_days;
	struct backup_job *next;
};

/*
 * Returns a tidied copy of @path, with no repeated or trailing '/', or NULL
 * if out of memory. Borrows @path. Caller frees the copy.
 */
static char *path_tidy(const char *path)
{
	char *copy = malloc(strlen(path) + 1);
	char *end = copy;

	if (!copy)
		return NULL;
	for (; *path; path++)
		if (*path != '/' || end == copy || end[-1] != '/')
			*end++ = *path;
	if (end - copy > 1 && end[-1] == '/')
		end--;
	*end = '\0';
	return copy;
}

/* Returns 1 if the tidy path @path is @dir or lies below it, else 0. */
static int path_is_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Frees @job and the strings it owns. @job may be NULL. */
static void backup_job_destroy(struct backup_job *job)
{
	if (!job)
		return;
	free(job->dest);
	free(job->source);
	free(job->name);
	free(job);
}

/*
 * Returns a new job made of the fields of one line, or NULL with *@why set
 * to the reason a field is invalid, or to NULL if memory ran out. Borrows the
 * fields; the job holds copies. Caller frees it with backup_job_destroy().
 */
static struct backup_job *backup_job_create(const char *name, const char *source,
					    const char *dest, const char *keep,
					    const char **why)
{
	struct backup_job *job = calloc(1, sizeof *job);
	char *end;
	long days;

	*why = NULL;
	if (!job)
		return NULL;
	job->name = strdup(name);
	job->source = path_tidy(source);
	job->dest = path_tidy(dest);
	if (!job->name || !job->source || !job->dest)
		goto fail;

	if (job->source[0] != '/' || job->dest[0] != '/') {
		*why = "paths must be absolute";
		goto fail;
	}
	if (path_is_within(job->dest, job->source)) {
		*why = "the destination is inside the source";
		goto fail;
	}
	days = strtol(keep, &end, 10);
	if (end == keep || *end != '\0' || days < 1 || days > 365) {
		*why = "keep-days must be a number from 1 to 365";
		goto fail;
	}
	job->keep_days = (int)days;
	return job;

fail:
	/* Fields not yet set are NULL (calloc), so destroy copes with them. */
	backup_job_destroy(job);
	return NULL;
}

/* Returns the job called @name in the list @jobs, or NULL. Borrows both. */
static const struct backup_job *find_job(const struct backup_job *jobs, const char *name)
{
	for (; jobs; jobs = jobs->next)
		if (strcmp(jobs->name, name) == 0)
			return jobs;
	return NULL;
}

int main(void)
{
	struct backup_job *jobs = NULL, **end = &jobs;
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0, planned = 0, rejected = 0;
	int status = 2;

	while (getline(&line, &cap, stdin) != -1) {
		const char *sep = " \t\n";
		char *name = strtok(line, sep);
		lineno++;
		if (!name || name[0] == '#')
			continue;

		char *source = strtok(NULL, sep);
		char *dest = strtok(NULL, sep);
		char *keep = strtok(NULL, sep);
		if (!keep || strtok(NULL, sep)) {
			printf("line %u: expected \"name source destination keep-days\"\n", lineno);
			rejected++;
			continue;
		}

		const char *why;
		struct backup_job *job = backup_job_create(name, source, dest, keep, &why);
		if (!job && !why) {
			fprintf(stderr, "line %u: out of memory\n", lineno);
			goto out;
		}
		if (!job) {
			printf("line %u: job %s rejected: %s\n", lineno, name, why);
			rejected++;
			continue;
		}
		if (find_job(jobs, job->name)) {
			printf("line %u: job %s rejected: the name is taken\n", lineno, name);
			backup_job_destroy(job);
			rejected++;
			continue;
		}
		*end = job;	/* the list owns the job now */
		end = &job->next;
		planned++;
	}

	for (const struct backup_job *job = jobs; job; job = job->next)
		printf("%-8s %-18s -> %-22s keep %3d days\n", job->name,
		       job->source, job->dest, job->keep_days);
	printf("%u jobs planned, %u rejected\n", planned, rejected);
	status = rejected ? 1 : 0;
out:
	while (jobs) {
		struct backup_job *next = jobs->next;
		backup_job_destroy(jobs);
		jobs = next;
	}
	free(line);
	return status;
}
