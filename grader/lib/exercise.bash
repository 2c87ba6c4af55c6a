# shellcheck shell=bash
# Reading exercise.spec files, building and running an exercise once, and
# turning the results into verdicts. Sourced by grader/grade, the bats files
# and grader/lib/prepare. See README.md, "Writing an exercise".

GRADER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORKBOOK_DIR=$(cd "$GRADER_DIR/.." && pwd)
# -gdwarf-4: Valgrind 3.19 cannot read all of the DWARF 5 that clang 14
# writes by default, and would lose the file:line of the learner's code.
CFLAGS_FIXED=(-std=c11 -g -O0 -Wall -Wextra -gdwarf-4 -fdiagnostics-color=never)
RUN_TIMEOUT=${RUN_TIMEOUT:-10}
# The second detector: AddressSanitizer with LeakSanitizer and UBSan, for
# machines without Valgrind (macOS on Apple silicon). Recovering after an
# error, as Valgrind goes on, so that one run finds what Valgrind finds.
# shellcheck disable=SC2054 # one flag, its commas included
SANITIZER_FLAGS=(-fsanitize=address,undefined -fsanitize-recover=address -fno-omit-frame-pointer)
SUMMARY_KEYS=(errors contexts definitely_lost_bytes definitely_lost_blocks
	indirectly_lost_bytes indirectly_lost_blocks possibly_lost_bytes
	possibly_lost_blocks still_reachable_bytes still_reachable_blocks
	fds_leaked exit_status signal timed_out)

# ---------------------------------------------------------------- spec files

# spec_load DIR: reads DIR/exercise.spec into spec_<key> variables; blocks
# (stdin, stdout, memcheck, hint) keep their exact lines. Fails with
# "file:line: reason" on anything it does not understand.
spec_load() {
	local dir=$1 file=$1/exercise.spec line n=0 key value mark block='' spec_block_var=''
	# Read by the callers: the grader, the bats suites, `make hint`.
	# shellcheck disable=SC2034
	spec_title='' spec_bug='' spec_lesson='' spec_sources='' spec_args='' spec_data=''
	# shellcheck disable=SC2034
	spec_status=0 spec_stdin='' spec_stdout='' spec_memcheck='' spec_hint=''
	# shellcheck disable=SC2034
	spec_has_stdin=0 spec_has_stdout=0 spec_has_memcheck=0 spec_cert='' spec_cwe=''
	# shellcheck disable=SC2034
	spec_oom_status='' spec_oom_stderr='' spec_oom_fail_at=''
	# shellcheck disable=SC2034
	spec_sanitizer_misses='' spec_sanitizer_adds='' spec_sanitizer_why=''
	[ -f "$file" ] || { echo "$file: missing (every exercise needs one)"; return 1; }
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		if [ -n "$block" ]; then
			if [ "$line" = "$mark" ]; then
				block=''
			else
				printf -v "spec_$block" '%s%s\n' "${!spec_block_var}" "$line"
			fi
			continue
		fi
		case $line in
		'' | '#'*) continue ;;
		*' <<'*)
			key=${line%% <<*} mark=${line#* <<}
			case $key in stdin | stdout | memcheck | hint) ;; *)
				echo "$file:$n: '$key' cannot be a block (only stdin, stdout, memcheck, hint)"
				return 1 ;;
			esac
			block=$key spec_block_var=spec_$key
			printf -v "spec_$key" '%s' ''
			case $key in stdin | stdout | memcheck) printf -v "spec_has_$key" 1 ;; esac
			;;
		*:*)
			key=${line%%:*} value=${line#*:} value=${value# }
			case $key in
			title | bug | lesson | sources | args | data | status | cert | cwe | oom-status | oom-stderr | oom-fail-at | \
				sanitizer-misses | sanitizer-adds | sanitizer-why)
				printf -v "spec_${key//-/_}" '%s' "$value" ;;
			*) echo "$file:$n: unknown key '$key'"; return 1 ;;
			esac
			;;
		*) echo "$file:$n: expected 'key: value' or 'key <<END', got '$line'"; return 1 ;;
		esac
	done <"$file"
	[ -z "$block" ] || { echo "$file: block '$block' never ends (no line '$mark')"; return 1; }
	local required
	for required in title bug lesson hint; do
		[ -n "$(eval "printf %s \"\$spec_$required\"")" ] || { echo "$file: '$required' is missing"; return 1; }
	done
	[ "$spec_has_stdout" = 1 ] || { echo "$file: the 'stdout' block is missing"; return 1; }
	[ "$spec_has_memcheck" = 1 ] || { echo "$file: the 'memcheck' block is missing"; return 1; }
	case $spec_status in '' | *[!0-9]*) echo "$file: status must be a number"; return 1 ;; esac
	local id
	for id in $spec_sanitizer_misses $spec_sanitizer_adds; do
		grep -q "^$id	" "$GRADER_DIR/lib/explanations.tsv" ||
			{ echo "$file: '$id' is not a kind of lib/explanations.tsv (sanitizer-misses, sanitizer-adds)"; return 1; }
	done
	if [ -n "$spec_sanitizer_misses$spec_sanitizer_adds" ] && [ -z "$spec_sanitizer_why" ]; then
		echo "$file: sanitizer-misses and sanitizer-adds need sanitizer-why: the reason"
		return 1
	fi
	return 0
}

# spec_source_files DIR: the C files to compile, one per line.
spec_source_files() {
	local dir=$1 f
	if [ -n "$spec_sources" ]; then
		for f in $spec_sources; do printf '%s\n' "$f"; done
	else
		(cd "$dir" && for f in *.c; do [ -e "$f" ] && printf '%s\n' "$f"; done)
	fi
}

# The summary a clean, correct run prints: clean_summary [EXIT_STATUS].
clean_summary() {
	local key
	for key in "${SUMMARY_KEYS[@]}"; do
		case $key in
		exit_status) echo "exit_status ${1:-$spec_status}" ;;
		signal) echo "signal none" ;;
		*) echo "$key 0" ;;
		esac
	done
}

# The summary the spec declares for the shipped exercise: the clean summary
# with the keys of its memcheck block replacing the defaults. With
# oom-fail-at, it describes the run in which that allocation failed.
declared_summary() {
	{
		if [ -n "$spec_oom_fail_at" ]; then clean_summary "$spec_oom_status"; else clean_summary; fi
		printf '%s' "$spec_memcheck"
	} | awk 'NF { if (!($1 in v)) order[++n] = $1; v[$1] = $2 }
		END { for (i = 1; i <= n; i++) print order[i], v[order[i]] }'
}

# declared_run RESULT: the run the spec's memcheck block describes (with
# oom-fail-at, the one where that allocation failed).
declared_run() {
	if [ -n "$spec_oom_fail_at" ]; then printf '%s\n' "$1/oom/$spec_oom_fail_at"; else printf '%s\n' "$1"; fi
}

# ------------------------------------------------------------ build and run

compiler_identity() {
	"$1" --version 2>/dev/null | head -n 1
}

# A key for everything that decides a result: the exercise's files, the
# grader itself, the compiler and the timeout. A change to any one of them
# makes a new key, so a cached result can never be stale.
result_key() {
	local dir=$1 cc=$2
	{
		printf 'cc %s\ntimeout %s\nsandbox %s\ndetector %s\n' "$cc" "$RUN_TIMEOUT" \
			"$(sandbox_enabled && echo on || echo off)" "$(detector)"
		grader_fingerprint "$cc"
		(cd "$dir" && find . -maxdepth 2 -type f ! -name '*.orig' ! -name '.*' ! -name '*~' -print0 | LC_ALL=C sort -z |
			xargs -0 sha256sum)
	} | sha256sum | cut -c1-24
}

# grader_fingerprint CC: the compiler's version and a hash of the grader's
# own files, which every result depends on. Worked out once per command
# and passed down (GRADER_FINGERPRINT_<CC>), since a whole class or
# workbook is graded with the same ones.
grader_fingerprint() {
	local var=GRADER_FINGERPRINT_${1//[^A-Za-z0-9_]/_}
	if [ -z "${!var:-}" ]; then
		printf -v "$var" '%s' "$({
			compiler_identity "$1"
			cd "$GRADER_DIR" && sha256sum memcheck lib/*
		} | sha256sum | cut -c1-24)"
		export "${var?}"
	fi
	printf 'grader %s\n' "${!var}"
}

cache_root() {
	printf '%s\n' "${GRADER_CACHE:-$WORKBOOK_DIR/.build/results}"
}

# What the grader builds for itself once per machine and compiler (its own
# objects, the sanitizer probe), named by what they depend on; shared by
# every result cache.
tools_root() {
	printf '%s\n' "${GRADER_TOOLS:-$WORKBOOK_DIR/.build/tools}"
}

# Result keys a caller already worked out, by "DIR CC DETECTOR" (DIR as
# `pwd -P` names it), for the jobs it starts from its own shell.
declare -gA KNOWN_KEYS=()

# exercise_prepare DIR CC: builds and runs the exercise in DIR once and
# prints the folder holding the results (build.log, build.status, summary,
# stdout, stderr, details, memcheck.log). Never writes into DIR.
exercise_prepare() {
	local dir cc=$2 key root out tmp lock=
	dir=$(cd "$1" && pwd -P) || return 1
	# The caller may have worked the key out already (see KNOWN_KEYS).
	key=${KNOWN_KEYS["$dir $cc $(detector)"]:-}
	[ -n "$key" ] || key=$(result_key "$dir" "$cc")
	root=$(cache_root)
	out=$root/$key
	if [ -f "$out/done" ]; then
		printf '%s\n' "$out"
		return 0
	fi
	mkdir -p "$root"
	# One job builds a result; another that wants it meanwhile (make check
	# starts bats while it warms the cache) waits for it rather than
	# building it twice. Without flock, both build, and one result is kept.
	if command -v flock >/dev/null 2>&1; then
		exec {lock}>>"$root/$key.lock"
		flock "$lock"
		if [ -f "$out/done" ]; then
			# Built meanwhile. The builder removed the lock file, but this job
			# may have made it again by opening it: whoever finds the result
			# done removes it, so the last one leaves none.
			rm -f "$root/$key.lock"
			exec {lock}>&-
			printf '%s\n' "$out"
			return 0
		fi
	fi
	tmp=$(mktemp -d "$root/tmp.XXXXXX")
	exercise_build_and_run "$dir" "$cc" "$tmp"
	: >"$tmp/done"
	# Another job may have produced the same result meanwhile: keep theirs.
	if ! mv -T "$tmp" "$out" 2>/dev/null; then rm -rf "$tmp"; fi
	if [ -n "${lock:-}" ]; then
		rm -f "$root/$key.lock"
		exec {lock}>&-
	fi
	printf '%s\n' "$out"
}

# Allocation-failure mode (see grader/lib/failalloc.c): the functions the
# linker routes through failalloc's wrappers. FAILALLOC_BYPASS: what a
# program could reach the allocator through instead, unwrapped (the real
# function behind a wrapper, glibc's own entry points, obsolete allocators,
# a lookup at run time): the build refuses a program that refers to one.
FAILALLOC_FUNCTIONS=(malloc calloc realloc reallocarray strdup strndup aligned_alloc posix_memalign)
FAILALLOC_BYPASS=(__libc_malloc __libc_calloc __libc_realloc __libc_memalign __libc_valloc
	__libc_pvalloc memalign valloc pvalloc dlsym dlvsym dlopen dlmopen)

# failalloc_link_flags: the wrapping, then the linker's trace of every
# allocation function (see allocation_bypass), one option a line.
failalloc_link_flags() {
	local f wrap='' trace=''
	for f in "${FAILALLOC_FUNCTIONS[@]}"; do wrap+=",--wrap=$f"; trace+=",-y,$f,-y,__real_$f"; done
	for f in "${FAILALLOC_BYPASS[@]}"; do trace+=",-y,$f"; done
	printf '%s\n' "-Wl${wrap}" "-Wl${trace}"
}

# The code the grader runs is untrusted: the compiler and the program run in
# grader/lib/sandbox, writing only into the result folder, unless
# GRADER_SANDBOX=0.
sandbox_enabled() {
	[ "${GRADER_SANDBOX:-1}" != 0 ]
}

# The detector that grades: GRADER_DETECTOR=valgrind or asan; unset (or
# auto), Valgrind where it is installed, else AddressSanitizer.
detector() {
	case ${GRADER_DETECTOR:-auto} in
	valgrind | asan) printf '%s\n' "$GRADER_DETECTOR" ;;
	*) if command -v valgrind >/dev/null 2>&1; then echo valgrind; else echo asan; fi ;;
	esac
}

# with_detector DETECTOR COMMAND...: COMMAND graded by that detector.
with_detector() {
	GRADER_DETECTOR=$1 "${@:2}"
}

# The detector's name as a learner reads it.
detector_name() {
	if [ "$(detector)" = asan ]; then echo AddressSanitizer; else echo Valgrind; fi
}

# Valgrind's client requests let a program talk to Valgrind: stop reporting
# errors, mark memory as initialised, describe its own allocator... The
# grader compiles with -DNVALGRIND, which empties the macros of valgrind.h,
# but a program can #undef it or write the instructions itself, so the
# linked program is searched for the magic preamble every request starts
# with (valgrind.h, __SPECIAL_INSTRUCTION_PREAMBLE): amd64, x86 and arm64;
# other machines are not checked. Code generated at run time escapes this.
CLIENT_REQUEST_PREAMBLES=(
	'\x48\xc1\xc7\x03\x48\xc1\xc7\x0d\x48\xc1\xc7\x3d\x48\xc1\xc7\x33' # rolq $3,$13,$61,$51 %rdi
	'\xc1\xc7\x03\xc1\xc7\x0d\xc1\xc7\x1d\xc1\xc7\x13'                 # roll $3,$13,$29,$19 %edi
	'\x8c\x0d\xcc\x93\x8c\x35\xcc\x93\x8c\xcd\xcc\x93\x8c\xf5\xcc\x93' # ror x12 by 3,13,51,61
)

uses_client_requests() {
	local preamble patterns=()
	for preamble in "${CLIENT_REQUEST_PREAMBLES[@]}"; do
		patterns+=(-e "$(printf '%b' "$preamble")")
	done
	LC_ALL=C grep -qaF "${patterns[@]}" -- "$1"
}

# compiler_prefix CC: where the compiler is installed, when that is not in
# the system folders the sandbox shows anyway (/usr).
compiler_prefix() {
	local path
	path=$(command -v -- "$1" 2>/dev/null) || return 0
	path=$(readlink -f -- "$path")
	path=${path%/*/*}
	case $path in /usr | /usr/* | '') ;; *) printf '%s\n' "$path" ;; esac
}

# compile OUT CC ARGS...: runs the compiler in OUT/src (the program's C and
# header files alone), sandboxed, with its messages in OUT/build.log. Its
# temporary files go to OUT/cc-tmp: nothing else is writable in the sandbox.
compile() {
	local out=$1 cc=$2 wrap=() prefix
	shift 2
	mkdir -p "$out/cc-tmp"
	if sandbox_enabled; then
		wrap=("$GRADER_DIR/lib/sandbox" --writable "$out/src" --writable "$out/cc-tmp" --keep-fd 8
			--setenv "TMPDIR=$out/cc-tmp")
		[ ! -e "$out/failalloc.o" ] || wrap+=(--readable "$out/failalloc.o")
		[ ! -e "$out/fdcheck.o" ] || wrap+=(--readable "$out/fdcheck.o")
		prefix=$(compiler_prefix "$cc")
		[ -z "$prefix" ] || wrap+=(--system "$prefix")
		wrap+=(--)
	fi
	# The compiler's words come out on fd 8; the sandbox's own notice, if
	# any, on 2 (it is not a compiler warning).
	local rc=0
	# shellcheck disable=SC2016 # expanded by the inner shell
	(cd "$out/src" && TMPDIR=$out/cc-tmp ${wrap[@]+"${wrap[@]}"} \
		sh -c 'exec >&8 2>&8 8>&-; exec "$@"' sh timeout 60 "$cc" "$@") \
		8>"$out/build.log" 2>>"$out/sandbox.log" </dev/null || rc=$?
	rm -rf "$out/cc-tmp"
	# The sandbox could not start: its reason is the only one there is.
	if [ "$rc" != 0 ] && [ ! -s "$out/build.log" ]; then cat "$out/sandbox.log" >"$out/build.log"; fi
	return "$rc"
}

# grader_object NAME CC OUT: the grader's own lib/NAME.c compiled by CC,
# into OUT/NAME.o. Built once per compiler and grader version, kept in the
# cache; on failure, says why in OUT/build.log and returns 1.
grader_object() {
	local name=$1 cc=$2 out=$3 dir tmp
	dir=$(tools_root)/objects/$(grader_fingerprint "$cc" | cut -d' ' -f2)
	if [ ! -f "$dir/$name.o" ]; then
		mkdir -p "$dir"
		tmp=$(mktemp "$dir/$name.XXXXXX")
		if ! "$cc" "${CFLAGS_FIXED[@]}" -c -o "$tmp" "$GRADER_DIR/lib/$name.c" >"$out/$name.log" 2>&1; then
			rm -f "$tmp"
			cat "$out/$name.log" >"$out/build.log"
			echo 1 >"$out/build.status"
			return 1
		fi
		# Readable by the sandbox's own user (mktemp made it private).
		chmod 644 "$tmp"
		mv -f "$tmp" "$dir/$name.o"
	fi
	cp -- "$dir/$name.o" "$out/$name.o"
}

# stage_sources DIR SRC: the files the compiler may see, copied from DIR
# into SRC: its regular C and header files, nothing else (not the spec,
# whose hidden case holds an expected output; not a symbolic link, which
# could lead to the solutions).
stage_sources() {
	local dir=$1 src=$2 f
	mkdir -p "$src"
	for f in "$dir"/*.c "$dir"/*.h; do
		if [ ! -f "$f" ] || [ -L "$f" ]; then continue; fi
		cp -- "$f" "$src/"
	done
}

# stage_data DIR DATA: the spec's data files, kept for the runs (a
# missing one is missing for the program too).
stage_data() {
	local dir=$1 data=$2 f
	mkdir -p "$data"
	for f in $spec_data; do
		if [ ! -f "$dir/$f" ] || [ -L "$dir/$f" ]; then continue; fi
		cp -- "$dir/$f" "$data/"
	done
}

# allocation_bypass RESULT: what the program's own code refers to behind
# failalloc's back, from the linker's trace (-y), as words for the
# verdict; nothing when it refers to none. Its own code is the objects the
# compiler made from its sources, in its temporary folder (RESULT/cc-tmp):
# not the C library's, nor a sanitizer runtime's (which calls dlsym). A
# call of __real_malloc shows as one of malloc: the wrapping renames it.
allocation_bypass() {
	local result=$1 name words=''
	while IFS= read -r name; do
		case " ${FAILALLOC_FUNCTIONS[*]} " in
		*" $name "*) words+="${words:+, }__real_$name (the C library's own $name)" ;;
		*) words+="${words:+, }$name" ;;
		esac
	done < <(grep -E '^([^ ]*/)?ld[^:]*: .*: reference to [A-Za-z_][A-Za-z0-9_]*$' "$result/link-trace.log" |
		grep -F ": $result/cc-tmp/" | sed -E 's/.*: reference to (__real_)?//' | LC_ALL=C sort -u)
	[ -z "$words" ] || printf 'It calls %s, which the allocation-failure runs cannot make fail.\n' "$words"
}

exercise_build_and_run() {
	local dir=$1 cc=$2 out=$3 sources=() extra=() flags=() trace=() f rc bypass
	spec_load "$dir" >"$out/spec.log" || { echo 1 >"$out/build.status"; return 0; }
	# The build works on a copy, so that it writes nothing beside the
	# learner's files, and sites stay relative to it (main.c:42). The
	# sandbox's user must be able to pass through (mktemp made it 0700).
	chmod 711 "$out"
	stage_sources "$dir" "$out/src"
	stage_data "$dir" "$out/data"
	# The runs of an allocation-failure series read the spec again.
	mkdir -p "$out/spec"
	cp -- "$dir/exercise.spec" "$out/spec/"
	# Any name a file may have (a newline in it, say); one that begins
	# with a dash would be read as an option.
	if [ -n "$spec_sources" ]; then
		for f in $spec_sources; do sources+=("$f"); done
	else
		for f in "$out/src"/*.c; do [ -e "$f" ] && sources+=("${f##*/}"); done
	fi
	for f in "${!sources[@]}"; do
		case ${sources[$f]} in -*) sources[f]=./${sources[$f]} ;; esac
	done
	if [ ${#sources[@]} -eq 0 ]; then
		echo "no .c files to compile" >"$out/build.log"
		echo 1 >"$out/build.status"
		return 0
	fi
	if [ -n "$spec_oom_status" ]; then
		# failalloc.c is the grader's, built apart so its diagnostics (none
		# expected) never mix with the learner's.
		grader_object failalloc "$cc" "$out" || return 0
		mapfile -t flags < <(failalloc_link_flags)
		# Before the inputs: the linker wraps and traces the files it reads
		# after these (gcc's driver moves them first; clang's does not).
		trace=("${flags[@]}")
		extra=("$out/failalloc.o")
		flags=()
	fi
	if [ "$(detector)" = asan ]; then
		# fdcheck.c stands in for Valgrind's --track-fds.
		grader_object fdcheck "$cc" "$out" || return 0
		flags=("${SANITIZER_FLAGS[@]}")
		extra+=("$out/fdcheck.o")
	fi
	set +e
	compile "$out" "$cc" "${CFLAGS_FIXED[@]}" ${flags[@]+"${flags[@]}"} -DNVALGRIND -o "$out/src/.program" \
		${trace[@]+"${trace[@]}"} "${sources[@]}" ${extra[@]+"${extra[@]}"}
	rc=$?
	set -e
	# The linker's trace of the allocation functions is not a warning.
	grep -E '^([^ ]*/)?ld[^:]*: .*: (reference to|definition of) [A-Za-z_][A-Za-z0-9_]*$' "$out/build.log" \
		>"$out/link-trace.log" || true
	if [ -s "$out/link-trace.log" ]; then
		grep -vxF -f "$out/link-trace.log" "$out/build.log" >"$out/build.log.new" || true
		mv -f "$out/build.log.new" "$out/build.log"
	fi
	echo "$rc" >"$out/build.status"
	[ "$rc" = 0 ] || return 0
	mv -f "$out/src/.program" "$out/program"
	# Runnable by the sandbox's own user, and written by nobody, whatever
	# the umask: a run must not change the program the next run starts.
	chmod 555 "$out/program"
	if [ "$(detector)" = valgrind ] && uses_client_requests "$out/program"; then
		: >"$out/client-requests"
		return 0
	fi
	if [ -n "$spec_oom_status" ] && bypass=$(allocation_bypass "$out") && [ -n "$bypass" ]; then
		printf '%s\n' "$bypass" >"$out/allocation-bypass"
		return 0
	fi

	printf '%s' "$spec_stdin" >"$out/stdin"
	if [ -n "$spec_oom_status" ]; then
		run_once "$out" "$out" --count-allocations "$out/allocations"
		[ -s "$out/allocations" ] && run_allocation_failures "$out"
	else
		run_once "$out" "$out"
	fi
	return 0
}

# run_once OUT RESULT [MEMCHECK-OPTION...]: runs the built program once under
# memcheck with the spec's input, in a scratch folder holding the spec's
# data files (OUT/data), and leaves summary, stdout, stderr, details and
# memcheck.{log,status} in RESULT. In a sandbox that scratch folder is a
# private copy in memory, gone with the run. No program may exec or fork
# (memcheck refuses it: its report could not be trusted).
run_once() {
	local out=$1 result=$2 args=() sandbox=()
	shift 2
	mkdir -p "$result/run"
	cp -R -- "$out/data/." "$result/run/"
	# shellcheck disable=SC2206 # args are plain words, split on spaces
	[ -z "$spec_args" ] || args=($spec_args)
	! sandbox_enabled || sandbox=(--sandbox "$result/run")
	set +e
	(cd "$result/run" && "$GRADER_DIR/memcheck" --detector "$(detector)" --timeout "$RUN_TIMEOUT" \
		--stdin "$out/stdin" --stdout "$result/stdout" --stderr "$result/stderr" \
		--details "$result/details" --source-dir "$out/src" ${sandbox[@]+"${sandbox[@]}"} "$@" \
		"$out/program" ${args[@]+"${args[@]}"}) >"$result/summary" 2>>"$result/memcheck.log"
	echo $? >"$result/memcheck.status"
	set -e
	rm -rf "$result/run"
}

# Runs the program once for every allocation it makes, with that one made
# to fail (results in OUT/oom/N), in parallel.
run_allocation_failures() {
	local out=$1 count
	count=$(cat "$out/allocations")
	case $count in '' | *[!0-9]*) return 0 ;; esac
	mkdir -p "$out/oom"
	seq 1 "$count" | xargs -r -P "${JOBS:-2}" -I{} "$GRADER_DIR/lib/prepare" --oom-run "$out" {}
}

# summary_value FILE KEY
summary_value() {
	local key value
	while read -r key value; do
		[ "$key" != "$2" ] || { printf '%s\n' "$value"; return 0; }
	done <"$1"
	echo 0
}

# ----------------------------------------------------------------- verdicts

# diagnose KIND AUX AUXFN: which explanation of lib/explanations.tsv fits
# an error context of --details (AUX: Valgrind's first auxiliary text;
# AUXFN: the function atop that stack, e.g. free or realloc).
diagnose() {
	local kind=$1 aux=$2 auxfn=$3
	case $kind in
	Leak_DefinitelyLost) echo definite-leak ;;
	Leak_IndirectlyLost) echo indirect-leak ;;
	Leak_PossiblyLost) echo possible-leak ;;
	Leak_StillReachable) echo still-reachable ;;
	FdLeak) echo fd-leak ;;
	InvalidFree)
		case $aux in
		*"free'd"*) echo double-free ;;
		*" 0 bytes inside a block"*) echo double-free ;;
		*"bytes inside a block"*) echo interior-free ;;
		*) echo nonheap-free ;;
		esac ;;
	InvalidRead | InvalidWrite)
		case $aux in
		# "not stack'd, malloc'd or (recently) free'd": no block at all.
		*"Address 0x0 is not"*) echo null-deref ;;
		*"is not stack'd"*) echo bad-access ;;
		*"free'd"*)
			if [ "$auxfn" = realloc ] || [ "$auxfn" = reallocarray ]; then echo stale-alias
			elif [ "$kind" = InvalidRead ]; then echo uaf-read
			else echo uaf-write; fi ;;
		*"bytes after a block"* | *"bytes before a block"* | *"inside a block of size 0"*) echo overflow ;;
		*) echo bad-access ;;
		esac ;;
	UninitCondition | UninitValue) echo uninit ;;
	SyscallParam) echo uninit ;;
	Overlap) echo overlap ;;
	MismatchedFree) echo mismatched-free ;;
	UndefinedBehavior) echo undefined ;;
	*) echo other ;;
	esac
}

# explanation ID FIELD: one field of lib/explanations.tsv (2 title,
# 3 chapter, 4 section, 5 what happened, 6 the rule).
explanation() {
	local line fields
	while IFS= read -r line; do
		[ "${line%%$'\t'*}" = "$1" ] || continue
		IFS=$'\t' read -r -a fields <<<"$line"
		printf '%s\n' "${fields[$2 - 1]}"
		return 0
	done <"$GRADER_DIR/lib/explanations.tsv"
}

# site_label KIND AUX: how Valgrind's auxiliary text reads as a label for
# its place.
site_label() {
	case $2 in
	*"free'd"*) if [ "$1" = InvalidFree ]; then echo "first freed at"; else echo "freed at"; fi ;;
	*"alloc'd"* | *"created by a heap allocation"*) echo "allocated at" ;;
	*"created by a stack allocation"*) echo "a local variable of" ;;
	*) echo "see" ;;
	esac
}

# main_label KIND: the label of the place where an error happened.
main_label() {
	case $1 in
	InvalidRead) echo "read at" ;;
	InvalidWrite) echo "written at" ;;
	InvalidFree | MismatchedFree) echo "freed at" ;;
	*) echo "at" ;;
	esac
}

explain_signal() {
	case $1 in
	SIGSEGV) echo "a segmentation fault: it touched memory that is not mapped (a NULL or wild pointer?)" ;;
	SIGABRT) echo "it aborted (an assert failed, or the C library found a corrupted heap)" ;;
	SIGBUS) echo "a bus error: a bad memory access" ;;
	SIGFPE) echo "an arithmetic error, such as a division by zero" ;;
	SIGXFSZ) echo "it printed too much output (the grader stops a program at 8 MiB)" ;;
	SIGXCPU) echo "it used more processor time than the grader allows (30 seconds)" ;;
	SIGKILL | SIGTERM) echo "it was stopped by the grader" ;;
	*) echo "it was killed by $1" ;;
	esac
}

plural() { if [ "$1" = 1 ]; then echo "$1 $2"; else echo "$1 ${2}s"; fi; }

# say_memory_problems RESULT: the error contexts of one run, grouped by
# what went wrong: each group explained once, in plain words, with the rule
# it breaks and the chapter section that teaches it, then its places.
say_memory_problems() {
	local result=$1 ids id
	# In the order of lib/explanations.tsv: the order to fix them in.
	local found line
	found=" $(diagnoses "$result" | tr '\n' ' ')"
	ids=$(while IFS= read -r line; do
		id=${line%%$'\t'*}
		case $found in *" $id "*) printf '%s\n' "$id" ;; esac
	done <"$GRADER_DIR/lib/explanations.tsv")
	for id in $ids; do
		printf -- '- %s: %s\n' "$(explanation "$id" 2)" "$(explanation "$id" 5)" | fold -s -w 88 | sed '2,$s/^/  /'
		say_places "$result" "$id"
		printf '  The rule: %s\n' "$(explanation "$id" 6)" | fold -s -w 88 | sed '2,$s/^/    /'
		printf '  Read: chapters/%s, "%s"\n' "$(explanation "$id" 3)" "$(explanation "$id" 4)"
	done
}

# say_places RESULT ID: where each context of diagnosis ID happened (the
# first five; the count of the rest).
say_places() {
	local result=$1 id=$2 n=0 kind count what site aux2 site2 aux3 site3 auxfn times
	while IFS=$'\037' read -r kind count what site aux2 site2 aux3 site3 auxfn; do
		[ "$(diagnose "$kind" "$aux2" "$auxfn")" = "$id" ] || continue
		n=$((n + 1))
		[ "$n" -le 5 ] || continue
		case $kind in
		Leak_*) printf '    %s\n      allocated at %s\n' "$what" "$site" ;;
		FdLeak) printf '    %s\n' "$(printf '%s' "$what" | sed 's|/[^ ]*/\.build/results/[^/]*/run/||')" ;;
		*)
			if [ "$count" = 1 ]; then times=; else times=", $count times"; fi
			printf '    %s (%s%s)\n      %s %s\n' "$what" "$kind" "$times" "$(main_label "$kind")" "$site"
			say_aux "$kind" "$aux2" "$site2"
			say_aux "$kind" "$aux3" "$site3"
			;;
		esac
	done < <(details_rows "$result")
	[ "$n" -le 5 ] || printf '    ... and %s more places like these\n' "$((n - 5))"
}

# say_aux KIND AUX SITE: one auxiliary place; Valgrind's own words when it
# names no place (an address in the program's read-only data is a literal).
say_aux() {
	[ -n "$2" ] || return 0
	if [ -n "$3" ]; then
		printf '      %s %s\n' "$(site_label "$1" "$2")" "$3"
	else
		printf '      (%s)\n' "$(printf '%s' "$2" | sed 's|mapped file [^ ]*/program segment|mapped file: the program itself (a string literal or other constant)|')"
	fi
}

# details_rows RESULT: the --details rows with their tabs turned into a
# separator that `read` does not fold when fields are empty (it folds tabs).
details_rows() {
	tr '\t' '\037' <"$1/details"
}

# verdict_build RESULT: "ok", or says why the build failed (returns 1).
verdict_build() {
	local result=$1
	if [ -s "$result/spec.log" ]; then
		echo "The exercise's exercise.spec cannot be read:"
		sed 's/^/    /' "$result/spec.log"
		return 1
	fi
	if [ "$(cat "$result/build.status")" != 0 ]; then
		echo "It does not compile. The compiler said:"
		head -n 30 "$result/build.log" | sed 's/^/    /'
		return 1
	fi
	if [ -e "$result/allocation-bypass" ]; then
		echo "It reaches the allocator past the grader's allocation-failure runs, so it was not run:"
		sed 's/^/    /' "$result/allocation-bypass"
		echo "    Allocate with malloc, calloc, realloc and the like, and handle each failure."
		return 1
	fi
	if [ -e "$result/client-requests" ]; then
		echo "It uses Valgrind client requests, which could hide errors from the grader, so it was not run."
		echo "    Remove every use of <valgrind/valgrind.h> and <valgrind/memcheck.h> (VALGRIND_... macros)"
		echo "    and anything that imitates them: a correct program needs no word with Valgrind."
		return 1
	fi
	return 0
}

# verdict_warnings RESULT: the grader builds with -Wall -Wextra and
# accepts no warning: each one is a bug the compiler saw before Valgrind.
verdict_warnings() {
	if [ -s "$1/build.log" ]; then
		echo "It compiles with warnings (the grader accepts none). The compiler said:"
		head -n 30 "$1/build.log" | sed 's/^/    /'
		return 1
	fi
}

# verdict_run RESULT [STATUS]: checks the run could be measured and ended
# well, with exit status STATUS (default: the spec's).
verdict_run() {
	local result=$1 want=${2:-$spec_status} sig status
	if [ "$(cat "$result/memcheck.status")" != 0 ]; then
		echo "The grader could not check this run:"
		grep -v '^sandbox: ' "$result/memcheck.log" | sed 's/^memcheck: /    /'
		if grep -q 'wrote into it\|tampered' "$result/memcheck.log"; then
			echo "    (A program must not write into descriptors it did not open, nor into Valgrind's reports.)"
		fi
		return 1
	fi
	if [ "$(summary_value "$result/summary" timed_out)" = 1 ]; then
		echo "It did not finish within $RUN_TIMEOUT seconds and was stopped (an endless loop, or waiting for input?)."
		return 1
	fi
	sig=$(summary_value "$result/summary" signal)
	if [ "$sig" = SIGABRT ] && [ "$(detector)" = asan ] && [ "$(summary_value "$result/summary" errors)" != 0 ]; then
		echo "AddressSanitizer stopped it at a memory error it could not go on from. Fix the first one below, then check again: there may be more behind it."
		return 1
	fi
	if [ "$sig" != none ]; then
		echo "It crashed with $sig: $(explain_signal "$sig")."
		return 1
	fi
	status=$(summary_value "$result/summary" exit_status)
	if [ "$status" != "$want" ]; then
		echo "It exited with status $status; a correct run exits with $want."
		if [ -s "$result/stderr" ]; then
			echo "    Its error output began with:"
			head -n 5 "$result/stderr" | sed 's/^/      /'
		fi
		return 1
	fi
}

# verdict_output RESULT: the program printed exactly the expected output.
verdict_output() {
	local result=$1
	if ! printf '%s' "$spec_stdout" | cmp -s - "$result/stdout"; then
		echo "It printed the wrong output. Differences (- expected, + printed):"
		printf '%s' "$spec_stdout" | diff -u --label expected --label printed - "$result/stdout" |
			tail -n +3 | head -n 20 | sed 's/^/    /'
		return 1
	fi
}

# verdict_clean RESULT: no memory error, no leak of any kind, no open fd.
verdict_clean() {
	local result=$1 s=$1/summary fds
	fds=$(summary_value "$s" fds_leaked)
	if [ "$(summary_value "$s" errors)" != 0 ] || [ "$fds" != 0 ]; then
		if [ "$(summary_value "$s" errors)" != 0 ]; then
			echo "$(detector_name) found $(plural "$(summary_value "$s" errors)" error) in $(plural "$(summary_value "$s" contexts)" place)$([ "$fds" = 0 ] || echo ", and $(plural "$fds" file) left open"):"
		else
			echo "It left $(plural "$fds" file) open at exit:"
		fi
		say_memory_problems "$result"
		return 1
	fi
}

# learner_verdict DIR CC: every problem a learner must fix, in order.
learner_verdict() {
	local dir=$1 cc=$2 result bad=0
	result=$(exercise_prepare "$dir" "$cc")
	spec_load "$dir" >/dev/null 2>&1 || true
	verdict_build "$result" || return 1
	verdict_warnings "$result" || bad=1
	if ! verdict_run "$result"; then
		# A crash usually has a memory error behind it: show where.
		if [ "$(cat "$result/memcheck.status")" = 0 ]; then verdict_clean "$result" || true; fi
		return 1
	fi
	verdict_output "$result" || bad=1
	verdict_clean "$result" || bad=1
	verdict_allocation_failures "$result" || bad=1
	if [ "$bad" = 1 ] && [ -n "${VERBOSE:-}" ]; then raw_report "$dir" "$result"; fi
	return "$bad"
}

# Closes every descriptor but 0, 1 and 2 (bats keeps its TAP stream on 3).
close_inherited_fds() {
	local fd
	for fd in /proc/self/fd/*; do
		fd=${fd##*/}
		if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
	done
}

# raw_report DIR RESULT: the detector's own text report of the
# same program and input, for those who want it (make check V=1). An extra
# run, made only on request, in the sandbox as every run of the program.
raw_report() {
	local dir=$1 result=$2 scratch f args=() detector_cmd=() sandbox=()
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/raw-report.XXXXXX")
	cp -R -- "$result/data/." "$scratch/" 2>/dev/null || true
	# shellcheck disable=SC2206 # args are plain words, split on spaces
	[ -z "$spec_args" ] || args=($spec_args)
	if [ "$(detector)" = asan ]; then
		detector_cmd=(env ASAN_OPTIONS=halt_on_error=0:exitcode=0:color=never UBSAN_OPTIONS=print_stacktrace=1:color=never)
	else
		detector_cmd=(valgrind --leak-check=full --show-leak-kinds=all --track-fds=yes)
	fi
	if sandbox_enabled; then
		sandbox=("$GRADER_DIR/lib/sandbox" --scratch "$scratch" --readable "$result/program")
		[ "$(detector)" = valgrind ] || sandbox+=(--no-address-limit)
		sandbox+=(--)
	fi
	echo "$(detector_name)'s own report (V=1):"
	# The program was built in a scratch copy of the exercise: its files
	# are named without that folder, as the verdict names them.
	(cd "$scratch" && close_inherited_fds && timeout "$RUN_TIMEOUT" ${sandbox[@]+"${sandbox[@]}"} \
		"${detector_cmd[@]}" "$result/program" ${args[@]+"${args[@]}"} <"$result/stdin" 2>&1 >/dev/null) |
		grep -v '^sandbox: ' | sed -e "s#$(cache_root)/[^/ ]*/src/##g" -e 's/^/    /' || true
	rm -rf "$scratch"
}

# oom_run_problems RUN: what went wrong in one run whose allocation failed.
oom_run_problems() {
	local run=$1 bad=0
	verdict_run "$run" "$spec_oom_status" || return 1
	if [ -n "$spec_oom_stderr" ] && ! grep -qF -- "$spec_oom_stderr" "$run/stderr"; then
		echo "It did not print \"$spec_oom_stderr\" on its error output."
		bad=1
	fi
	verdict_clean "$run" || bad=1
	return "$bad"
}

# verdict_allocation_failures RESULT: with oom-status in the spec, every
# run in which one allocation failed must stop cleanly. Shows the first
# failing run, and each later one that goes wrong in a new way.
verdict_allocation_failures() {
	local result=$1 count k failed=0 shown='' problems reports='' kinds
	[ -n "$spec_oom_status" ] || return 0
	count=$(cat "$result/allocations" 2>/dev/null || true)
	if [ -z "$count" ]; then
		echo "It did not finish normally, so its allocations could not be counted for the allocation-failure runs."
		return 1
	fi
	for k in $(seq 1 "$count"); do
		problems=$(oom_run_problems "$result/oom/$k") && continue
		failed=$((failed + 1))
		# What went wrong, in short: its problem titles, or its first line.
		kinds=$(grep -oE '^- [A-Z][^:]*:' <<<"$problems" | tr '\n' ' ')
		[ -n "$kinds" ] || kinds=$(head -n 1 <<<"$problems")
		case $shown in *"|$kinds|"*) continue ;; esac
		shown="$shown|$kinds|"
		reports="$reports"$'\n'"When allocation number $k failed:"$'\n'"$(printf '%s\n' "$problems" | sed 's/^/    /')"
	done
	[ "$failed" -gt 0 ] || return 0
	echo "When an allocation fails, it must stop cleanly: exit with status $spec_oom_status${spec_oom_stderr:+, say \"$spec_oom_stderr\" on its error output,} and release everything it holds."
	echo "The grader ran it $count more times, making allocation 1, 2, ... $count fail in turn; $failed of those runs went wrong.${reports}"
	return 1
}

# report VERDICT ARGS...: runs a verdict function for a bats test and prints
# its words only if it fails. Running it inside `if` keeps bats' errexit
# away from the verdict's own tests, so a failure is always the verdict's.
report() {
	local words
	if ! words=$("$@"); then
		printf '%s\n' "$words"
		return 1
	fi
}

# summary_differences EXPECTED ACTUAL: key-by-key, both ways.
summary_differences() {
	awk 'NR == FNR { want[$1] = $2; order[++n] = $1; next }
		{ got[$1] = $2; if (!($1 in want)) order[++n] = $1 }
		END {
			for (i = 1; i <= n; i++) {
				k = order[i]; w = (k in want) ? want[k] : "(absent)"; g = (k in got) ? got[k] : "(absent)"
				if (w != g) printf "    %-24s declared %-10s measured %s\n", k, w, g
			}
		}' "$1" "$2"
}

# workbook_exercise_verdict DIR CC: the shipped exercise builds cleanly and
# shows exactly the summary its spec declares.
workbook_exercise_verdict() {
	local dir=$1 cc=$2 result diffs
	result=$(exercise_prepare "$dir" "$cc")
	spec_load "$dir" || return 1
	verdict_build "$result" || return 1
	verdict_warnings "$result" || return 1
	if [ "$(cat "$result/memcheck.status")" != 0 ]; then
		sed 's/^/    /' "$result/memcheck.log"
		return 1
	fi
	local measured
	measured=$(declared_run "$result")/summary
	if [ -n "$spec_oom_fail_at" ] && [ ! -f "$measured" ]; then
		echo "The spec declares the run where allocation $spec_oom_fail_at fails, but the program made only $(cat "$result/allocations" 2>/dev/null || echo 0) allocations."
		return 1
	fi
	diffs=$(summary_differences <(declared_summary) "$measured")
	if [ -n "$diffs" ]; then
		echo "The shipped exercise no longer shows the bug its spec declares:"
		printf '%s\n' "$diffs"
		return 1
	fi
}

# workbook_solution_verdict DIR CC: the solution passes as a learner's would.
workbook_solution_verdict() {
	learner_verdict "$1" "$2"
}

# ------------------------------------------------- agreement of detectors

# diagnoses RESULT: what a run found, as the ids of lib/explanations.tsv
# (uaf-read, double-free, definite-leak...), one per line, sorted.
diagnoses() {
	local kind aux2 auxfn
	while IFS=$'\037' read -r kind _ _ _ aux2 _ _ _ auxfn; do
		diagnose "$kind" "$aux2" "$auxfn"
	done < <(details_rows "$1") | LC_ALL=C sort -u
}

# workbook_agreement_verdict DIR CC: Valgrind and AddressSanitizer find the
# same kinds of bug in the shipped exercise, but for the kinds its spec
# says the sanitizers cannot see (sanitizer-misses) or see besides
# (sanitizer-adds), with the reason (sanitizer-why).
workbook_agreement_verdict() {
	local dir=$1 cc=$2 vg asan id missing='' unexpected='' vg_ids asan_ids
	spec_load "$dir" || return 1
	vg=$(GRADER_DETECTOR=valgrind exercise_prepare "$dir" "$cc")
	asan=$(GRADER_DETECTOR=asan exercise_prepare "$dir" "$cc")
	GRADER_DETECTOR=asan verdict_build "$asan" || return 1
	if [ "$(cat "$asan/memcheck.status")" != 0 ]; then
		echo "The AddressSanitizer run could not be read:"
		sed 's/^/    /' "$asan/memcheck.log"
		return 1
	fi
	vg=$(declared_run "$vg") asan=$(declared_run "$asan")
	if [ ! -f "$vg/details" ] || [ ! -f "$asan/details" ]; then
		echo "The run the spec declares is missing."
		return 1
	fi
	vg_ids=$(diagnoses "$vg") asan_ids=$(diagnoses "$asan")
	for id in $vg_ids; do
		grep -qx -- "$id" <<<"$asan_ids" || case " $spec_sanitizer_misses " in *" $id "*) ;; *) missing="$missing $id" ;; esac
	done
	for id in $asan_ids; do
		grep -qx -- "$id" <<<"$vg_ids" || case " $spec_sanitizer_adds " in *" $id "*) ;; *) unexpected="$unexpected $id" ;; esac
	done
	[ -n "$missing$unexpected" ] || return 0
	echo "Valgrind found:         $(tr '\n' ' ' <<<"$vg_ids")"
	echo "AddressSanitizer found: $(tr '\n' ' ' <<<"$asan_ids")"
	[ -z "$missing" ] || echo "AddressSanitizer missed:$missing (if it cannot see them, say why: sanitizer-misses, sanitizer-why)"
	[ -z "$unexpected" ] || echo "AddressSanitizer also found:$unexpected (if that is expected, say why: sanitizer-adds, sanitizer-why)"
	return 1
}
