#pragma once
// The profiler's judgement about one (aggregated) failing call.
#include <optional>
#include <string>
#include <vector>

#include "capprof/exit_status.hpp"
#include "capprof/syscall_event.hpp"

namespace capprof {

enum class Verdict { capability, file_permission, not_capability, unknown };

// "capability", "file-permission", "not-capability", "unknown" (JSON spelling).
const char* verdict_name(Verdict v);

// What the process did after the denial (docs/ARCHITECTURE.md, "Outcome"):
// stopped: it was the process's last denial and the process then exited
// unsuccessfully or was killed by a signal capprof did not send;
// carried_on: the process exited 0, was denied again later, or kept running
// to the end of a run that succeeded; unknown: anything else (still running
// at the end of a run that failed).
enum class Outcome { stopped, carried_on, unknown };

// "stopped", "carried-on", "unknown" (JSON spelling).
const char* outcome_name(Outcome o);

// Owner and mode of the file or directory a file-permission finding is about
// (the path itself, or the deepest existing directory above it).
struct FileFacts {
    std::string path;
    uid_t uid = 0;
    gid_t gid = 0;
    unsigned mode = 0;       // st_mode
};

struct Finding {
    Verdict verdict = Verdict::unknown;
    std::optional<std::string> capability;   // Docker spelling, no CAP_ prefix
    std::vector<std::string> alternatives;   // other capabilities that also fix it
    // Capabilities needed with `capability`, all at once: execve of a file
    // with several file capabilities, capset() raising several.
    std::vector<std::string> together;
    bool required = true;                    // false: the workload succeeded anyway
    // A denied setuid/setgid/setgroups away from root (privilege_drop.hpp):
    // required whatever the program did next.
    bool privilege_drop = false;
    std::string explanation;                 // why the kernel refused
    std::string fix;                         // what the user should do
    std::vector<std::string> notes;          // environment notes that change the answer
    std::string rule;                        // id of the rule that matched
    std::optional<FileFacts> file;           // file-permission: whose owner/mode refused
    SyscallEvent event;                      // the first occurrence
    std::uint64_t count = 1;                 // identical failures aggregated
    // Failing calls unlike this one (other paths or arguments, same verdict
    // and capability) counted in `count` because capprof keeps a bounded
    // number of findings (Collector).
    std::uint64_t folded = 0;
    // Of all its calls: stopped if any stopped its process, else unknown if
    // any is unknown, else carried-on. Unset when no run judged it.
    std::optional<Outcome> outcome;
    // The first line the process wrote to its fd 2 after one of these
    // calls and before its next denial or exit (at most 200 bytes, raw:
    // escaped where it is shown).
    std::optional<std::string> message;
    // How the process this call stopped ended (outcome stopped).
    std::optional<ExitStatus> stopped_exit;
    // The step of a unit whose command made the call ("ExecStartPre=..."),
    // "" outside units (EventSink::on_step).
    std::string step;
};

}  // namespace capprof
