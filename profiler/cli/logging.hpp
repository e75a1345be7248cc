#pragma once
// capprof's own log (spdlog): one line per message on stderr, "capprof: ...".
// The workload's stdout/stderr are never touched.

namespace capprof {

// verbose: 0 = info (warnings and notices), 1 = debug (-v), 2+ = trace (-vv).
// quiet (-q): warnings and errors only.
void setup_logging(int verbose = 0, bool quiet = false);

}  // namespace capprof
