#!/usr/bin/env bats
# shellcheck disable=SC2154 # spec_* variables come from spec_load
# The chapter text (`make test`): every C block in chapters/*.md is marked
# as a fragment or a complete program, and every complete program compiles
# without warnings and runs under memcheck exactly as the text declares
# (clean, unless its `/* memcheck: ... */` line says otherwise). See
# grader/lib/grading/snippets for the marking rules. Also: the exercise index in
# chapters/README.md is the one the exercise.spec files make.

bats_require_minimum_version 1.11.0
load lib/grading/exercise

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

# The bug kinds an exercise.spec may name; the workbook teaches each one
# in at least two exercises.
BUG_KINDS=("definite leak" "indirect leak" "double free" "invalid free"
	"use after free (read)" "use after free (write)" "stale alias after realloc"
	"leaked file descriptor" "heap buffer overflow" "uninitialised read")

every_bug_kind_twice() {
	local dir kind k known bad=0
	declare -A seen=()
	for dir in "$WORKBOOK_DIR"/exercises/*/*/; do
		[ -f "$dir/exercise.spec" ] || continue
		spec_load "${dir%/}" >/dev/null || return 1
		while IFS= read -r kind; do
			kind=${kind#"${kind%%[![:space:]]*}"}
			known=0
			for k in "${BUG_KINDS[@]}"; do [ "$k" = "$kind" ] && known=1; done
			if [ "$known" = 0 ]; then
				echo "${dir#"$WORKBOOK_DIR"/}: unknown bug kind '$kind'"
				bad=1
			fi
			seen[$kind]=$((${seen[$kind]:-0} + 1))
		done < <(printf '%s\n' "$spec_bug" | tr ',' '\n')
	done
	for kind in "${BUG_KINDS[@]}"; do
		if [ "${seen[$kind]:-0}" -lt 2 ]; then
			echo "Only ${seen[$kind]:-0} exercise(s) teach '$kind'; the workbook promises two."
			bad=1
		fi
	done
	return "$bad"
}

# At least eleven chapters, each with at least two exercises, 24 in all.
the_curriculum_is_complete() {
	local chapters=0 exercises=0 chapter n
	for chapter in "$WORKBOOK_DIR"/chapters/[0-9]*.md; do
		chapter=${chapter##*/}
		chapters=$((chapters + 1))
		n=$(find "$WORKBOOK_DIR/exercises/${chapter%.md}" -name exercise.spec 2>/dev/null | wc -l)
		if [ "$n" -lt 2 ]; then
			echo "chapters/$chapter has $n exercise(s) in exercises/${chapter%.md}/; each chapter needs two."
			return 1
		fi
		exercises=$((exercises + n))
	done
	[ "$chapters" -ge 11 ] || { echo "$chapters chapters; the workbook has eleven."; return 1; }
	[ "$exercises" -ge 24 ] || { echo "$exercises exercises; the workbook has at least 24."; return 1; }
}

# Every explanation the grader gives points to a section that exists.
explanations_point_to_real_sections() {
	local id title chapter section bad=0
	while IFS=$'\t' read -r id title chapter section _; do
		case $id in '#'* | '') continue ;; esac
		if ! grep -qxF "## $section" "$WORKBOOK_DIR/chapters/$chapter" 2>/dev/null; then
			echo "explanation '$id' ($title) points to chapters/$chapter, \"$section\", which does not exist"
			bad=1
		fi
	done <"$GRADER_DIR/lib/grading/explanations.tsv"
	return "$bad"
}

# Every lesson section an exercise's spec names (read:) exists.
lesson_links_point_to_real_sections() {
	local spec read bad=0
	for spec in "$WORKBOOK_DIR"/exercises/*/*/exercise.spec; do
		read=$(sed -n 's/^read: //p' "$spec")
		[ -n "$read" ] || continue
		# A heading of any level: the exercises have their own (###).
		if ! sed -n 's/^##* //p' "$WORKBOOK_DIR/chapters/${read%%, *}" 2>/dev/null | grep -qxF -- "${read#*, }"; then
			echo "${spec#"$WORKBOOK_DIR"/}: read: points to chapters/${read%%, *}, \"${read#*, }\", which does not exist"
			bad=1
		fi
	done
	return "$bad"
}

register_tests() {
	local chapter dir cc
	[ -f "$SNIPPETS/unmarked.txt" ] || "$GRADER_DIR/lib/grading/snippets" "$SNIPPETS" >/dev/null
	bats_test_function --description "chapters/README.md: the exercise index is current" -- index_is_current
	bats_test_function --description "the exercises teach every CERT C rule and CWE the workbook lists" -- index_covers_required
	bats_test_function --description "every bug kind is taught by at least two exercises" -- every_bug_kind_twice
	bats_test_function --description "every explanation of the grader points to a chapter section that exists" \
		-- explanations_point_to_real_sections
	bats_test_function --description "every lesson section an exercise's spec names exists" \
		-- lesson_links_point_to_real_sections
	bats_test_function --description "eleven chapters or more, two exercises each, 24 in all" -- the_curriculum_is_complete
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
				-- report "$GRADER_DIR/lib/grading/verdict" workbook_exercise_verdict "$dir" "$cc"
		done
	done
}

register_tests
