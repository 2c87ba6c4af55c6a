#!/usr/bin/env bats
# Workbook mode (`make test`): for every exercise and every compiler in
# COMPILERS, the shipped exercise shows exactly the bug its exercise.spec
# declares, and its solution is clean and correct; and every solution
# mirrors its exercise, differing only by the fix.

bats_require_minimum_version 1.11.0
load lib/exercise

MAX_FIX_LINES=15

# The solution folder holds the same files, and its C differs only by the fix.
solution_mirrors_exercise() {
	local exercise=$1 solution=$2 changed
	if [ ! -d "$solution" ]; then
		echo "There is no solution folder ${solution#"$WORKBOOK_DIR"/}."
		return 1
	fi
	local only same
	only=$(diff -rq "$exercise" "$solution" | grep -v ' differ$' || true)
	if [ -n "$only" ]; then
		echo "The exercise and solution folders do not hold the same files:"
		printf '%s\n' "$only" | sed 's/^/    /'
		return 1
	fi
	for same in exercise.spec Makefile; do
		cmp -s "$exercise/$same" "$solution/$same" || {
			echo "$same differs between the exercise and its solution; it must be identical."
			return 1
		}
	done
	if diff -rq "$exercise" "$solution" >/dev/null; then
		echo "The solution is identical to the exercise."
		return 1
	fi
	# A changed line shows as one removal and one addition: count the larger side.
	changed=$(diff -r "$exercise" "$solution" | awk '/^</ { r++ } /^>/ { a++ } END { print (a > r ? a : r) + 0 }')
	if [ "$changed" -gt "$MAX_FIX_LINES" ]; then
		echo "The solution changes $changed lines; a fix may change at most $MAX_FIX_LINES."
		return 1
	fi
}

register_tests() {
	local exercise name solution cc
	for exercise in "$WORKBOOK_DIR"/exercises/*/*/; do
		exercise=${exercise%/}
		[ -f "$exercise/exercise.spec" ] || continue
		name=${exercise#"$WORKBOOK_DIR"/exercises/}
		solution=$WORKBOOK_DIR/solutions/$name
		bats_test_function --description "$name: the solution differs only by the fix" \
			-- solution_mirrors_exercise "$exercise" "$solution"
		for cc in ${COMPILERS:-gcc clang}; do
			bats_test_function --description "$name [$cc]: the exercise shows its declared bug" \
				-- report workbook_exercise_verdict "$exercise" "$cc"
			bats_test_function --description "$name [$cc]: the solution is clean and correct" \
				-- report workbook_solution_verdict "$solution" "$cc"
		done
	done
}

register_tests
