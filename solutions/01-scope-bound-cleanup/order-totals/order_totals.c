/*
 * order-totals: reads order lines "item,quantity,unit_cents" from stdin and
 * prints the cost of each line and the order total. Lines starting with '#'
 * and blank lines are ignored; malformed lines are reported and skipped.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct order_line {
	char item[32];
	long quantity;
	long unit_cents;
};

/* Upper bound for quantities and prices, so that their product fits a long. */
#define MAX_NUMBER 1000000L

/* Parses a decimal number in 1..MAX_NUMBER. Borrows @s; does not free it. */
static int parse_positive(const char *s, long *out)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0 || v > MAX_NUMBER)
		return -1;
	*out = v;
	return 0;
}

/* Cleanup handler: frees *@p when the variable goes out of scope. */
static void free_string(char **p)
{
	free(*p);
}

/*
 * Parses "item,quantity,unit_cents" into @out. Borrows @text; does not free
 * it. Works on a private copy because splitting writes '\0' over the commas.
 * Returns NULL on success, or a static message saying what was wrong.
 */
static const char *parse_order_line(const char *text, struct order_line *out)
{
	/* Freed by free_string() on every return below (GCC/Clang extension). */
	char *copy __attribute__((cleanup(free_string))) = strdup(text);
	if (!copy)
		return "out of memory";

	char *item = copy;
	char *qty = strchr(item, ',');
	if (!qty)
		return "expected item,quantity,unit_cents";
	*qty++ = '\0';

	char *price = strchr(qty, ',');
	if (!price)
		return "expected item,quantity,unit_cents";
	*price++ = '\0';

	size_t len = strlen(item);
	if (len == 0 || len >= sizeof out->item)
		return "item name empty or too long";
	if (parse_positive(qty, &out->quantity) != 0)
		return "quantity must be 1..1000000";
	if (parse_positive(price, &out->unit_cents) != 0)
		return "unit price must be 1..1000000 cents";

	memcpy(out->item, item, len + 1);
	return NULL;
}

static void print_cents(long cents)
{
	printf("%ld.%02ld", cents / 100, cents % 100);
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	long total = 0;
	int items = 0;

	while ((n = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;

		struct order_line ol;
		const char *why = parse_order_line(line, &ol);
		if (why) {
			printf("line %u: skipped: %s\n", lineno, why);
			continue;
		}

		long cost = ol.quantity * ol.unit_cents;
		printf("%-12s %3ld x ", ol.item, ol.quantity);
		print_cents(ol.unit_cents);
		printf(" = ");
		print_cents(cost);
		putchar('\n');
		total += cost;
		items++;
	}
	free(line);

	printf("%d lines, total ", items);
	print_cents(total);
	putchar('\n');
	return 0;
}
