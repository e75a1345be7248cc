#include "trial_plan.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace capprof {

namespace {

// What Docker (runc's readonlyPaths) makes read-only in /proc: uid 0 without
// capabilities may otherwise write most sysctls and /proc/sysrq-trigger,
// which act on the whole host.
constexpr std::array<std::string_view, 5> read_only_proc_paths = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
// Mounted read-only as a whole, with everything below it (Docker's /sys).
constexpr std::string_view read_only_tree = "/sys";

constexpr unsigned long kept_flags =
    MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME;

enum class Treatment { skip, overlay, bind, bind_read_only, copy };

Treatment treatment_of(const MountEntry& mount, const PathFacts& facts, const TrialPlanInput& input) {
    if (!facts.exists || path_is_under(mount.mount_point, input.hidden_dir)) return Treatment::skip;
    if (path_is_under(mount.mount_point, read_only_tree)) return Treatment::bind_read_only;
    if (is_pseudo_filesystem(mount.fstype)) return Treatment::bind;
    if (mount.read_only) return Treatment::bind_read_only;
    if (!facts.directory) {
        if (!facts.regular) return Treatment::bind;  // a device, socket or fifo: no content to protect
        return facts.size <= max_copied_file_size ? Treatment::copy : Treatment::bind_read_only;
    }
    return Treatment::overlay;
}

class Planner {
public:
    explicit Planner(const TrialPlanInput& input) : input_(input) {
        plan_.new_root = input.trial_dir + "/root";
        plan_.directories.push_back({input.trial_dir, 0700, 0, 0});
        plan_.directories.push_back({plan_.new_root, 0700, 0, 0});
    }

    TrialPlan finish() {
        hide_capprofs_own_layers();
        return std::move(plan_);
    }

    // A socket in an overlaid mount would refuse connections (af_unix finds
    // sockets by inode, and the overlay's is not the socket's): the host's
    // own socket file is bound over it.
    void reach_host_sockets() {
        for (const std::string& socket : input_.sockets) {
            const Treatment* on = nullptr;
            std::size_t longest = 0;
            for (const auto& [point, treatment] : decided_) {
                if (path_is_under(socket, point) && point.size() >= longest) {
                    on = &treatment;
                    longest = point.size();
                }
            }
            if (on && *on == Treatment::overlay && !path_is_under(socket, input_.hidden_dir))
                bind(socket, inside(socket), "bind of socket " + socket);
        }
    }

    void add(const MountEntry& mount) {
        const PathFacts facts = input_.lookup(mount.mount_point);
        const std::string target = inside(mount.mount_point);
        const Treatment treatment = treatment_of(mount, facts, input_);
        decided_.emplace_back(mount.mount_point, treatment);
        switch (treatment) {
            case Treatment::skip: return;
            case Treatment::overlay: overlay(mount, facts, target); break;
            case Treatment::bind: bind(mount.mount_point, target, "bind of " + mount.mount_point); break;
            case Treatment::bind_read_only: bind_read_only(mount.mount_point, target, mount.flags); break;
            case Treatment::copy: copy(mount, target); break;
        }
        if (mount.fstype == "proc" && mount.mount_point == "/proc") proc_flags_ = mount.flags;
    }

    void make_proc_read_only() {
        if (!proc_flags_) return;
        for (std::string_view path : read_only_proc_paths) {
            if (!input_.lookup(std::string(path)).exists) continue;
            // Recursive: what is mounted below (binfmt_misc) stays reachable.
            std::string target = inside(std::string(path));
            step(target, target, "", "", MS_BIND | MS_REC, "bind of " + std::string(path));
            remount_read_only(target, *proc_flags_, std::string(path));
        }
    }

private:
    std::string inside(const std::string& path) const {
        return path == "/" ? plan_.new_root : plan_.new_root + path;
    }

    void step(std::string source, std::string target, std::string fstype, std::string data,
              unsigned long flags, std::string what) {
        plan_.steps.push_back({std::move(source), std::move(target), std::move(fstype), std::move(data), flags,
                               std::move(what)});
    }

    void overlay(const MountEntry& mount, const PathFacts& lower, const std::string& target) {
        const std::string layer = input_.trial_dir + "/" + std::to_string(plan_.overlays++);
        plan_.directories.push_back({layer, 0700, 0, 0});
        plan_.directories.push_back({layer + "/upper", lower.mode, lower.uid, lower.gid});
        plan_.directories.push_back({layer + "/work", 0700, 0, 0});
        // redirect_dir: a lower directory can be renamed (else EXDEV); index:
        // hard links stay links after copy-up; metacopy: chown, chmod and
        // chattr of a big file copy its metadata, not its data.
        std::string data = "lowerdir=" + overlay_escape(mount.mount_point) +
                           ",upperdir=" + overlay_escape(layer + "/upper") +
                           ",workdir=" + overlay_escape(layer + "/work") +
                           ",redirect_dir=on,index=on,metacopy=on";
        step("overlay", target, "overlay", std::move(data), mount.flags & kept_flags,
             "overlay on " + mount.mount_point);
    }

    void bind(const std::string& source, const std::string& target, std::string what) {
        step(source, target, "", "", MS_BIND, std::move(what));
    }

    void bind_read_only(const std::string& source, const std::string& target, unsigned long flags) {
        bind(source, target, "bind of " + source);
        remount_read_only(target, flags, source);
    }

    void remount_read_only(const std::string& target, unsigned long flags, const std::string& shown) {
        // A bind mount takes its flags at remount (mount(2), MS_REMOUNT|MS_BIND):
        // keep nosuid/nodev/noexec, atime flags left out stay as they are.
        step("", target, "", "", MS_REMOUNT | MS_BIND | MS_RDONLY | (flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC)),
             "read-only " + shown);
    }

    void copy(const MountEntry& mount, const std::string& target) {
        const std::string files = input_.trial_dir + "/files";
        if (plan_.copies.empty()) plan_.directories.push_back({files, 0700, 0, 0});
        const std::string to = files + "/" + std::to_string(plan_.copies.size());
        plan_.copies.push_back({mount.mount_point, to});
        bind(to, target, "copy of " + mount.mount_point);
    }

    void hide_capprofs_own_layers() {
        if (input_.hidden_dir.empty() || !input_.lookup(input_.hidden_dir).directory) return;
        step("tmpfs", inside(input_.hidden_dir), "tmpfs", "size=4k,mode=0755",
             MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "empty " + input_.hidden_dir);
    }

    const TrialPlanInput& input_;
    TrialPlan plan_;
    std::vector<std::pair<std::string, Treatment>> decided_;  // by mount point
    std::optional<unsigned long> proc_flags_;
};

}  // namespace

bool is_pseudo_filesystem(const std::string& fstype) {
    static const std::array<std::string_view, 24> pseudo = {
        "proc",     "sysfs",     "devpts",    "cgroup",      "cgroup2",  "mqueue",
        "securityfs", "debugfs", "tracefs",   "pstore",      "bpf",      "configfs",
        "fusectl",  "hugetlbfs", "binfmt_misc", "efivarfs",  "selinuxfs", "autofs",
        "nsfs",     "rpc_pipefs", "nfsd",     "smackfs",     "apparmorfs", "resctrl"};
    return std::find(pseudo.begin(), pseudo.end(), fstype) != pseudo.end();
}

std::string overlay_escape(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (c == ',' || c == ':' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

TrialPlan plan_trial(const TrialPlanInput& input) {
    Planner planner(input);
    for (const MountEntry& mount : input.mounts) planner.add(mount);
    planner.reach_host_sockets();
    planner.make_proc_read_only();
    return planner.finish();
}

}  // namespace capprof
