#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats sets $output, $status and $lines
# For instructors: the student bundle (no solutions in it, and `make check`
# still works there), the hidden cases (each passes on its solution), class
# grading of a made-up class of 34 students, honest, careless and hostile
# (every cell of the gradebook checked against the score its kind of
# submission deserves, at 1 and 2 jobs and through parallel's ssh login
# file), and the GitHub Classroom workflow.

bats_require_minimum_version 1.11.0
load helpers

# The exercises of the made-up class: quick ones, with hidden cases.
OT=01-scope-bound-cleanup/order-totals
CL=01-scope-bound-cleanup/catalog-loader
BN=02-ownership-and-double-free/borrowed-name
TESTS_PER_EXERCISE=5 # compiles, output, clean, and two hidden cases each

# The class: student, then the kind of submission for OT, CL and BN, then
# the layout (bundle: <student>/exercises/<chapter>/<exercise>; flat:
# <student>/<chapter>/<exercise>).
CLASS='
ann marie    correct    correct    correct    flat
broken-all   broken     broken     broken     bundle
broken-ot    broken     correct    correct    flat
buggy-1      buggy      buggy      buggy      bundle
buggy-2      buggy      buggy      buggy      bundle
buggy-3      buggy      buggy      buggy      flat
correct-1    correct    correct    correct    bundle
correct-2    correct    correct    correct    bundle
correct-3    correct    correct    correct    flat
correct-4    correct    correct    correct    flat
correct-5    correct    correct    correct    bundle
correct-6    correct    correct    correct    flat
crasher-bn   correct    correct    crasher    bundle
deleter-ot   deleter    correct    correct    bundle
faker-cl     correct    faker      correct    flat
faker-ot     faker      correct    correct    bundle
faketap-cl   correct    faketap    correct    bundle
forger-bn    correct    correct    forger     flat
missing-all  missing    missing    missing    flat
missing-one  correct    missing    correct    bundle
missing-two  missing    missing    correct    flat
mixed-1      correct    buggy      missing    bundle
mixed-2      buggy      correct    leaky      flat
muffler-ot   muffler    correct    correct    flat
partial-1    partial    buggy      leaky      bundle
partial-2    partial    correct    correct    flat
spinner-bn   correct    correct    spinner    bundle
stray-ot     stray      correct    correct    flat
symlink-cl   correct    symlinkdir  correct   flat
symlink-ot   symlink    correct    correct    bundle
tamper-ot    tamper     correct    correct    bundle
warnings-1   correct    warnings   correct    flat
warnings-2   warnings   warnings   warnings   bundle
zoe          correct    correct    correct    bundle
'

# The tests (of 5) each kind passes, and why.
passes_of() {
	case $1 in
	correct | stray) echo 5 ;;   # stray files beside the sources are ignored
	partial) echo 3 ;;           # clean on the spec's input, leaks on the visible case
	                             # every-reason and on the hidden every-skip
	warnings) echo 4 ;;          # all but "compiles without warnings"
	buggy | tamper) echo 3 ;;    # buggy: compiles, output, one hidden case the bug misses;
	                             # tamper: its own spec and Makefile are ignored: graded as buggy
	leaky) echo 2 ;;             # the double free made a leak, even of a blank line's tidy copy
	*) echo 0 ;;                 # broken, missing, symlinks, and every hostile program (the
	                             # faker's output is right for the visible inputs only, so
	                             # nothing it did counts, and it fails both hidden inputs)
	                             # (muffler: its Valgrind client requests refuse the build)
	esac
}

status_of() {
	case $1 in
	missing | symlink | symlinkdir) echo missing ;;
	*) case $(passes_of "$1") in 5) echo pass ;; 0) echo fail ;; *) echo partial ;; esac ;;
	esac
}

# class_rows: the class, one student per line, fields separated by tabs.
# Without the sandbox's filesystem isolation (bubblewrap missing, or no
# namespaces in this container) nothing can stop a submission that deletes
# files: that student is left out, and the test says so.
class_rows() {
	printf '%s\n' "$CLASS" | sed -E '/^$/d; s/ {2,}/\t/g' |
		if sandbox_isolates; then cat; else grep -v '^deleter-'; fi
}

sandbox_isolates() {
	command -v bwrap >/dev/null 2>&1 &&
		bwrap --ro-bind / / --dev /dev --proc /proc --unshare-net --unshare-pid -- true >/dev/null 2>&1
}

# main_source EXERCISE: the exercise's C file (each has one).
main_source() {
	local f
	for f in "$WORKBOOK_DIR/solutions/$1"/*.c; do basename "$f"; return; done
}

# A program that knows the answers: for each visible input (the spec's
# and its cases'), it prints the expected output when it reads that input,
# and the spec's otherwise, and exits as a correct run does.
faker_source() {
	local dir=$WORKBOOK_DIR/exercises/$1 name
	spec_load "$dir" >/dev/null
	printf '%s\n' '#include <stdio.h>' '#include <string.h>' 'static char input[1 << 16];' \
		'int main(void) {' '	input[fread(input, 1, sizeof input - 1, stdin)] = 0;'
	for name in $spec_cases; do
		case_load "$dir/cases/$name.case"
		printf '\tif (strcmp(input, "%s") == 0) {\n' "$(c_string "$case_stdin")"
		printf '\t\tfputs("%s", stdout);\n\t\treturn %s;\n\t}\n' "$(c_string "$case_stdout")" "$case_status"
	done
	printf '\tfputs("%s", stdout);\n\treturn %s;\n}\n' "$(c_string "$spec_stdout")" "$spec_status"
}

# c_string TEXT: TEXT as the inside of a C string literal.
c_string() {
	printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | awk '{ printf "%s\\n", $0 }'
}

# put STUDENT_DIR EXERCISE KIND LAYOUT: one submitted exercise.
put() {
	local student=$1 ex=$2 kind=$3 layout=$4 dir src main
	case $layout in bundle) dir=$student/exercises/$ex ;; *) dir=$student/$ex ;; esac
	src=$WORKBOOK_DIR/solutions/$ex
	main=$(main_source "$ex")
	[ "$kind" = missing ] && { mkdir -p "$student"; return; }
	mkdir -p "$(dirname "$dir")"
	case $kind in
	symlinkdir) ln -s "$WORK/solutions/$ex" "$dir"; return ;;
	buggy | partial | leaky | broken | tamper | muffler) cp -R "$WORKBOOK_DIR/exercises/$ex" "$dir" ;;
	*) mkdir -p "$dir" ;;
	esac
	case $kind in
	correct | warnings | stray) cp "$src"/*.c "$dir/" ;;
	buggy) ;;
	partial) # frees the copy on the two paths the spec's input takes, not on the others
		sed -i -e '/if (!qty)/{n;s/return \(.*\);/{ free(copy); return \1; }/}' \
			-e '/parse_positive(qty/{n;s/return \(.*\);/{ free(copy); return \1; }/}' "$dir/$main" ;;
	leaky) sed -i '/^\t*free(name);$/d' "$dir/$main" ;;
	broken) echo 'int broken(void) { return undeclared_variable; }' >>"$dir/$main" ;;
	muffler) # the bug kept, and Valgrind asked to keep quiet about it
		sed -i -e '1i #undef NVALGRIND\n#include <valgrind/memcheck.h>' \
			-e '/^int main(/{n;s/$/\n\tVALGRIND_DISABLE_ERROR_REPORTING;/}' "$dir/$main" ;;
	tamper) # a spec that expects nothing, and a Makefile that always passes
		printf 'title: mine\nbug: none\nlesson: none\nstdout <<END\nEND\nmemcheck <<END\nEND\nhint <<END\nnone\nEND\n' >"$dir/exercise.spec"
		printf 'check:\n\t@echo ok\n' >"$dir/Makefile" ;;
	symlink) ln -s "$WORK/solutions/$ex/$main" "$dir/$main" ;;
	faker) faker_source "$ex" >"$dir/$main" ;;
	faketap) cp "$FIXTURES/fake-tap.c" "$dir/$main" ;;
	spinner) cp "$FIXTURES/spin.c" "$dir/$main" ;;
	crasher) cp "$FIXTURES/crash.c" "$dir/$main" ;;
	deleter)
		sed "s|@COMMAND@|rm -rf '$SUB' '$WORK/exercises' '$WORK/grader/instructor' '$WORK/solutions'|" \
			"$FIXTURES/delete-others.c" >"$dir/$main" ;;
	forger) sed 's|@VICTIM@|correct-1|' "$FIXTURES/forge-record.c" >"$dir/$main" ;;
	*) echo "unknown kind $kind" >&2; return 1 ;;
	esac
	case $kind in
	warnings) echo 'static int unused_counter;' >>"$dir/$main" ;;
	stray) # notes, a binary, and a .c too big to be taken
		echo notes >"$dir/NOTES.txt"
		head -c 4096 /dev/urandom >"$dir/a.out"
		head -c 2000000 /dev/zero | tr '\0' 'x' >"$dir/huge.c" ;;
	esac
}

# make_class: a copy of the workbook (path with a space) in WORK, and the
# class in SUB, both in the test's own folder: the hostile programs aim at
# them, never at the real workbook.
make_class() {
	local student ot cl bn layout
	WORK="$BATS_TEST_TMPDIR/work book"
	SUB="$BATS_TEST_TMPDIR/sub missions"
	FIXTURES=$BATS_TEST_DIRNAME/fixtures/class
	mkdir -p "$WORK" "$SUB"
	sandbox_isolates || echo "# no filesystem isolation here (bubblewrap): the deleting submission is left out" >&3
	cp -R "$WORKBOOK_DIR/Makefile" "$WORKBOOK_DIR/exercises" "$WORKBOOK_DIR/solutions" "$WORK/"
	mkdir -p "$WORK/grader"
	(cd "$WORKBOOK_DIR/grader" && cp -R grade memcheck exercise.mk check.bats lib instructor "$WORK/grader/")
	while IFS=$'\t' read -r student ot cl bn layout; do
		put "$SUB/$student" "$OT" "$ot" "$layout"
		put "$SUB/$student" "$CL" "$cl" "$layout"
		put "$SUB/$student" "$BN" "$bn" "$layout"
	done < <(class_rows)
}

# fingerprint DIR: every file under DIR but the grader's own build results
# (.build: its tools and caches).
fingerprint() {
	(cd "$1" && find . -path ./.build -prune -o -print0 | LC_ALL=C sort -z | xargs -0 sha256sum 2>/dev/null) | sha256sum
}

# unisolated_flag: what class grading needs to be told on a machine that
# cannot isolate programs fully (the tests grade anyway, and say so).
unisolated_flag() {
	[ "$("$GRADER_DIR/memcheck" --isolation)" = full ] || echo --allow-unisolated
}

# grade_class JOBS CACHE [OPTIONS...]: grades the class into OUT, timed.
# Without full isolation here, class grading needs to be told to go on.
grade_class() {
	local jobs=$1 cache=$2
	shift 2
	OUT=$BATS_TEST_TMPDIR/out
	ISOLATION=$("$GRADER_DIR/memcheck" --isolation)
	[ "$ISOLATION" = full ] || set -- "$@" --allow-unisolated
	SECONDS=0
	run env GRADER_CACHE="$cache" RUN_TIMEOUT=3 "$WORK/grader/grade" class "$SUB" \
		--jobs "$jobs" --out "$OUT" --exercises "$OT,$CL,$BN" "$@" 3>&-
	ELAPSED=$SECONDS
	echo "$output"
	[ "$status" -eq 0 ]
}

# points_for EXERCISE [POINTS_FILE]: as the points file says (by
# chapter/exercise or folder name), else 10.
points_for() {
	local p=''
	[ -z "${2:-}" ] || p=$(sed 's/#.*//' "$2" | awk -v ex="$1" '$1 == ex || $1 == substr(ex, index(ex, "/") + 1) { print $2 }')
	echo "${p:-10}"
}

# check_gradebook [POINTS_FILE]: every cell against the kind's score.
check_gradebook() {
	local points_file=${1:-} student ot cl bn layout want got kind ex i total bad=0
	[ "$(head -n 1 "$OUT/gradebook.csv")" = "student,$OT,$CL,$BN,total,isolation" ]
	[ "$(head -n 1 "$OUT/status.csv")" = "student,$OT,$CL,$BN,isolation" ]
	# Every row says which isolation its runs had: this machine's.
	[ "$(tail -n +2 "$OUT/gradebook.csv" | awk -F, '{ print $NF }' | sort -u)" = "$ISOLATION" ]
	[ "$(tail -n +2 "$OUT/status.csv" | awk -F, '{ print $NF }' | sort -u)" = "$ISOLATION" ]
	[ "$(($(wc -l <"$OUT/gradebook.csv") - 1))" -eq "$(class_rows | wc -l)" ]
	while IFS=$'\t' read -r student ot cl bn layout; do
		total=0 i=2
		for kind in "$ot" "$cl" "$bn"; do
			case $i in 2) ex=$OT ;; 3) ex=$CL ;; 4) ex=$BN ;; esac
			want=$(awk -v p="$(points_for "$ex" "$points_file")" -v n="$(passes_of "$kind")" \
				-v t="$TESTS_PER_EXERCISE" 'BEGIN { print p * n / t }')
			total=$(awk -v a="$total" -v b="$want" 'BEGIN { print a + b }')
			got=$(awk -F, -v s="$student" -v c="$i" '$1 == s { print $c }' "$OUT/gradebook.csv")
			if ! awk -v a="$want" -v b="$got" 'BEGIN { exit !(a - b < 0.006 && b - a < 0.006) }'; then
				echo "$student, $ex ($kind): scored '$got', expected $want"
				bad=1
			fi
			got=$(awk -F, -v s="$student" -v c="$i" '$1 == s { print $c }' "$OUT/status.csv")
			if [ "$got" != "$(status_of "$kind")" ]; then
				echo "$student, $ex ($kind): status '$got', expected $(status_of "$kind")"
				bad=1
			fi
			i=$((i + 1))
		done
		got=$(awk -F, -v s="$student" '$1 == s { print $5 }' "$OUT/gradebook.csv")
		awk -v a="$total" -v b="$got" 'BEGIN { exit !(a - b < 0.006 && b - a < 0.006) }' ||
			{ echo "$student: total '$got', expected $total"; bad=1; }
	done < <(class_rows)
	return "$bad"
}

# check_junit: well-formed, a testsuite per student, a testcase per test,
# and as many failures and errors as the kinds of submission imply.
check_junit() {
	local students passed=0 student ot cl bn layout kind
	xmllint --noout "$OUT/junit.xml"
	students=$(class_rows | wc -l)
	while IFS=$'\t' read -r student ot cl bn layout; do
		for kind in "$ot" "$cl" "$bn"; do passed=$((passed + $(passes_of "$kind"))); done
	done < <(class_rows)
	[ "$(xmllint --xpath 'count(//testsuite)' "$OUT/junit.xml")" -eq "$students" ]
	[ "$(xmllint --xpath 'count(//testcase)' "$OUT/junit.xml")" -eq $((students * 3 * TESTS_PER_EXERCISE)) ]
	[ "$(xmllint --xpath 'count(//testcase[not(failure) and not(error)])' "$OUT/junit.xml")" -eq "$passed" ]
	[ "$(xmllint --xpath 'count(//testsuite[@name="spinner-bn"]//error)' "$OUT/junit.xml")" -ge 1 ]
	[ "$(xmllint --xpath 'string(//testsuites/@tests)' "$OUT/junit.xml")" -eq $((students * 3 * TESTS_PER_EXERCISE)) ]
}

# check_results_json: each student's results.json has Exercism's v3 shape.
check_results_json() {
	local student ot cl bn layout want
	while IFS=$'\t' read -r student ot cl bn layout; do
		[ -f "$OUT/$student.json" ] || { echo "no $student.json"; return 1; }
		jq -e --argjson n $((3 * TESTS_PER_EXERCISE)) --arg isolation "$ISOLATION" '
			(keys == ["isolation", "message", "status", "tests", "version"]) and .version == 3
			and .isolation == $isolation
			and (.status | IN("pass", "fail", "error"))
			and ((.message | type == "string") == (.status == "error"))
			and (.tests | length == $n)
			and all(.tests[]; keys == ["message", "name", "output", "status"]
				and (.status | IN("pass", "fail", "error")) and (.name | type == "string")
				and (.message | type == "string" or . == null)
				and (.output | type == "string" or . == null))' "$OUT/$student.json" >/dev/null ||
			{ echo "$student.json does not have the v3 shape"; return 1; }
		want=fail
		[ "$(passes_of "$ot")$(passes_of "$cl")$(passes_of "$bn")" != 555 ] || want=pass
		[ "$(jq -r .status "$OUT/$student.json")" = "$want" ] ||
			{ echo "$student.json: status $(jq -r .status "$OUT/$student.json"), expected $want"; return 1; }
	done < <(class_rows)
}

# record_time JOBS SECONDS NOTE: for the lead's report.
record_time() {
	local file=${CLASS_TIMES_FILE:-$WORKBOOK_DIR/.build/class-times.tsv}
	mkdir -p "$(dirname "$file")"
	printf '%s\t%s jobs\t%s s\t%s students\t%s\n' "$(date -u +%FT%TZ)" "$1" "$2" "$(class_rows | wc -l)" "$3" >>"$file"
	echo "# class grading, $1 jobs, $3: $2 s" >&3
}

# The whole check of one run, and that nobody's files were touched.
check_run() {
	check_gradebook "$@"
	check_junit
	check_results_json
}

# ---------------------------------------------------------------- bundle

@test "bundle: no solutions, no hidden cases, no instructor tests, folder and tarball" {
	local out="$BATS_TEST_TMPDIR/bundle out" dir sum sums f
	run "$GRADER_DIR/grade" bundle "$out"
	echo "$output"
	[ "$status" -eq 0 ]
	dir=$out/memory-workbook
	[ -f "$out/memory-workbook.tar.gz" ]
	[ -f "$dir/Makefile" ] && [ -x "$dir/grader/grade" ] && [ -x "$dir/grader/memcheck" ]
	[ -f "$dir/exercises/$OT/exercise.spec" ]
	[ -z "$(cd "$dir" && find . -path '*solutions*')" ]
	[ ! -e "$dir/grader/instructor" ] && [ ! -e "$dir/grader/test" ] && [ ! -e "$dir/grader/classroom" ]
	[ ! -e "$dir/.build" ] && [ ! -e "$dir/grader/node_modules" ]
	# A git repository of one clean commit, the shipped state `make reset` restores.
	[ "$(git -C "$dir" rev-list --count HEAD)" -eq 1 ]
	[ -z "$(git -C "$dir" status --porcelain)" ]
	[ "$(git -C "$dir" log --all --name-only --format= | grep -cE 'solutions|grader/instructor')" -eq 0 ]
	# No file of the bundle is a solution's C that differs from its exercise.
	sums=$(cd "$dir" && find . -type f -print0 | xargs -0 sha256sum | cut -d' ' -f1 | sort -u)
	for f in "$WORKBOOK_DIR"/solutions/*/*/*.[ch]; do
		cmp -s "$f" "$WORKBOOK_DIR/exercises/${f#"$WORKBOOK_DIR"/solutions/}" && continue
		sum=$(sha256sum "$f" | cut -d' ' -f1)
		if grep -qx "$sum" <<<"$sums"; then echo "solution content in the bundle: $f"; return 1; fi
	done
	# The tarball holds the same files.
	[ "$(tar -tzf "$out/memory-workbook.tar.gz" | grep -vc '/$')" -eq "$(cd "$out" && find memory-workbook ! -type d | wc -l)" ]
	[ "$(tar -tzf "$out/memory-workbook.tar.gz" | grep -c solutions)" -eq 0 ]
}

@test "bundle: make check, hint and test work there, and the learner's tools are in it" {
	local out="$BATS_TEST_TMPDIR/bundle out" dir name tool
	"$GRADER_DIR/grade" bundle "$out" >/dev/null
	dir=$out/memory-workbook
	# As if the student had installed bats (npm would fetch it).
	ln -s "$GRADER_DIR/node_modules" "$dir/grader/node_modules"
	name=$(cd "$WORKBOOK_DIR/exercises" && for s in */*/exercise.spec; do dirname "$s"; break; done)
	run make -s -C "$dir" check EX="$name"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"FAIL exercises/$name"* ]]
	[[ "$output" == *"0 passed, 1 failed"* ]]
	[[ "$output" != *"in test file"* && "$output" != *"grade: "* ]]
	run make -s -C "$dir" hint EX="$name"
	[ "$status" -eq 0 ]
	[[ "$output" == "exercises/$name: "* ]]
	run make -s -C "$dir" test
	[ "$status" -eq 0 ]
	[[ "$output" == *"which are for instructors"* ]]
	for tool in progress watch reset; do
		[ ! -e "$GRADER_DIR/lib/learner/$tool" ] || [ -x "$dir/grader/lib/learner/$tool" ]
	done
	if [ -e "$GRADER_DIR/lib/learner/progress" ]; then
		run make -s -C "$dir"
		echo "$output"
		[ "$status" -eq 0 ]
	fi
}

# ---------------------------------------------------------- hidden cases

@test "hidden cases: each one reads, and passes on its exercise's solution" {
	local count
	count=$(find "$GRADER_DIR/instructor" -name '*.case' | wc -l)
	[ "$count" -ge 3 ]
	run "$GRADER_DIR/lib/teaching/class" --check-cases
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^ok ' <<<"$output")" -eq "$count" ]
}

@test "hidden cases: --case-output prints what the solution prints for a case" {
	local case=$GRADER_DIR/instructor/$OT/every-skip.case
	run --separate-stderr "$GRADER_DIR/grade" class --case-output "$case"
	[ "$status" -eq 0 ]
	[ "$output" = "$(sed -n '/^stdout <<END$/,/^END$/p' "$case" | sed '1d;$d')" ]
	[ "$stderr" = "exit status 0" ]
}

@test "hidden cases: a case the grader cannot read stops class grading before it starts" {
	local cases=$BATS_TEST_TMPDIR/instructor
	mkdir -p "$cases/$OT" "$BATS_TEST_TMPDIR/class/somebody"
	printf 'memcheck <<END\nerrors 0\nEND\n' >"$cases/$OT/bad.case"
	INSTRUCTOR_DIR=$cases run "$GRADER_DIR/lib/teaching/class" "$BATS_TEST_TMPDIR/class" --exercises "$OT" \
		--out "$BATS_TEST_TMPDIR/out"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.case:1: a hidden case has only the blocks stdin and stdout"* ]]
	[[ "$output" == *"needs a stdout block"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/out/gradebook.csv" ]
}

# --------------------------------------------------------- class grading

@test "class grading, 1 job, cold cache: every cell as the submission deserves" {
	local before_sub before_work
	make_class
	before_sub=$(fingerprint "$SUB")
	before_work=$(fingerprint "$WORK")
	grade_class 1 "$BATS_FILE_TMPDIR/cache-j1"
	record_time 1 "$ELAPSED" "cold cache"
	check_run
	[ "$(fingerprint "$SUB")" = "$before_sub" ]
	[ "$(fingerprint "$WORK")" = "$before_work" ]
}

@test "class grading, 2 jobs, cold cache: the same gradebook, nobody's files touched" {
	local before_sub before_work
	make_class
	before_sub=$(fingerprint "$SUB")
	before_work=$(fingerprint "$WORK")
	grade_class 2 "$BATS_FILE_TMPDIR/cache-j2"
	record_time 2 "$ELAPSED" "cold cache"
	check_run
	[ "$(fingerprint "$SUB")" = "$before_sub" ]
	[ "$(fingerprint "$WORK")" = "$before_work" ]
}

@test "class grading through parallel's ssh login file (':' is this machine), with a points file" {
	local cache=$BATS_FILE_TMPDIR/cache-j2 warmth="warm cache"
	[ -d "$cache" ] || warmth="cold cache" # the 2-job test did not run before
	make_class
	printf ':\n' >"$BATS_TEST_TMPDIR/machines"
	# BN by its folder name alone; CL not listed: 10.
	printf '# points per exercise\n%s 20\n%s 5 # a short one\n' "$OT" "${BN#*/}" >"$BATS_TEST_TMPDIR/points"
	grade_class 2 "$cache" --sshloginfile "$BATS_TEST_TMPDIR/machines" --points "$BATS_TEST_TMPDIR/points"
	record_time 2 "$ELAPSED" "ssh login file ':', $warmth"
	check_run "$BATS_TEST_TMPDIR/points"
	[ "$(awk -F, '$1 == "zoe" { print $5 }' "$OUT/gradebook.csv")" = 35 ]
}

@test "class grading: a student whose grading hangs gets an error row, the others are graded" {
	local sub=$BATS_TEST_TMPDIR/sub out=$BATS_TEST_TMPDIR/out
	FIXTURES=$BATS_TEST_DIRNAME/fixtures/class
	mkdir -p "$sub/hangs/$BN" "$sub/honest/$BN"
	cp "$FIXTURES/spin.c" "$sub/hangs/$BN/badge.c"
	cp "$WORKBOOK_DIR/solutions/$BN/badge.c" "$sub/honest/$BN/"
	local flags=()
	ISOLATION=$("$GRADER_DIR/memcheck" --isolation)
	mapfile -t flags < <(unisolated_flag)
	run env GRADER_CACHE="$BATS_TEST_TMPDIR/cache" RUN_TIMEOUT=8 "$GRADER_DIR/lib/teaching/class" "$sub" \
		--exercises "$BN" --out "$out" --jobs 2 --student-timeout 5 ${flags[@]+"${flags[@]}"} 3>&-
	echo "$output"
	[ "$status" -eq 0 ]
	# The hung student's record never came back: its isolation is unknown.
	[ "$(cat "$out/gradebook.csv")" = "student,$BN,total,isolation
hangs,0,0,unknown
honest,10,10,$ISOLATION" ]
	[ "$(sed -n 2p "$out/status.csv")" = "hangs,error,unknown" ]
	[ "$(jq -r .status "$out/hangs.json")" = error ]
	[[ "$(jq -r .message "$out/hangs.json")" == "Grading did not finish"* ]]
	[[ "$(jq -r '.tests[0].message' "$out/hangs.json")" == "Grading did not finish"* ]]
	xmllint --noout "$out/junit.xml"
}

@test "class grading: what a student is told, in plain words, hidden inputs kept hidden" {
	local sub=$BATS_TEST_TMPDIR/sub out=$BATS_TEST_TMPDIR/out messages
	mkdir -p "$sub/faker/$OT" "$sub/broken/$OT" "$sub/chatty/$OT"
	faker_source "$OT" >"$sub/faker/$OT/order_totals.c"
	printf '#include <stdio.h>\nint main(void) { for (int i = 0; i < 1000; i++) fputs("\xc3\xa9", stdout); return 0; }\n' \
		>"$sub/chatty/$OT/order_totals.c"
	cp "$WORKBOOK_DIR/exercises/$OT/order_totals.c" "$sub/broken/$OT/"
	echo 'int broken(void) { return undeclared_variable; }' >>"$sub/broken/$OT/order_totals.c"
	local flags=()
	mapfile -t flags < <(unisolated_flag)
	run "$GRADER_DIR/lib/teaching/class" "$sub" --exercises "$OT" --out "$out" ${flags[@]+"${flags[@]}"}
	[ "$status" -eq 0 ]
	messages=$(jq -r '.tests[] | "\(.name): \(.status): \(.message)"' "$out/faker.json")
	echo "$messages"
	[[ "$messages" == *"hidden case every-skip: fail: It printed the wrong output for this hidden input (the input and the expected output are not shown)."* ]]
	[[ "$messages" == *"prints the expected output: fail: Its output is right for the visible inputs only"* ]]
	[[ "$messages" != *"sprocket"* ]]
	messages=$(jq -r '.tests[] | "\(.name): \(.status): \(.message)"' "$out/broken.json")
	echo "$messages"
	[[ "$messages" == *"compiles without warnings: fail: It does not compile. The compiler said:"*"undeclared_variable"* ]]
	[[ "$messages" == *"prints the expected output: error: Not run: it does not compile"* ]]
	# Exercism's limit: 500 characters of output (not bytes), the cut marked.
	[ "$(jq -r '.tests[1].output | length' "$out/chatty.json")" -eq 500 ]
	[[ "$(jq -r '.tests[1].output' "$out/chatty.json")" == "éé"*"(truncated)" ]]
	[ "$(jq -r .message "$out/chatty.json")" = null ]
}

@test "class grading: without full isolation it refuses, unless told to go on; then every record says so" {
	local sub=$BATS_TEST_TMPDIR/sub out=$BATS_TEST_TMPDIR/out bin student
	for student in honest '=SUM(A1)'; do
		mkdir -p "$sub/$student/$BN"
		cp "$WORKBOOK_DIR/solutions/$BN/badge.c" "$sub/$student/$BN/"
	done
	bin=$(path_without bwrap)
	run env PATH="$bin" GRADER_CACHE="$BATS_TEST_TMPDIR/cache" "$GRADER_DIR/lib/teaching/class" "$sub" \
		--exercises "$BN" --out "$out" 3>&-
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == "class: this machine cannot isolate the programs it grades (no bubblewrap: "* ]]
	[[ "$output" == *"or pass --allow-unisolated to grade anyway"* ]]
	[ ! -e "$out/gradebook.csv" ]
	run env PATH="$bin" GRADER_CACHE="$BATS_TEST_TMPDIR/cache" "$GRADER_DIR/lib/teaching/class" "$sub" \
		--exercises "$BN" --out "$out" --allow-unisolated 3>&-
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"grading without full isolation (no bubblewrap: "* ]]
	cat "$out/gradebook.csv"
	# A name a spreadsheet would take for a formula starts with a quote.
	[ "$(sed -n 2p "$out/gradebook.csv")" = "'=SUM(A1),10,10,partial: no bubblewrap: programs run without filesystem isolation" ]
	[[ "$(jq -r .isolation "$out/honest.json")" == "partial: no bubblewrap: "* ]]
	[ "$(xmllint --xpath 'string(//testsuite[@name="honest"]/properties/property[@name="isolation"]/@value)' "$out/junit.xml")" = \
		"$(jq -r .isolation "$out/honest.json")" ]
}

# ------------------------------------------------------- GitHub Classroom

@test "classroom: the workflow parses, one graded step per exercise, and is current" {
	local yml=$GRADER_DIR/classroom/classroom.yml
	run "$GRADER_DIR/classroom/generate"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$yml")" ] || { echo "classroom.yml is stale: run grader/classroom/generate >grader/classroom/classroom.yml"; return 1; }
	"$GRADER_DIR/classroom/generate" 01 2 >"$BATS_TEST_TMPDIR/two.yml"
	if python3 -c 'import yaml' 2>/dev/null; then
		python3 - "$yml" "$BATS_TEST_TMPDIR/two.yml" "$WORKBOOK_DIR" <<-'EOF'
		import glob, os, sys, yaml
		def check(path, chapters):
		    with open(path) as f:
		        doc = yaml.safe_load(f)
		    assert set(doc["on"]) == {"push", "repository_dispatch"}, doc["on"]
		    steps = doc["jobs"]["run-autograding-tests"]["steps"]
		    graders = [s for s in steps if s.get("uses") == "classroom-resources/autograding-command-grader@v1"]
		    want = sorted(os.path.relpath(os.path.dirname(p), sys.argv[3] + "/exercises")
		                  for p in glob.glob(sys.argv[3] + "/exercises/*/*/exercise.spec")
		                  if p.split("/")[-3][:2] in chapters or chapters == "all")
		    assert [s["with"]["test-name"] for s in graders] == want, "steps differ from the exercises"
		    for s in graders:
		        w = s["with"]
		        assert w["command"] == "make -s check EX=" + w["test-name"]
		        assert isinstance(w["max-score"], int) and w["max-score"] == 10
		        assert isinstance(w["timeout"], int) and 1 <= w["timeout"] <= 60
		    reporter = steps[-1]
		    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
		    ids = [s["id"] for s in graders]
		    assert reporter["with"]["runners"] == ",".join(ids)
		    assert reporter["env"] == {i.upper() + "_RESULTS": "${{steps.%s.outputs.result}}" % i for i in ids}
		check(sys.argv[1], "all")
		check(sys.argv[2], ["01", "02"])
		EOF
	else
		# Without PyYAML: the structure, line by line.
		[ "$(grep -c 'uses: classroom-resources/autograding-command-grader@v1' "$yml")" -eq \
			"$(find "$WORKBOOK_DIR/exercises" -name exercise.spec | wc -l)" ]
		grep -q 'uses: classroom-resources/autograding-grading-reporter@v1' "$yml"
		if grep -q $'\t' "$yml"; then echo "a tab in classroom.yml"; return 1; fi
	fi
}

@test "classroom: points come from a points file, and must be whole" {
	printf '%s 25\n' "$OT" >"$BATS_TEST_TMPDIR/points"
	run "$GRADER_DIR/classroom/generate" --points "$BATS_TEST_TMPDIR/points" 01
	[ "$status" -eq 0 ]
	[[ "$output" == *"EX=$OT"*"max-score: 25"* ]]
	printf '%s 2.5\n' "$OT" >"$BATS_TEST_TMPDIR/points"
	run "$GRADER_DIR/classroom/generate" --points "$BATS_TEST_TMPDIR/points" 01
	[ "$status" -eq 2 ]
	[[ "$output" == *"whole points"* ]]
}
