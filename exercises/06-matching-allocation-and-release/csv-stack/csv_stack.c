/*
 * csv-stack: stacks CSV files that share a header into one table on
 * standard output, the header printed once. The first file decides the
 * header; a later file whose header differs, or that is empty, is skipped
 * with a warning, and the exit status is then 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Copies the data rows of the CSV file @path to stdout and returns how many
 * there were. If *@header is NULL, this is the first file: its header line
 * is printed and stored in *@header (a new string; caller frees). Otherwise
 * the file's header must equal *@header. Returns -1 if the file was skipped.
 */
static long stack_file(const char *path, char **header)
{
	char *line = NULL;
	size_t cap = 0;
	long n = 0, rows = -1;

	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return -1;
	}

	if (getline(&line, &cap, f) == -1) {
		fprintf(stderr, "%s: empty file, skipped\n", path);
		goto out;
	}
	if (!*header) {
		fputs(line, stdout);
		*header = line;
		line = NULL;
		cap = 0;
	} else if (strcmp(line, *header) != 0) {
		fprintf(stderr, "%s: header differs from the first file's, skipped\n",
			path);
		free(line);
		return -1;
	}

	while (getline(&line, &cap, f) != -1) {
		if (line[0] == '\n')
			continue;
		fputs(line, stdout);
		n++;
	}
	if (ferror(f)) {
		perror(path);
		goto out;
	}
	rows = n;
out:
	free(line);
	fclose(f);
	return rows;
}

int main(int argc, char **argv)
{
	char *header = NULL;
	long total = 0;
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE.csv...\n", argv[0]);
		return 2;
	}

	for (int i = 1; i < argc; i++) {
		long rows = stack_file(argv[i], &header);
		if (rows < 0) {
			status = 1;
			continue;
		}
		fprintf(stderr, "%s: %ld rows\n", argv[i], rows);
		total += rows;
	}
	fprintf(stderr, "%ld rows in all\n", total);

	free(header);
	return status;
}
