# print_summary: grader/memcheck's summary, the same for both detectors
# (lib/detectors/valgrind-report.awk, lib/detectors/asan-report.awk). The keys and their order
# are a public interface (README, "The memcheck tool"): the fixed keys,
# then one line per error kind seen, sorted by name. BYTES and BLOCKS are
# indexed by Valgrind's leak kinds (Leak_DefinitelyLost...), PER_KIND by
# error kind.
function print_summary(errors, contexts, bytes, blocks, fds, status, signame, timed_out, per_kind,
	leaks, i, kv, nk, names, t, j, x) {
	print "errors " (errors + 0)
	print "contexts " (contexts + 0)
	split("definitely_lost:Leak_DefinitelyLost indirectly_lost:Leak_IndirectlyLost possibly_lost:Leak_PossiblyLost still_reachable:Leak_StillReachable", leaks, " ")
	for (i = 1; i <= 4; i++) {
		split(leaks[i], kv, ":")
		# "in", not a lookup: a lookup would add the key to the array.
		print kv[1] "_bytes " ((kv[2] in bytes) ? bytes[kv[2]] + 0 : 0)
		print kv[1] "_blocks " ((kv[2] in blocks) ? blocks[kv[2]] + 0 : 0)
	}
	print "fds_leaked " (fds + 0)
	print "exit_status " status
	print "signal " signame
	print "timed_out " (timed_out + 0)
	nk = 0
	for (t in per_kind) names[++nk] = t
	for (i = 2; i <= nk; i++)
		for (j = i; j > 1 && names[j - 1] > names[j]; j--) { x = names[j]; names[j] = names[j - 1]; names[j - 1] = x }
	for (i = 1; i <= nk; i++) print names[i] " " per_kind[names[i]]
}
