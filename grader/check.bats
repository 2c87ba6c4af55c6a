#!/usr/bin/env bats
# Learner mode (`make check`): one test per exercise. Each builds the
# learner's program with the grader's flags, runs it once under Valgrind,
# and passes only if it compiles without warnings, prints the expected
# output, exits as expected and is clean: no memory error, nothing lost
# (still reachable included), no file left open, no crash, no timeout.
#
# grader/grade sets GRADE_DIRS (one exercise folder per line) and CC.

bats_require_minimum_version 1.11.0
load lib/grading/exercise

register_tests() {
	local dir
	while IFS= read -r dir; do
		[ -n "$dir" ] || continue
		bats_test_function --description "${dir#"$WORKBOOK_DIR"/}" -- report "$GRADER_DIR/lib/grading/verdict" learner_verdict "$dir" "${CC:-cc}"
	done <<<"${GRADE_DIRS:-$(printf '%s\n' "$WORKBOOK_DIR"/exercises/*/*)}"
}

register_tests
