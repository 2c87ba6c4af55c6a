# Included by the Makefile in every exercise and solution folder, so that
# `make check` works right there. It hands over to the workbook's Makefile
# with this folder as EX; shell quoting keeps paths with spaces working.
.PHONY: check hint watch reset
check hint watch reset:
	@here="$$(pwd)"; cd ../../.. && $(MAKE) --no-print-directory $@ EX="$$here"
