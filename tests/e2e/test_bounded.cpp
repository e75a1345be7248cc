// Bounded resources whatever the workload does: 100,000 distinct failing
// calls (tests/progs/many_denials) once took 692 MB of RSS, a 65 MB text
// report and a 97 MB JSON report. capprof keeps a bounded number of findings
// and folds the rest into counts, without losing a capability.
#include "e2e_helpers.hpp"

namespace capprof::e2e {
namespace {

constexpr long max_rss_kib = 64 * 1024;

// Under AddressSanitizer capprof's peak RSS is ASan's shadow memory and
// quarantine (about 450 MB here) and it runs 5-10 times slower: the memory
// bound is checked in the normal build, and the sanitized build runs a fifth
// of the calls (still far beyond the finding limits) for its memory errors.
#ifdef CAPPROF_SANITIZED
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
std::uint64_t calls(std::uint64_t normal) { return sanitized ? normal / 5 : normal; }

struct BoundedRun {
    CommandResult process;
    long peak_rss_kib = -1;  // capprof's, measured by /usr/bin/time (wait4)
    std::string text;
    json report;
};

// `capprof run --json --report -- many_denials DIR N [long]` under /usr/bin/time.
BoundedRun run_many_denials(const TempDir& tmp, const std::string& count, bool hostile) {
    const std::string locked = tmp.dir("locked", 0700, 1000, 1000);
    std::vector<std::string> argv{"/usr/bin/time", "-f", "capprof-peak-rss-kib=%M", capprof_bin(), "run",
                                  "--json", tmp / "report.json", "--report", tmp / "report.txt", "--",
                                  prog("many_denials"), locked, count};
    if (hostile) argv.push_back("long");
    BoundedRun run;
    run.process = run_command(argv, 900s);
    const std::string marker = "capprof-peak-rss-kib=";
    if (auto at = run.process.err.rfind(marker); at != std::string::npos)
        run.peak_rss_kib = std::stol(run.process.err.substr(at + marker.size()));
    run.text = read_file(tmp / "report.txt");
    run.report = json::parse(read_file(tmp / "report.json"), nullptr, false);
    return run;
}

std::uint64_t denied_opens(const json& report) {
    std::uint64_t calls = 0;
    for (const auto& f : report["findings"])
        if (f.value("syscall", "") == "openat" || f.value("syscall", "") == "open") calls += f.value("count", 0ull);
    return calls;
}

void expect_bounded(const BoundedRun& run, std::uint64_t calls) {
    EXPECT_FALSE(run.process.timed_out) << run.process;
    EXPECT_TRUE(run.process.exited(1)) << run.process;
    ASSERT_GT(run.peak_rss_kib, 0) << run.process;
    if (!sanitized) {
        EXPECT_LT(run.peak_rss_kib, max_rss_kib) << "capprof's peak RSS";
    }
    EXPECT_LT(run.text.size(), 256u * 1024) << "a readable text report";
    ASSERT_TRUE(run.report.is_object()) << run.process;
    EXPECT_LT(run.report.dump().size(), 2u * 1024 * 1024) << "a bounded JSON report";
    // Folding keeps every capability asked for: the bind that stopped the
    // program is recommended, the opens it carried on past are optional.
    EXPECT_EQ(run.report["cap_add"], json({"NET_BIND_SERVICE"})) << "folding keeps every capability asked for";
    EXPECT_EQ(run.report["optional"], json({"DAC_READ_SEARCH"})) << "folding keeps every capability asked for";
    EXPECT_EQ(denied_opens(run.report), calls) << "every denied call is counted";
    std::uint64_t folded = 0;
    for (const auto& f : run.report["findings"]) folded += f.value("folded", 0ull);
    EXPECT_GT(folded, calls / 2) << "most calls were folded";
    EXPECT_NE(run.text.find("other calls folded in"), std::string::npos);
    EXPECT_NE(run.text.find("capprof keeps at most 32 findings per rule"), std::string::npos);
    std::cout << "[   INFO   ] peak RSS " << run.peak_rss_kib << " KiB, text report " << run.text.size()
              << " bytes, JSON " << run.report.dump().size() << " bytes, " << run.process.seconds << " s\n";
}

TEST(Bounded, HundredThousandDistinctFailingPaths) {
    require_root();
    TempDir tmp;
    BoundedRun run = run_many_denials(tmp, std::to_string(calls(100000)), false);
    expect_bounded(run, calls(100000));
}

TEST(Bounded, LongHostilePathsAreCutWhereTheyAreStored) {
    require_root();
    TempDir tmp;
    BoundedRun run = run_many_denials(tmp, std::to_string(calls(20000)), true);
    expect_bounded(run, calls(20000));
    for (const auto& f : run.report["findings"])
        EXPECT_LE(f.value("args", "").size(), 1024u + 3) << f.dump();
}

}  // namespace
}  // namespace capprof::e2e
