# Turns the reports of AddressSanitizer, LeakSanitizer and UBSan (their
# log_path files, one per process) into grader/memcheck's summary (printed
# by lib/detectors/summary.awk) and
# --details rows, in Valgrind's vocabulary: a heap-use-after-free READ is an
# InvalidRead whose block was "free'd", a direct leak is Leak_DefinitelyLost,
# and so on, so that one set of verdicts and explanations serves both
# detectors. Used by `grader/memcheck --detector asan`.
#
# Input: the report files, each line prefixed by "PID<TAB>", then the lines
# of grader/lib/detectors/fdcheck.c ("PID<TAB>fd<TAB>N<TAB>PATH").
# Variables: srcdir (sites are shown relative to it), details (file for the
# --details rows, or ""), rc (the exit status the run ended with),
# timed_out, crash (file for where a fault stopped the program, or "").
#
# What the sanitizers cannot tell, the summary says as Valgrind would say
# nothing: LeakSanitizer does not report reachable memory and does not tell
# "possibly" from "definitely" lost, so those keys stay 0.

# The sanitizers' own frames (interceptors, the allocator) are never the
# place to show: the program's code that called them is.
function runtime_frame(i, f) {
	return fr_file[i, f] ~ /libsanitizer|compiler-rt|sanitizer_common|\/asan\// ||
		fr_fn[i, f] ~ /^(__interceptor_|__asan|__sanitizer|__lsan|__ubsan)/
}

# Where an error happened, as lib/detectors/valgrind-report.awk says it: up
# to three frames in the program's source folder joined by " < ", after
# "inside FN < " when the first of them called into the C library (not
# the allocator, nor the sanitizers' own code); else the first frame with
# a file that is not the sanitizers' own, else the first function named.
function site(i,    f, best, out, n, outside, fn) {
	best = ""; out = ""; n = 0; outside = ""
	for (f = 1; f <= nfr[i] && n < 3; f++) {
		if (fr_file[i, f] != "" && index(fr_file[i, f], srcdir "/") == 1) {
			if (n == 0 && outside != "") out = "inside " outside " < "
			out = out (n ? " < " : "") substr(fr_file[i, f], length(srcdir) + 2) ":" fr_line[i, f] " (" fr_fn[i, f] ")"
			n++
		} else if (n == 0) {
			# An interceptor stands for the C library function it wraps.
			fn = fr_fn[i, f]
			if (sub(/^(__interceptor_|__wrap_)/, "", fn) || !runtime_frame(i, f))
				outside = (fn ~ /^(malloc|calloc|realloc|reallocarray|free|strdup|strndup|aligned_alloc|posix_memalign|memalign|valloc|operator new|operator delete)/) ? "" : fn
			if (best == "" && fr_file[i, f] != "" && !runtime_frame(i, f))
				best = fr_file[i, f] ":" fr_line[i, f] " (" fr_fn[i, f] ")"
		}
	}
	if (out != "") return out
	if (best != "") return best
	return (nfr[i] > 0) ? fr_fn[i, 1] : ""
}

# The function atop a stack, without the runtime's "__interceptor_" prefix.
function top_fn(i,    fn) {
	fn = (nfr[i] > 0) ? fr_fn[i, 1] : ""
	sub(/^__interceptor_/, "", fn)
	return fn
}

# True if the frames above the program's own code are the allocator's
# release functions: a crash there is a free() of something never allocated.
function crashed_in_free(i,    f, fn) {
	for (f = 1; f <= nfr[i]; f++) {
		if (index(fr_file[i, f], srcdir "/") == 1) return 0
		fn = fr_fn[i, f]
		sub(/^__interceptor_/, "", fn)
		if (fn == "free" || fn == "realloc" || fn == "reallocarray" || fn ~ /Deallocate|asan_free/) return 1
	}
	return 0
}

function new_stack() {
	nstacks++
	nfr[nstacks] = 0
	return nstacks
}

function begin(kind_) {
	finish()
	open = 1
	kind = kind_; what = ""; access = ""; size = ""; address = ""
	region = ""; free_stack = 0; alloc_stack = 0; leak_bytes = 0; leak_blocks = 0
	main_stack = new_stack(); cur = main_stack
}

# Ends the error being read: one context, in Valgrind's words.
function finish(    k, aux2, s2, aux3, s3, fn) {
	if (!open) return
	open = 0
	aux2 = ""; s2 = ""; aux3 = ""; s3 = ""; fn = ""
	k = kind
	if (k == "Leak_DefinitelyLost" || k == "Leak_IndirectlyLost") {
		lost_bytes[k] += leak_bytes; lost_blocks[k] += leak_blocks
		what = leak_bytes " bytes in " leak_blocks " blocks are " (k == "Leak_DefinitelyLost" ? "definitely" : "indirectly") " lost"
	} else if (k == "heap-use-after-free") {
		k = (access == "WRITE") ? "InvalidWrite" : "InvalidRead"
		what = "Invalid " tolower(access == "" ? "read" : access) " of size " size
		aux2 = "Address " address " is " region " free'd"; s2 = site(free_stack); fn = top_fn(free_stack)
		aux3 = "Block was alloc'd at"; s3 = site(alloc_stack)
	} else if (k == "double-free") {
		k = "InvalidFree"; what = "Invalid free() / delete / delete[] / realloc()"
		aux2 = "Address " address " is " region " free'd"; s2 = site(free_stack); fn = top_fn(free_stack)
		aux3 = "Block was alloc'd at"; s3 = site(alloc_stack)
	} else if (k == "bad-free") {
		k = "InvalidFree"; what = "Invalid free() / delete / delete[] / realloc()"
		if (region != "") { aux2 = "Address " address " is " region " alloc'd"; s2 = site(alloc_stack) }
		else aux2 = "Address " address " is not a block that malloc gave out"
	} else if (k == "crash-in-free") {
		k = "InvalidFree"; what = "Invalid free() / delete / delete[] / realloc()"
		aux2 = "Address " address " is not a block that malloc gave out (free crashed on it)"
	} else if (k == "crash") {
		k = (access == "WRITE") ? "InvalidWrite" : "InvalidRead"
		what = "Invalid " tolower(access == "" ? "read" : access)
		aux2 = "Address " address " is not stack'd, malloc'd or (recently) free'd"
	} else if (k ~ /overflow$|underflow$/) {
		k = (access == "WRITE") ? "InvalidWrite" : "InvalidRead"
		what = "Invalid " tolower(access == "" ? "read" : access) " of size " size
		if (region != "") { aux2 = "Address " address " is " region " alloc'd"; s2 = site(alloc_stack) }
		else aux2 = "Address " address " is outside the variable it was meant for"
	} else if (k == "memcpy-param-overlap" || k == "strcpy-param-overlap" || k ~ /-param-overlap$/) {
		k = "Overlap"; what = "Source and destination overlap"
	} else if (k == "alloc-dealloc-mismatch") {
		k = "MismatchedFree"; what = "Mismatched free() / delete / delete []"
	} else if (k == "out-of-memory") {
		k = "Other"; what = "The program used more memory than the grader allows (2 GiB)"
	} else if (k == "ubsan") {
		k = (what ~ /not a valid value for type/) ? "UninitCondition" : "UndefinedBehavior"
		if (k == "UninitCondition") aux2 = "An invalid value: the memory was probably never written (new blocks are filled with byte 0xbe)"
	} else {
		what = kind (access != "" ? ": " tolower(access) " of size " size : "")
		k = (access == "WRITE") ? "InvalidWrite" : (access == "READ") ? "InvalidRead" : "Other"
		aux2 = "Address " address " (AddressSanitizer: " kind ")"
	}
	# A report cut short (CHECK failed) has no stack for the block's history.
	if (s3 == "") aux3 = ""
	per_kind[k]++; errors++
	# One context per kind and places, counted, as Valgrind counts them
	# (its addresses may differ from one occurrence to the next).
	ctx = k SUBSEP what SUBSEP site(main_stack) SUBSEP s2 SUBSEP s3
	if (ctx in seen) { times[seen[ctx]]++; return }
	seen[ctx] = ++contexts
	times[contexts] = 1
	row[contexts] = k "\t%s\t" what "\t" site(main_stack) "\t" aux2 "\t" s2 "\t" aux3 "\t" s3 "\t" fn
}

# Frames: "#3 0x55d in fn /path/file.c:42:7", "#0 0x7f in fn (lib.so+0x1)",
# "#1 0x55 (prog+0x31f0)".
# A "#0" after frames is another stack (the frame of a stack address, a
# thread's creation): not this one's callers.
function frame(text,    fn, loc, n) {
	if (text ~ /^ *#0 / && nfr[cur] > 0) { cur = 0; return }
	sub(/^ *#[0-9]+ 0x[0-9a-f]+ /, "", text)
	fn = ""; loc = text
	if (substr(text, 1, 3) == "in ") {
		text = substr(text, 4)
		n = index(text, " ")
		if (n == 0) { fn = text; loc = "" } else { fn = substr(text, 1, n - 1); loc = substr(text, n + 1) }
	}
	n = ++nfr[cur]
	fr_fn[cur, n] = fn; fr_file[cur, n] = ""; fr_line[cur, n] = ""
	if (loc !~ /^\(/ && match(loc, /:[0-9]+(:[0-9]+)?$/)) {
		fr_file[cur, n] = substr(loc, 1, RSTART - 1)
		split(substr(loc, RSTART + 1), lc, ":")
		fr_line[cur, n] = lc[1]
	}
}

BEGIN { FS = "\t"; cur = 0 }

$2 == "fd" {
	fds++
	if (details != "") printf "FdLeak\t1\tOpen file descriptor %s: %s\t\t\t\t\t\t\n", $3, $4 > details
	next
}

{
	pid = $1
	line = substr($0, length($1) + 2)
	sub(/^==[0-9]+==/, "", line)
}

line ~ /^ERROR: LeakSanitizer: detected memory leaks/ { finish(); cur = 0; next }
line ~ /^(Direct|Indirect) leak of [0-9]+ byte\(s\) in [0-9]+ object\(s\)/ {
	begin(line ~ /^Direct/ ? "Leak_DefinitelyLost" : "Leak_IndirectlyLost")
	split(line, w, " ")
	leak_bytes = w[4]; leak_blocks = w[7]
	next
}
line ~ /^ERROR: AddressSanitizer: attempting double-free/ {
	begin("double-free"); address = line; sub(/.*double-free on /, "", address); sub(/ .*/, "", address); next
}
line ~ /^ERROR: AddressSanitizer: attempting free on address which was not malloc/ {
	begin("bad-free"); address = line; sub(/.*malloc\(\)-ed: /, "", address); sub(/ .*/, "", address); next
}
line ~ /^ERROR: AddressSanitizer: (SEGV|BUS|FPE|ILL) on unknown address/ {
	begin("crash"); crash_stack = main_stack
	split(line, w, " ")
	signame = "SIG" w[3]
	address = "(unknown)"
	if (w[7] ~ /^0x/) { address = substr(w[7], 3); sub(/^0+/, "", address); address = "0x" (address == "" ? "0" : address) }
	next
}
line ~ /^ERROR: AddressSanitizer: (hard rss limit exhausted|out of memory|allocator is out of memory)/ {
	begin("out-of-memory"); next
}
line ~ /^ERROR: AddressSanitizer: stack-overflow/ {
	begin("crash"); crash_stack = main_stack; stack_overflow = 1
	access = "WRITE"; address = "(the stack's end)"; signame = "SIGSEGV"; next
}
line ~ /^ERROR: AddressSanitizer: / {
	split(line, w, " ")
	sub(/:$/, "", w[3])
	begin(w[3])
	if (line ~ / on address 0x/) { address = line; sub(/.* on address /, "", address); sub(/ .*/, "", address) }
	next
}
line ~ /^[^ ]+:[0-9]+:[0-9]+: runtime error: / {
	begin("ubsan")
	what = line; sub(/^[^ ]+: runtime error: /, "", what)
	# Its place, in case no stack follows (UBSan prints one on request).
	loc = line; sub(/: runtime error: .*/, "", loc)
	cur = main_stack; frame("#0 0x0 in ? " loc)
	ub_site_pending = 1
	next
}
line ~ /^The signal is caused by a (READ|WRITE) memory access/ { split(line, w, " "); access = w[7]; next }
line ~ /^(READ|WRITE) of size [0-9]+ at / { split(line, w, " "); access = w[1]; size = w[4]; next }
line ~ /^0x[0-9a-f]+ is located [0-9]+ bytes (inside|to the right|to the left) of [0-9]+-byte region/ {
	split(line, w, " ")
	r = (w[6] == "inside") ? "inside" : (w[8] == "right") ? "after" : "before"
	sz = w[(r == "inside") ? 8 : 10]; sub(/-byte$/, "", sz)
	region = w[4] " bytes " r " a block of size " sz
	next
}
line ~ /^freed by thread .* here:/ { free_stack = new_stack(); cur = free_stack; next }
line ~ /^(previously )?allocated by thread .* here:/ { alloc_stack = new_stack(); cur = alloc_stack; next }
line ~ /CHECK failed:/ {
	# The runtime tripped over its own bookkeeping (a write into freed
	# memory can damage it): the error so far stands, nothing after it.
	cur = 0; next
}
line ~ /^ *#[0-9]+ 0x[0-9a-f]+ / {
	if (!cur || !open) next
	if (ub_site_pending) { ub_site_pending = 0; nfr[cur] = 0 }
	frame(line)
	next
}
line ~ /^SUMMARY: / {
	if (open && kind == "crash" && crashed_in_free(main_stack)) kind = "crash-in-free"
	finish(); cur = 0; ub_site_pending = 0; next
}

END {
	if (open && kind == "crash" && crashed_in_free(main_stack)) kind = "crash-in-free"
	finish()
	if (details != "")
		for (i = 1; i <= contexts; i++) { r = row[i]; sub(/%s/, times[i], r); print r > details }
	# Where the fault stopped it, as grader/memcheck --crash-site writes it.
	if (crash != "" && crash_stack && (places = site(crash_stack)) != "") {
		gsub(/ < /, "\n", places); print (stack_overflow ? "stack overflow\n" : "") places > crash
	}
	status = rc + 0
	sig = "none"
	if (signame != "") {
		# ASan reports the fault and exits by abort(); the program itself
		# died of the fault, as it would have without ASan.
		sig = signame
		split("SIGILL:4 SIGFPE:8 SIGBUS:7 SIGSEGV:11", sn, " ")
		for (i in sn) { split(sn[i], p, ":"); if (p[1] == sig) status = 128 + p[2] }
	} else if (status > 128 && status < 160) {
		split("1:SIGHUP 2:SIGINT 3:SIGQUIT 4:SIGILL 5:SIGTRAP 6:SIGABRT 7:SIGBUS 8:SIGFPE 9:SIGKILL 11:SIGSEGV 13:SIGPIPE 14:SIGALRM 15:SIGTERM 24:SIGXCPU 25:SIGXFSZ", sn, " ")
		sig = "signal " (status - 128)
		for (i in sn) { split(sn[i], p, ":"); if (p[1] == status - 128) sig = p[2] }
	}
	# LeakSanitizer tells no "possibly lost" and reports nothing reachable.
	print_summary(errors, contexts, lost_bytes, lost_blocks, fds, status, sig, timed_out, per_kind)
}
