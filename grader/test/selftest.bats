#!/usr/bin/env bats
# The workbook's own checks of its exercises can fail: the coverage check
# finds a path no graded run takes, and the partial-fix check finds a
# half-done fix that `make check` would pass.

bats_require_minimum_version 1.11.0
load helpers

# copy_exercise NAME: the exercise and solution NAME (chapter/exercise),
# copied under the test's folder; sets $exercise and $solution.
copy_exercise() {
	exercise=$BATS_TEST_TMPDIR/exercise/${1##*/}
	solution=$BATS_TEST_TMPDIR/solution/${1##*/}
	mkdir -p "${exercise%/*}" "${solution%/*}"
	cp -R "$WORKBOOK_DIR/exercises/$1" "$exercise"
	cp -R "$WORKBOOK_DIR/solutions/$1" "$solution"
}

@test "coverage: a path that only a removed case took is named, with its code" {
	copy_exercise 01-scope-bound-cleanup/catalog-loader
	rm "$exercise/cases/folder.case" "$solution/cases/folder.case"
	run -1 "$GRADER_DIR/lib/selftest/coverage" "$exercise" "$solution"
	[[ "${lines[0]}" == *"the spec's input and 1 case; "*"2 missed" ]]
	[[ "$output" == *"catalog_loader.c:130 (catalog_load): perror(path);"* ]]
	[[ "$output" == *"catalog_loader.c:131 (catalog_load): goto out;"* ]]
}

@test "coverage: the shipped cases take every path of the fixed functions" {
	copy_exercise 01-scope-bound-cleanup/catalog-loader
	run -0 "$GRADER_DIR/lib/selftest/coverage" "$exercise" "$solution"
	[[ "$output" == *"; 0 missed" ]]
	# The out-of-memory branches were reached by making allocations fail.
	[[ "$output" == *"excused: 2 out of memory"* ]]
}

@test "partial fixes: a hunk that no run needs is found" {
	copy_exercise 11-capstone/settings-store
	# Line-buffered output: harmless, and nothing make check can tell.
	sed -i 's/^\tint status = 1;$/&\n\n\tsetvbuf(stdout, NULL, _IOLBF, 0);/' "$solution/main.c"
	run -1 "$GRADER_DIR/lib/selftest/partial-fixes" "$exercise" "$solution"
	[[ "$output" == *"PASSES: hunks 1, 2, 4 of 4 applied, and make check says ok"* ]]
	[ "$(grep -c '^fails, as it must' <<<"$output")" = 13 ]
}

@test "partial fixes: a hunk that only adds const does not count" {
	copy_exercise 02-ownership-and-double-free/borrowed-name
	run -0 "$GRADER_DIR/lib/selftest/partial-fixes" "$exercise" "$solution"
	[[ "$output" == *"the fix has 1 hunk(s) that change code: no partial fix to try"* ]]
}

@test "partial fixes: a comment-only hunk does not count" {
	copy_exercise 05-safe-deallocation/config-reload
	run -0 "$GRADER_DIR/lib/selftest/partial-fixes" "$exercise" "$solution"
	# Three code hunks (the three NULLs), not the two comments beside them.
	[ "$(grep -c '^fails, as it must: hunks .* of 3 applied$' <<<"$output")" = 6 ]
}
