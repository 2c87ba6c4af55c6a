/*
 * station-report: summarise a day of readings from weather stations.
 *
 * Each line of stdin is one station: its name, how many readings
 * follow, then the readings in degrees Celsius:
 *
 *     harbour 4 11.5 12.0 13.25 12.5
 *
 * Prints the lowest, median and highest reading of each station. The
 * lines come from the stations themselves, so a line that does not
 * parse is reported and skipped, and the report goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_LEN 1024
#define NAME_LEN 32

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Parses exactly @n readings from @text into a new array. Borrows @text.
 * Returns the array, which the caller frees, or NULL if @text does not
 * hold @n readings or memory runs out.
 */
static double *parse_readings(const char *text, size_t n)
{
	double *v = malloc(n * sizeof *v);
	const char *p = text;

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char *end;
		double x = strtod(p, &end);

		if (end == p)
			goto fail;
		v[i] = x;
		p = end;
	}
	if (p[strspn(p, " \t\r\n")] != '\0')
		goto fail;
	return v;
fail:
	free(v);
	return NULL;
}

/* Borrows @name and @v; sorts @v in place and prints its lowest, median
 * and highest value. */
static void print_summary(const char *name, double *v, size_t n)
{
	double median;

	qsort(v, n, sizeof *v, by_value);
	if (n % 2)
		median = v[n / 2];
	else
		median = (v[n / 2 - 1] + v[n / 2]) / 2;
	printf("%-10s %3zu readings  low %6.2f  median %6.2f  high %6.2f\n",
	       name, n, v[0], median, v[n - 1]);
}

int main(void)
{
	char line[LINE_LEN];
	int lineno = 0;
	int stations = 0;

	while (fgets(line, sizeof line, stdin)) {
		char name[NAME_LEN];
		size_t n;
		int used;
		double *v;

		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (sscanf(line, "%31s %zu%n", name, &n, &used) != 2) {
			printf("line %d: skipped: expected a name and a count\n", lineno);
			continue;
		}
		if (n == 0) {
			printf("line %d: skipped: no readings\n", lineno);
			continue;
		}
		v = parse_readings(line + used, n);
		if (!v) {
			printf("line %d: skipped: cannot read %zu readings\n", lineno, n);
			continue;
		}
		print_summary(name, v, n);
		free(v);
		stations++;
	}
	printf("%d stations\n", stations);
	return EXIT_SUCCESS;
}
