#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats sets $output, $status and $lines
# Attacks on grades, each tried as a determined student would, in learner
# mode (`make check`) and in class mode (`make class`), from a copy of the
# workbook whose folders are 755 (so that only the sandbox keeps a program
# out of them):
#   - forging the report: by path, through /proc, from a forked child, by
#     running a clean program instead (exec);
#   - reading what gives answers away, at run time and at compile time:
#     the solutions, the hidden cases, another submission, the result
#     cache (canary strings are planted in each), or a symbolic link;
#   - taking the allocation-failure runs away: the count, the variable,
#     the C library's own malloc;
#   - escape codes meant for the terminal, in output and in file names;
#   - filling the disk, spreading over memory, and file names that would be
#     read as options.
# Each must score no more than the same submission without the attack
# (the forged report exactly as much), or nothing when it does no work;
# change nothing outside its scratch; and end without hanging. The honest
# student still gets full marks.

bats_require_minimum_version 1.11.0
load helpers

OT=01-scope-bound-cleanup/order-totals
GL=10-allocation-failure/group-lookup

# The attacks: name, exercise, how (with: added to the shipped, buggy
# exercise; alone: in place of its program; names: see put_attack), and
# the score it may reach at most in class mode (buggy: what the buggy
# exercise alone scores; warnings: what the solution with one warning
# scores; 0), and "exact" when it must score exactly that.
ATTACKS='
forge-report     OT  with   buggy     exact
fork-forger      OT  with   buggy
exec-clean       OT  with   buggy
escape-codes     OT  with   buggy
secret-reader    OT  alone  0
include-secrets  OT  alone  0
incbin-secrets   OT  alone  0
symlink          OT  link   0
fill-disk        OT  alone  0
memory-spread    OT  alone  0
odd-names        OT  names  warnings  exact
count-zero       GL  with   buggy
real-malloc      GL  with   buggy
'

attack_rows() {
	printf '%s\n' "$ATTACKS" | sed -E '/^$/d; s/ +/\t/g'
}

exercise_of() {
	case $1 in OT) echo "$OT" ;; GL) echo "$GL" ;; esac
}

# The canary planted wherever an answer could be read from; no output of
# any grading may hold it.
CANARY=canary-4f2a9e1b

# make_base: BASE, a folder of the test's own that anyone may enter (the
# sandbox, not permissions, must keep programs out), holding the workbook
# copy, another learner's submission and a canary file.
make_base() {
	BASE=$(mktemp -d "${TMPDIR:-/tmp}/attacks.XXXXXX")
	chmod 755 "$BASE"
	make_workbook "$BASE/work book"
	mkdir -p "$BASE/other submission"
	printf 'int main(void) { return 0; } /* %s */\n' "$CANARY" >"$BASE/other submission/main.c"
	echo "$CANARY" >"$BASE/canary.txt"
}

teardown() {
	if [ -n "${BASE:-}" ]; then rm -rf "$BASE"; fi
}

# make_workbook DIR: a copy of the workbook with the two exercises, their
# solutions and hidden cases, each of those holding the canary; folders 755.
make_workbook() {
	local dir=$1 ex f
	mkdir -p "$dir/grader"
	cp -R "$WORKBOOK_DIR/Makefile" "$dir/"
	(cd "$WORKBOOK_DIR/grader" && cp -R grade memcheck check.bats lib "$dir/grader/")
	[ ! -e "$WORKBOOK_DIR/grader/exercise.mk" ] || cp "$WORKBOOK_DIR/grader/exercise.mk" "$dir/grader/"
	ln -s "$GRADER_DIR/node_modules" "$dir/grader/node_modules"
	for ex in "$OT" "$GL"; do
		mkdir -p "$dir/exercises/${ex%/*}" "$dir/solutions/${ex%/*}" "$dir/grader/instructor/${ex%/*}"
		cp -R "$WORKBOOK_DIR/exercises/$ex" "$dir/exercises/$ex"
		cp -R "$WORKBOOK_DIR/solutions/$ex" "$dir/solutions/$ex"
		cp -R "$WORKBOOK_DIR/grader/instructor/$ex" "$dir/grader/instructor/$ex"
		for f in "$dir/solutions/$ex"/*.c; do printf '/* %s */\n' "$CANARY" >>"$f"; done
		for f in "$dir/grader/instructor/$ex"/*.case; do printf '# %s\n' "$CANARY" >>"$f"; done
	done
	find "$dir" -type d -exec chmod 755 {} +
	find "$dir" -type f -exec chmod a+r {} +
}

# first_c_file DIR: the name of DIR's first C file (each exercise has one
# that holds main).
first_c_file() {
	local f
	for f in "$1"/*.c; do printf '%s\n' "${f##*/}"; return; done
}

# put_attack DIR NAME EXERCISE HOW: the attack's files in DIR, a folder of
# the exercise as a student would send it (HOW buggy: the shipped
# exercise's alone, the baseline of the attacks "with" it).
put_attack() {
	local dir=$1 name=$2 ex=$3 how=$4 main src=$BATS_TEST_DIRNAME/fixtures/attacks work="$BASE/work book"
	main=$(first_c_file "$WORKBOOK_DIR/exercises/$ex")
	mkdir -p "$dir"
	case $how in
	buggy) cp "$WORKBOOK_DIR/exercises/$ex/"*.c "$dir/" ;;
	with)
		cp "$WORKBOOK_DIR/exercises/$ex/"*.c "$dir/"
		cp "$src/$name.c" "$dir/$name.c" ;;
	alone)
		case $name in
		fill-disk) cp "$BATS_TEST_DIRNAME/fixtures/fill-disk.c" "$dir/$main" ;;
		secret-reader)
			sed "s|@SECRETS@|\"$work/solutions\", \"$work/grader/instructor\", \"$work/.build\", \"$BASE/other submission\", \"$BASE/canary.txt\", \"$BASE/submissions\"|" \
				"$src/$name.c" >"$dir/$main" ;;
		include-secrets)
			sed -e "s|@SOLUTION@|$work/solutions/$ex/$main|" -e "s|@EXERCISE@|$ex|" -e "s|@SOURCE@|$main|" \
				"$src/$name.c" >"$dir/$main" ;;
		incbin-secrets)
			local cases=("$work/grader/instructor/$ex/"*.case)
			sed "s|@SECRET@|${cases[0]}|" "$src/$name.c" >"$dir/$main" ;;
		*) cp "$src/$name.c" "$dir/$main" ;;
		esac ;;
	link) ln -s "$work/solutions/$ex/$main" "$dir/$main" ;;
	names)
		# The solution with one warning, and files whose names a compiler
		# would read as an option, or that break a careless shell.
		cp "$WORKBOOK_DIR/solutions/$ex/"*.c "$dir/"
		echo 'static int unused_counter;' >>"$dir/$main"
		local i=0 odd
		for odd in '-w.c' '-o.c' 'with space.c' $'new\nline.c' $'\xff-not-utf8.c' $'\e[31mred.c'; do
			i=$((i + 1))
			printf 'int odd_file_%d;\n' "$i" >"$dir/$odd"
		done ;;
	esac
}

# fingerprint: every file and folder under BASE but the results, the
# caches and what the test itself writes.
fingerprint() {
	(cd "$BASE" && find . \( -path './work book/.build' -o -path ./out -o -path ./cache -o -path ./learner.txt \) \
		-prune -o -print0 | LC_ALL=C sort -z | xargs -0 stat -c '%n %a %u:%g %s' &&
		find . \( -path './work book/.build' -o -path ./out -o -path ./cache -o -path ./learner.txt \) -prune -o \
			-type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}

# no_canary_in PATH...: no file there holds the canary.
no_canary_in() {
	local found
	found=$(grep -rlaF "$CANARY" "$@" 2>/dev/null || true)
	[ -z "$found" ] || { echo "the canary reached: $found"; return 1; }
}

# The outputs of every result in a cache: what programs printed, what
# compilers said. (Their sources are the students' own.)
result_outputs() {
	find "$1" -type f \( -name stdout -o -name stderr -o -name build.log -o -name memcheck.log \
		-o -name details -o -name summary \) 2>/dev/null
}

# ----------------------------------------------------------- learner mode

# section NAME: the lines of the report about exercise attack-NAME.
section() {
	awk -v name="/attack-$1" '
		/^(ok  |FAIL) / { keep = index($0, name) > 0; if (keep) print; next }
		/^[0-9]+ passed/ { keep = 0 }
		keep' "$BASE/learner.txt"
}

# learner_attacks CC: every attack in place of an exercise of its own, all
# graded by one make check.
learner_attacks() {
	local cc=$1 name code how most exact ex dir before
	make_base
	while IFS=$'\t' read -r name code how most exact; do
		ex=$(exercise_of "$code")
		dir="$BASE/work book/exercises/${ex%/*}/attack-$name"
		cp -R "$WORKBOOK_DIR/exercises/$ex" "$dir"
		rm -f "$dir"/*.c
		put_attack "$dir" "$name" "$ex" "$how"
	done < <(attack_rows)
	before=$(fingerprint)
	SECONDS=0
	run --separate-stderr env RUN_TIMEOUT=5 make -s -C "$BASE/work book" check CC="$cc"
	printf '%s\n' "$output" >"$BASE/learner.txt"
	echo "$output"
	echo "(graded in $SECONDS s)"
	[ "$status" -ne 0 ]
	[ "$SECONDS" -lt 300 ]
	[[ "$output" != *"in test file"* ]]
	# No raw escape code from a program: the report has no colour here.
	if LC_ALL=C grep -q $'\e' "$BASE/learner.txt"; then echo "a raw escape code reached make check's report"; return 1; fi
	while IFS=$'\t' read -r name code how most exact; do
		ex=$(exercise_of "$code")
		[[ "$(section "$name")" == "FAIL exercises/${ex%/*}/attack-$name"* ]] ||
			{ echo "attack $name did not fail"; return 1; }
	done < <(attack_rows)
	# The forged report is refused by construction: the bug's own verdict.
	[[ "$(section forge-report)" == *"- Definite leak: "*"order_totals.c:"* ]]
	[[ "$(section count-zero)" == *"When an allocation fails, it must stop cleanly"* ]]
	[[ "$(section real-malloc)" == *"It calls __real_malloc (the C library's own malloc)"* ]]
	[[ "$(section fork-forger)" == *"tried to start another process or program"* ]]
	[[ "$(section exec-clean)" == *"tried to start another process or program"* ]]
	[[ "$(section escape-codes)" == *'\e[32m'* ]]
	[[ "$(section include-secrets)" == *"no solution within reach"* ]]
	[[ "$(section symlink)" == *"no .c files to compile"* ]]
	[[ "$(section fill-disk)" == *"the program filled the space it may write"* ]]
	[[ "$(section odd-names)" == *"It compiles with warnings"*"unused_counter"* ]]
	[[ "$(section odd-names)" != *"printed the wrong output"* ]]
	no_canary_in "$BASE/learner.txt"
	local outputs=()
	mapfile -t outputs < <(result_outputs "$BASE/work book/.build/results")
	no_canary_in "${outputs[@]}"
	[ "$(fingerprint)" = "$before" ]
	[ "$(cat "$BASE/canary.txt")" = "$CANARY" ]
}

# ------------------------------------------------------------- class mode

# score STUDENT EXERCISE: the student's score for it in the gradebook.
score() {
	awk -F, -v s="$1" -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		$1 == s { print $c }' "$BASE/out/gradebook.csv"
}

# class_attacks CC: a class of one student per attack, the baselines and
# an honest student.
class_attacks() {
	local cc=$1 name code how most exact ex sub got want before
	make_base
	sub=$BASE/submissions
	mkdir -p "$sub"
	# The baselines: the shipped exercises, the solution with a warning,
	# and an honest student (whose own work holds a canary too).
	for ex in "$OT" "$GL"; do
		put_attack "$sub/buggy/$ex" - "$ex" buggy
		mkdir -p "$sub/honest/$ex"
		cp "$WORKBOOK_DIR/solutions/$ex/"*.c "$sub/honest/$ex/"
		printf '/* %s */\n' "$CANARY" >>"$sub/honest/$ex/$(first_c_file "$sub/honest/$ex")"
	done
	mkdir -p "$sub/warnings/$OT"
	cp "$WORKBOOK_DIR/solutions/$OT/"*.c "$sub/warnings/$OT/"
	echo 'static int unused_counter;' >>"$sub/warnings/$OT/$(first_c_file "$sub/warnings/$OT")"
	while IFS=$'\t' read -r name code how most exact; do
		put_attack "$sub/$name/$(exercise_of "$code")" "$name" "$(exercise_of "$code")" "$how"
	done < <(attack_rows)
	# A student's folder name is theirs to choose, escape codes and all.
	mkdir -p "$sub/"$'\e[32mgreen'
	cp -R "$sub/buggy/." "$sub/"$'\e[32mgreen/'
	mkdir -p "$BASE/cache"
	echo "$CANARY" >"$BASE/cache/planted"
	find "$BASE" -type d -exec chmod 755 {} +
	before=$(fingerprint)
	SECONDS=0
	run env CC="$cc" GRADER_CACHE="$BASE/cache" RUN_TIMEOUT=5 "$BASE/work book/grader/grade" class "$sub" \
		--exercises "$OT,$GL" --out "$BASE/out" --jobs 2 3>&-
	echo "$output"
	echo "(graded in $SECONDS s)"
	[ "$status" -eq 0 ]
	[ "$SECONDS" -lt 600 ]
	cat "$BASE/out/gradebook.csv"
	[ "$(score honest "$OT")" = 10 ] && [ "$(score honest "$GL")" = 10 ]
	while IFS=$'\t' read -r name code how most exact; do
		ex=$(exercise_of "$code")
		got=$(score "$name" "$ex")
		case $most in
		buggy) want=$(score buggy "$ex") ;;
		warnings) want=$(score warnings "$ex") ;;
		*) want=$most ;;
		esac
		if [ -n "$exact" ]; then
			[ "$got" = "$want" ] || { echo "$name scored $got on $ex, not exactly $want"; return 1; }
		else
			awk -v g="$got" -v w="$want" 'BEGIN { exit !(g <= w) }' ||
				{ echo "$name scored $got on $ex, more than $want"; return 1; }
		fi
	done < <(attack_rows)
	[ "$(score warnings "$OT")" = 8 ]
	# Nothing a program printed or named reaches the records raw.
	if LC_ALL=C grep -rq $'\e' "$BASE/out"; then echo "a raw escape code reached the records"; return 1; fi
	grep -q '^\\e\[32mgreen,' "$BASE/out/gradebook.csv"
	xmllint --noout "$BASE/out/junit.xml"
	for f in "$BASE/out"/*.json; do jq -e '.isolation == "full" or (.isolation | startswith("partial"))' "$f" >/dev/null; done
	no_canary_in "$BASE/out"
	local outputs=()
	mapfile -t outputs < <(result_outputs "$BASE/cache")
	no_canary_in "${outputs[@]}"
	[ "$(fingerprint)" = "$before" ]
}

register_tests() {
	local cc
	for cc in ${COMPILERS:-${CC:-cc}}; do
		bats_test_function --description "attacks, learner mode [$cc]: make check fails each one with its own verdict, and nothing leaks or changes" \
			-- learner_attacks "$cc"
		bats_test_function --description "attacks, class mode [$cc]: none scores more than the same work without it, the honest student full marks" \
			-- class_attacks "$cc"
	done
}

register_tests
