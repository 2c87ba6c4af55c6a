# shellcheck shell=bash
# Helpers shared by the learner's commands: grader/grade and, around
# `make check`, grader/lib/learner/progress, grader/lib/learner/watch and grader/lib/learner/reset.
# Sourced after exercise.bash (it needs WORKBOOK_DIR and GRADER_DIR).

# The workbook's path with symbolic links resolved, to compare with the
# folders resolve_exercise prints (they come from `pwd -P`).
WORKBOOK_REAL=$(cd "$WORKBOOK_DIR" && pwd -P)

# die MESSAGE: one line on standard error, named after the command, exit 2.
die() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
	exit 2
}

# require_tools CC...: one line naming what to install, rather than every
# exercise marked as failing because Valgrind or the compiler is missing.
# Without Valgrind (and no GRADER_DETECTOR), grading falls back to
# AddressSanitizer, with one line that says so.
require_tools() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 ||
			die "the C compiler '$tool' is not installed: install it (Debian/Ubuntu: sudo apt-get install $tool), or pick another with CC=..."
	done
	if [ "$(detector)" = asan ]; then
		if [ "${GRADER_DETECTOR:-auto}" != asan ] && [ -z "${GRADER_NOTICE_SHOWN:-}" ]; then
			echo "Valgrind is not installed here, so AddressSanitizer grades instead (see README, \"Without Valgrind\"). Install valgrind for the full checks." >&2
			export GRADER_NOTICE_SHOWN=1
		fi
		for tool in "$@"; do
			sanitizer_works "$tool" ||
				die "'$tool' cannot build with AddressSanitizer here: install its runtime (Debian/Ubuntu: sudo apt-get install libasan8 libubsan1 for gcc, libclang-rt-14-dev for clang), or install valgrind"
		done
		return 0
	fi
	for tool in valgrind xsltproc; do
		command -v "$tool" >/dev/null 2>&1 ||
			die "$tool is not installed: install it (Debian/Ubuntu: sudo apt-get install $tool)"
	done
}

# grading_tools CC: the compiler and the detector that grade, as the last
# line of make check names them ("cc 12.2.0, Valgrind 3.19.0").
grading_tools() {
	local version tool
	version=$("$1" -dumpfullversion 2>/dev/null) || version=$("$1" -dumpversion 2>/dev/null) || version=''
	if [ "$(detector)" = asan ]; then
		tool=AddressSanitizer
	else
		tool="Valgrind $(valgrind --version 2>/dev/null | sed 's/^valgrind-//')"
	fi
	printf '%s%s, %s\n' "$1" "${version:+ $version}" "$tool"
}

# sanitizer_works CC: CC can build and run a program with the sanitizers
# (asked once per compiler version; the answer is kept in the cache).
sanitizer_works() {
	local cc=$1 mark tmp ok=1
	mark=$(tools_root)/sanitizer-probe.$(printf '%s\n' "$cc" "$(compiler_identity "$cc")" | sha256sum | cut -c1-16)
	[ ! -f "$mark" ] || return 0
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/sanitizer-probe.XXXXXX")
	printf 'int main(void) { return 0; }\n' >"$tmp/probe.c"
	"$cc" "${SANITIZER_FLAGS[@]}" -o "$tmp/probe" "$tmp/probe.c" >/dev/null 2>&1 && "$tmp/probe" >/dev/null 2>&1 || ok=0
	rm -rf "$tmp"
	[ "$ok" = 1 ] || return 1
	mkdir -p "$(dirname "$mark")" && : >"$mark"
}

# resolve_exercise NAME: prints the exercise's folder (symbolic links
# resolved). NAME is chapter/exercise, the exercise's folder name alone, or
# a path to an exercise folder, as for `make check EX=...`.
resolve_exercise() {
	local name=$1 dir matches=()
	name=${name%/}
	[ -n "$name" ] || die "which exercise? Name one, e.g. EX=order-totals (see 'make list')"
	if [ -f "$name/exercise.spec" ]; then
		(cd "$name" && pwd -P)
		return
	fi
	for dir in "$WORKBOOK_DIR/exercises/$name" "$WORKBOOK_DIR/$name"; do
		if [ -f "$dir/exercise.spec" ]; then
			(cd "$dir" && pwd -P)
			return
		fi
	done
	for dir in "$WORKBOOK_DIR"/exercises/*/"$name"; do
		[ -f "$dir/exercise.spec" ] && matches+=("$dir")
	done
	[ ${#matches[@]} -eq 1 ] || die "no exercise named '$1' (see 'make list')"
	(cd "${matches[0]}" && pwd -P)
}

# exercise_name DIR: chapter/exercise for a folder under exercises/, else
# the folder's path relative to the workbook (a solution, say), else DIR.
exercise_name() {
	local dir=$1
	case $dir in
	"$WORKBOOK_REAL"/exercises/*) printf '%s\n' "${dir#"$WORKBOOK_REAL"/exercises/}" ;;
	"$WORKBOOK_DIR"/exercises/*) printf '%s\n' "${dir#"$WORKBOOK_DIR"/exercises/}" ;;
	"$WORKBOOK_REAL"/*) printf '%s\n' "${dir#"$WORKBOOK_REAL"/}" ;;
	*) printf '%s\n' "$dir" ;;
	esac
}

# use_colour: colour and symbols only for a person at a terminal, and never
# when NO_COLOR is set (https://no-color.org), as grader/lib/grading/report does.
use_colour() {
	[ -t 1 ] && [ -z "${NO_COLOR:-}" ] && [ "${TERM:-dumb}" != dumb ]
}
