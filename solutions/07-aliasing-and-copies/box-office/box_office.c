/*
 * box-office: book the seats of one day's shows in a small theatre.
 *
 * Input (stdin): the hall's seating plan, one row per line, '.' for a
 * seat and ' ' for an aisle; a line "--"; then one line per show,
 * "<show> <seat> <seat> ...". A seat is named by its row letter and its
 * number within the row, aisles not counted: "B4" is the fourth seat of
 * the second row. Every show starts from the empty hall.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 26
#define MAX_WIDTH 64

struct seatmap {
	int rows;
	int width;
	char *cells;	/* owned; rows * width of '.' free, 'X' booked, ' ' aisle */
};

/* Frees the cells @m owns. */
static void seatmap_free(struct seatmap *m)
{
	free(m->cells);
	m->cells = NULL;
}

/* Copies @src into @dst, cells too; free @dst with seatmap_free(). */
static int seatmap_copy(struct seatmap *dst, const struct seatmap *src)
{
	*dst = *src;
	dst->cells = malloc((size_t)src->rows * src->width);
	if (!dst->cells)
		return -1;
	memcpy(dst->cells, src->cells, (size_t)src->rows * src->width);
	return 0;
}

/*
 * Reads a seating plan from @in, up to the line "--", into @m, which then
 * owns its cells: free them with seatmap_free(). Returns -1 if the plan is
 * malformed or memory runs out; @m then owns nothing.
 */
static int seatmap_read(struct seatmap *m, FILE *in)
{
	char line[MAX_WIDTH + 2];

	memset(m, 0, sizeof *m);
	while (fgets(line, sizeof line, in)) {
		size_t n = strcspn(line, "\n");
		char *cells;

		line[n] = '\0';
		if (strcmp(line, "--") == 0 && m->rows > 0)
			return 0;
		if (m->rows == MAX_ROWS || n == 0 || n > MAX_WIDTH ||
		    (m->rows > 0 && (int)n != m->width))
			break;
		cells = realloc(m->cells, (size_t)(m->rows + 1) * n);
		if (!cells)
			break;
		m->cells = cells;
		m->width = (int)n;
		for (size_t i = 0; i < n; i++)
			cells[m->rows * n + i] = line[i] == '.' ? '.' : ' ';
		m->rows++;
	}
	seatmap_free(m);
	return -1;
}

/*
 * Books @seat ("B4") in @m.
 * Returns -1 if there is no such seat or it is taken.
 */
static int seatmap_book(struct seatmap *m, const char *seat)
{
	int row = seat[0] - 'A';
	int number = atoi(seat + 1);
	char *cell = NULL;

	if (row < 0 || row >= m->rows || number < 1)
		return -1;
	for (int i = 0; i < m->width && number > 0; i++) {
		cell = &m->cells[row * m->width + i];
		if (*cell != ' ')
			number--;
	}
	if (number > 0 || *cell != '.')
		return -1;
	*cell = 'X';
	return 0;
}

static void seatmap_print(const struct seatmap *m)
{
	for (int r = 0; r < m->rows; r++) {
		printf("  %c ", 'A' + r);
		for (int i = 0; i < m->width; i++)
			putchar(m->cells[r * m->width + i]);
		putchar('\n');
	}
}

int main(void)
{
	struct seatmap hall;
	char line[256];
	int ret = EXIT_FAILURE;

	if (seatmap_read(&hall, stdin) < 0) {
		fprintf(stderr, "box-office: cannot read the seating plan\n");
		goto out;
	}
	while (fgets(line, sizeof line, stdin)) {
		char *name = strtok(line, " \n");
		struct seatmap show;
		char *seat;
		int booked = 0;

		if (!name)
			continue;
		if (seatmap_copy(&show, &hall) < 0) {
			perror("box-office");
			goto out;
		}
		while ((seat = strtok(NULL, " \n"))) {
			if (seatmap_book(&show, seat) < 0)
				printf("%s: no free seat %s\n", name, seat);
			else
				booked++;
		}
		printf("%s: %d seats booked\n", name, booked);
		seatmap_print(&show);
		seatmap_free(&show);
	}
	ret = EXIT_SUCCESS;
out:
	seatmap_free(&hall);
	return ret;
}
