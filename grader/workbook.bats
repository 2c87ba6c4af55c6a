#!/usr/bin/env bats
# shellcheck disable=SC2154 # spec_* variables come from spec_load
# Workbook mode (`make test`): for every exercise and every compiler in
# COMPILERS, the shipped exercise shows exactly the bug its exercise.spec
# declares, and its solution is clean and correct; AddressSanitizer, the
# second detector, finds the same kinds of bug, or the spec says why not,
# and passes the solution too; and every solution mirrors its exercise,
# differing only by the fix; the runs `make check` grades take every path
# of the functions the fix changes (lib/selftest/coverage), and no part of
# the fix passes without the rest (lib/selftest/partial-fixes).

bats_require_minimum_version 1.11.0
load lib/grading/exercise

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

# The lines of the exercise's C files that its solution changes: for a
# change or deletion the old lines, for an insertion the lines around it.
changed_lines() {
	local exercise=$1 solution=$2 f
	for f in "$exercise"/*.c "$exercise"/*.h; do
		[ -e "$f" ] || continue
		diff "$f" "$solution/${f##*/}" | awk -v file="${f##*/}" '
			/^[0-9]/ {
				split($0, part, /[acd]/); n = split(part[1], range, ",")
				from = range[1]; to = (n > 1) ? range[2] : range[1]
				if ($0 ~ /a/) { from = range[1]; to = range[1] + 1 }
				for (i = from; i <= to; i++) print file ":" i
			}'
	done | sort -u
}

# The learner's verdict on the shipped exercise names each bug kind of its
# spec in plain words, shows the code of every place it names, and points
# to a line the solution changes or to the place Valgrind says the block
# (or file) was allocated, opened or freed.
explains_the_bug() {
	local exercise=$1 solution=$2 cc=$3 words kind title refs sites changed ref
	if words=$("$GRADER_DIR/lib/grading/verdict" learner_verdict "$exercise" "$cc"); then
		echo "The shipped exercise passes the learner's check."
		return 1
	fi
	spec_load "$exercise" >/dev/null || return 1
	while IFS= read -r kind; do
		kind=${kind#"${kind%%[![:space:]]*}"}
		title="$(printf '%s' "${kind:0:1}" | tr '[:lower:]' '[:upper:]')${kind:1}"
		if [[ "$words" != *"- $title: "* ]]; then
			echo "The verdict does not explain '$title':"
			printf '%s\n' "$words" | sed 's/^/    /'
			return 1
		fi
	done < <(printf '%s\n' "$spec_bug" | tr ',' '\n')
	# Every place it names (not its callers) shows its line of code.
	local place missing=''
	while IFS= read -r place; do
		grep -qE -- "--> +${place##*:} \|" <<<"$words" || missing+=" $place"
	done < <(grep -vE '^ *called from ' <<<"$words" |
		grep -oE '(at|from) [A-Za-z0-9_-]+\.[ch]:[0-9]+ \(' | sed 's/^[a-z]* //; s/ ($//' | sort -u)
	if [ -n "$missing" ]; then
		echo "The verdict names places without showing their code:$missing"
		printf '%s\n' "$words" | sed 's/^/    /'
		return 1
	fi
	refs=$(grep -oE '[A-Za-z0-9_-]+\.[ch]:[0-9]+' <<<"$words" | sort -u)
	# "allocated at f.c:12", or "opened inside the C library (fopen), called from f.c:12".
	sites=$(grep -oE '(allocated|freed|opened) (at|inside the C library \([^)]*\), called from) [A-Za-z0-9_-]+\.[ch]:[0-9]+' <<<"$words" |
		sed 's/.* //' | sort -u)
	changed=$(changed_lines "$exercise" "$solution")
	for ref in $refs; do
		if printf '%s\n%s\n' "$changed" "$sites" | grep -qxF "$ref"; then return 0; fi
	done
	echo "The verdict names no line the solution changes, nor an allocation or free site."
	echo "    it names: $(tr '\n' ' ' <<<"$refs")"
	echo "    the solution changes: $(tr '\n' ' ' <<<"$changed")"
	return 1
}

# The graded runs execute every line of the functions the fix changes.
every_path_graded() {
	"$GRADER_DIR/lib/selftest/coverage" "$@"
}

# Every proper part of the fix, applied alone, fails make check.
partial_fixes_fail() {
	"$GRADER_DIR/lib/selftest/partial-fixes" "$@"
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
		# shellcheck disable=SC2086 # a list of compiler names; the first will do
		set -- ${COMPILERS:-gcc clang}
		bats_test_function --description "$name [$1]: the learner's verdict explains the bug and where it is" \
			-- with_detector valgrind explains_the_bug "$exercise" "$solution" "$1"
		bats_test_function --description "$name: its graded runs execute every line of the functions the fix changes (gcov)" \
			-- every_path_graded "$exercise" "$solution"
		bats_test_function --description "$name [$1]: every partial fix fails make check" \
			-- with_detector valgrind partial_fixes_fail "$exercise" "$solution" "$1"
		for cc in ${COMPILERS:-gcc clang}; do
			bats_test_function --description "$name [$cc]: the exercise shows its declared bug" \
				-- with_detector valgrind report "$GRADER_DIR/lib/grading/verdict" workbook_exercise_verdict "$exercise" "$cc"
			bats_test_function --description "$name [$cc]: the solution is clean and correct" \
				-- with_detector valgrind report "$GRADER_DIR/lib/grading/verdict" workbook_solution_verdict "$solution" "$cc"
			bats_test_function --description "$name [$cc, AddressSanitizer]: finds the kinds of bug Valgrind finds" \
				-- report "$GRADER_DIR/lib/grading/verdict" workbook_agreement_verdict "$exercise" "$cc"
			bats_test_function --description "$name [$cc, AddressSanitizer]: the solution is clean and correct" \
				-- with_detector asan report "$GRADER_DIR/lib/grading/verdict" workbook_solution_verdict "$solution" "$cc"
		done
	done
}

register_tests
