#!/usr/bin/env bats
# The chapter text (`make test`): every C block in chapters/*.md is marked
# as a fragment or a complete program, and every complete program compiles
# without warnings and runs under memcheck exactly as the text declares
# (clean, unless its `/* memcheck: ... */` line says otherwise). See
# grader/lib/snippets for the marking rules. Also: the exercise index in
# chapters/README.md is the one the exercise.spec files make.

bats_require_minimum_version 1.11.0
load lib/exercise

SNIPPETS=${SNIPPETS_DIR:-$WORKBOOK_DIR/.build/snippets}

every_block_is_marked() {
	local unmarked
	unmarked=$(grep -F "chapters/$1:" "$SNIPPETS/unmarked.txt" || true)
	if [ -n "$unmarked" ]; then
		echo "These C blocks begin with neither '/* Fragment' nor '/* Program: NAME.c':"
		printf '%s\n' "$unmarked" | sed 's/^/    /'
		return 1
	fi
}

program_runs_as_declared() {
	local verdict
	if ! verdict=$(workbook_exercise_verdict "$1" "$2"); then
		printf '%s\n' "$verdict" | sed 's/shipped exercise/program/'
		return 1
	fi
}

index_is_current() {
	local want got
	want=$("$GRADER_DIR/grade" index)
	got=$(sed -n '/^<!-- index:begin -->$/,/^<!-- index:end -->$/p' "$WORKBOOK_DIR/chapters/README.md" | sed '1d;$d')
	if [ "$want" != "$got" ]; then
		echo "chapters/README.md's index is not the one the exercise.spec files make; run 'make index'. Differences:"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -n 20 | sed 's/^/    /'
		return 1
	fi
}

# The rules and weaknesses the workbook promises to teach, each by at least
# one exercise.
REQUIRED_CERT="MEM30-C MEM31-C MEM34-C MEM35-C MEM00-C MEM01-C MEM04-C MEM12-C FIO42-C ERR33-C"
REQUIRED_CWE="401 415 416 590 761 775 122 457"

index_covers_required() {
	local index id missing=''
	index=$("$GRADER_DIR/grade" index)
	for id in $REQUIRED_CERT; do
		[[ "$index" == *"$id"* ]] || missing="$missing $id"
	done
	for id in $REQUIRED_CWE; do
		[[ "$index" == *"CWE-$id"[!0-9]* ]] || missing="$missing CWE-$id"
	done
	if [ -n "$missing" ]; then
		echo "No exercise teaches:$missing"
		return 1
	fi
}

register_tests() {
	local chapter dir cc
	[ -f "$SNIPPETS/unmarked.txt" ] || "$GRADER_DIR/lib/snippets" "$SNIPPETS" >/dev/null
	bats_test_function --description "chapters/README.md: the exercise index is current" -- index_is_current
	bats_test_function --description "the exercises teach every CERT C rule and CWE the workbook lists" -- index_covers_required
	for chapter in "$WORKBOOK_DIR"/chapters/[0-9]*.md; do
		chapter=${chapter##*/}
		bats_test_function --description "chapters/$chapter: every C block is a marked fragment or program" \
			-- every_block_is_marked "$chapter"
	done
	for dir in "$SNIPPETS"/*/*/; do
		[ -f "$dir/exercise.spec" ] || continue
		dir=${dir%/}
		for cc in ${COMPILERS:-gcc clang}; do
			bats_test_function --description "chapters/${dir#"$SNIPPETS"/}: the program compiles and runs as the text says [$cc]" \
				-- program_runs_as_declared "$dir" "$cc"
		done
	done
}

register_tests
