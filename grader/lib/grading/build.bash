# shellcheck shell=bash
# shellcheck disable=SC2154 # the spec_* variables come from spec_load (spec.bash)
# Building and running an exercise once, sandboxed, into the result cache:
# its files staged apart (the C and header files for the compiler, the
# data for the run), the allocation-failure series, and the cache keys.
# Sourced by exercise.bash.

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
			cd "$GRADER_DIR" && find memcheck lib -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
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
	# A result this machine could not make (see machine_failed) was left
	# unfinished by an earlier job: it is made again, never read.
	if [ -d "$out" ] && [ ! -f "$out/done" ]; then rm -rf "$out"; fi
	tmp=$(mktemp -d "$root/tmp.XXXXXX")
	exercise_build_and_run "$dir" "$cc" "$tmp"
	machine_failed "$tmp" || : >"$tmp/done"
	# Another job may have produced the same result meanwhile: keep theirs.
	if ! mv -T "$tmp" "$out" 2>/dev/null; then rm -rf "$tmp"; fi
	if [ -n "${lock:-}" ]; then
		rm -f "$root/$key.lock"
		exec {lock}>&-
	fi
	printf '%s\n' "$out"
}

# machine_failed RESULT: RESULT says what this machine lacks, not what the
# program did (memcheck exited 3: a tool missing or broken; the grader's
# own object did not compile). It is shown once and never kept, so that
# the next run, on a mended machine, grades the program.
machine_failed() {
	local status
	[ ! -e "$1/machine-failed" ] || return 0
	for status in "$1/memcheck.status" "$1"/oom/*/memcheck.status "$1"/cases/*/memcheck.status; do
		[ ! -f "$status" ] || [ "$(cat "$status")" != 3 ] || return 0
	done
	return 1
}

# Allocation-failure mode (see grader/lib/detectors/failalloc.c): the functions the
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
# grader/lib/isolation/sandbox, writing only into the result folder, unless
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
		wrap=("$GRADER_DIR/lib/isolation/sandbox" --writable "$out/src" --writable "$out/cc-tmp" --keep-fd 8
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
		if ! "$cc" "${CFLAGS_FIXED[@]}" -c -o "$tmp" "$GRADER_DIR/lib/detectors/$name.c" >"$out/$name.log" 2>&1; then
			rm -f "$tmp"
			cat "$out/$name.log" >"$out/build.log"
			echo 1 >"$out/build.status"
			: >"$out/machine-failed"
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
	local dir=$1 cc=$2 out=$3 sources=() extra=() flags=() trace=() f i rc bypass
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
	for i in "${!sources[@]}"; do
		case ${sources[i]} in -*) sources[i]=./${sources[i]} ;; esac
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
	# The cases need nothing of the main run: they run beside it, so that
	# a check waits for the longer of the two, not for both.
	local cases_pid=''
	if [ -n "$spec_cases" ]; then
		run_cases "$dir" "$out" &
		cases_pid=$!
	fi
	if [ -n "$spec_oom_status" ]; then
		run_once "$out" "$out" "$out/stdin" "$spec_args" --count-allocations "$out/allocations"
		[ -s "$out/allocations" ] && run_allocation_failures "$out"
	else
		run_once "$out" "$out" "$out/stdin" "$spec_args"
	fi
	[ -z "$cases_pid" ] || wait "$cases_pid" || true
	return 0
}

# run_cases DIR OUT: the program run on the input of each of DIR's visible
# cases, in parallel, into OUT/cases/NAME, beside what the case expects
# (expected, expected-status).
run_cases() {
	local dir=$1 out=$2 name
	[ -n "$spec_cases" ] || return 0
	for name in $spec_cases; do
		mkdir -p "$out/cases/$name"
		case_load "$dir/cases/$name.case" >/dev/null
		printf '%s' "$case_stdin" >"$out/cases/$name/stdin"
		printf '%s' "$case_stdout" >"$out/cases/$name/expected"
		printf '%s\n' "$case_status" >"$out/cases/$name/expected-status"
		printf '%s\n' "$case_args" >"$out/cases/$name/args"
	done
	# shellcheck disable=SC2086 # case names are words without spaces
	printf '%s\n' $spec_cases | xargs -r -P "${JOBS:-2}" -I{} "$GRADER_DIR/lib/grading/prepare" --case-run "$out" {}
}

# run_once OUT RESULT STDIN ARGS [MEMCHECK-OPTION...]: runs the built program
# once under memcheck with STDIN and ARGS (words split on spaces), in a
# scratch folder holding the spec's
# data files (OUT/data), and leaves summary, stdout, stderr, details and
# memcheck.{log,status} in RESULT. In a sandbox that scratch folder is a
# private copy in memory, gone with the run. No program may exec or fork
# (memcheck refuses it: its report could not be trusted).
run_once() {
	local out=$1 result=$2 stdin=$3 args=() sandbox=()
	# shellcheck disable=SC2206 # args are plain words, split on spaces
	[ -z "$4" ] || args=($4)
	shift 4
	mkdir -p "$result/run"
	cp -R -- "$out/data/." "$result/run/"
	! sandbox_enabled || sandbox=(--sandbox "$result/run")
	set +e
	(cd "$result/run" && "$GRADER_DIR/memcheck" --detector "$(detector)" --timeout "$RUN_TIMEOUT" \
		--stdin "$stdin" --stdout "$result/stdout" --stderr "$result/stderr" \
		--details "$result/details" --crash-site "$result/crash-site" --source-dir "$out/src" ${sandbox[@]+"${sandbox[@]}"} "$@" \
		"$out/program" ${args[@]+"${args[@]}"}) >"$result/summary" 2>>"$result/memcheck.log"
	echo $? >"$result/memcheck.status"
	set -e
	rm -rf "$result/run"
	keep_what_verdicts_read "$out" "$result"
}

# keep_what_verdicts_read OUT RESULT: a run's output cut to what a verdict
# reads, so that a program that prints all it may (8 MiB a stream, a run)
# fills no disk however many runs a check makes: its standard output up to
# 1 MiB past what it should print (more, and it differs anyway; the diff
# shows its start), and of its standard error the first and last 32 KiB
# (the verdict quotes its first and last lines).
keep_what_verdicts_read() {
	local out=$1 result=$2 expected size
	if [ -f "$result/expected" ]; then
		expected=$(stat -c %s "$result/expected")
	elif [ "$result" = "$out" ]; then
		expected=$(printf '%s' "$spec_stdout" | wc -c)
	else
		expected=0
	fi
	size=$(stat -c %s "$result/stdout" 2>/dev/null || echo 0)
	[ "$size" -le $((expected + 1048576)) ] || truncate -s $((expected + 1048576)) "$result/stdout"
	size=$(stat -c %s "$result/stderr" 2>/dev/null || echo 0)
	if [ "$size" -gt 65536 ]; then
		{
			head -c 32768 "$result/stderr"
			printf '\n[... %s bytes left out ...]\n' $((size - 65536))
			tail -c 32768 "$result/stderr"
		} >"$result/stderr.cut"
		mv -f "$result/stderr.cut" "$result/stderr"
	fi
}

# Runs the program once for every allocation it makes, with that one made
# to fail (results in OUT/oom/N), in parallel.
run_allocation_failures() {
	local out=$1 count
	count=$(cat "$out/allocations")
	case $count in '' | *[!0-9]*) return 0 ;; esac
	mkdir -p "$out/oom"
	seq 1 "$count" | xargs -r -P "${JOBS:-2}" -I{} "$GRADER_DIR/lib/grading/prepare" --oom-run "$out" {}
}

# summary_value FILE KEY
summary_value() {
	local key value
	while read -r key value; do
		[ "$key" != "$2" ] || { printf '%s\n' "$value"; return 0; }
	done <"$1"
	echo 0
}
