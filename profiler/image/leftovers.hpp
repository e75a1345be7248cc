#pragma once
// Every container capprof starts carries the label capprof.owner=BOOT/PID/
// START: the boot id of this machine, capprof's pid and that process's start
// time (/proc/PID/stat field 22), so that a reused pid is not taken for the
// capprof that made the container. Each --image run first removes the
// containers (and their anonymous volumes) and the temporary directories of
// capprofs of this machine that no longer run: those of a capprof that was
// killed (SIGKILL leaves them).
#include <optional>
#include <string>

namespace capprof {

class DockerCli;

inline constexpr const char* owner_label_key = "capprof.owner";

struct Owner {
    std::string boot_id;
    long pid = 0;
    unsigned long long start_time = 0;
};

// This capprof process.
Owner current_owner();
std::string owner_label(const Owner& owner);          // "BOOT/PID/START"
std::optional<Owner> parse_owner_label(const std::string& label);
// The prefix of this capprof's temporary directories: "capprof-image-PID-START-".
std::string owner_dir_prefix(const Owner& owner);

// Whether `owner` is a capprof process that still runs on this machine;
// true also for an owner of another machine (boot id), which is left alone.
bool owner_alive(const Owner& owner);

// Removes the labelled containers and the temporary directories (in `tmp`)
// of capprofs of this machine that are gone; returns how many containers.
int sweep_leftovers(const DockerCli& docker, const std::string& tmp);

}  // namespace capprof
