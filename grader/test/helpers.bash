# shellcheck shell=bash
# Shared by the grader's own tests. bats sets $output, $status and $stderr.
# shellcheck disable=SC2154,SC2034

load ../lib/grading/exercise

# build_fixture NAME [FLAG...]: compiles fixtures/NAME.c with the grader's
# flags (and FLAGs) into the file's temporary folder and prints the
# binary's path.
build_fixture() {
	local out=$BATS_FILE_TMPDIR/${1//\//-}
	if [ ! -x "$out" ]; then
		"${CC:-cc}" "${CFLAGS_FIXED[@]}" "${@:2}" -o "$out" "$BATS_TEST_DIRNAME/fixtures/$1.c"
	fi
	printf '%s\n' "$out"
}

# expect_summary: compares $output with the summary on stdin, whose keys
# override those of a clean run (exit 0, no signal, all counts 0).
expect_summary() {
	local want
	want=$(spec_status=0; { clean_summary; cat; } |
		awk 'NF { if (!($1 in v)) order[++n] = $1; v[$1] = $2 } END { for (i = 1; i <= n; i++) print order[i], v[order[i]] }')
	if [ "$output" != "$want" ]; then
		echo "summary differs (- expected, + measured):"
		diff -u <(printf '%s\n' "$want") <(printf '%s\n' "$output") | tail -n +3
		return 1
	fi
}

# The first exercise of the workbook, whichever it is, as chapter/exercise.
first_exercise() {
	local spec
	for spec in "$WORKBOOK_DIR"/exercises/*/*/exercise.spec; do
		dirname "${spec#"$WORKBOOK_DIR"/exercises/}"
		return
	done
}

# path_without TOOL...: a PATH holding every command of this machine but
# those named (and their variants: valgrind.bin for valgrind).
path_without() {
	local bin=$BATS_TEST_TMPDIR/bin tool skip
	mkdir -p "$bin"
	for tool in /usr/bin/* /bin/*; do
		for skip in "$@"; do
			case ${tool##*/} in "$skip" | "$skip".*) continue 2 ;; esac
		done
		[ -e "$bin/${tool##*/}" ] || ln -s "$tool" "$bin/${tool##*/}"
	done
	printf '%s\n' "$bin"
}
