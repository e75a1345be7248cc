// Rule rows: calls that change capabilities themselves.
// Rows are matched in the order rules.cpp concatenates the sections (first
// match wins); each names its predicate (rule_predicates.hpp).
#include "classify/rule_sections.hpp"

namespace capprof::rule_rows {

// Capabilities themselves.
// NOLINTNEXTLINE(readability-function-size): rule rows
std::vector<Rule> capability_rules() {
    return {
        {
            .id = "ambient-raise",
            .syscalls = "prctl",
            .err = EPERM,
            .condition = "PR_CAP_AMBIENT_RAISE of a capability not permitted+inheritable",
            .when = prctl_ambient_raise,
            .verdict = cap,
            .capability = "{arg_cap}",
            .explanation = "raising {arg_cap} into the ambient set requires holding it in the permitted and inheritable sets "
                "(kernel/sys.c / commoncap: no other capability allows it)",
            .fix = "--cap-add {arg_cap} (Docker puts added capabilities into both sets)",
        },
        {
            .id = "capbset-drop",
            .syscalls = "prctl",
            .err = EPERM,
            .condition = "PR_CAPBSET_DROP",
            .when = prctl_capbset_drop,
            .verdict = cap,
            .capability = "SETPCAP",
            .explanation = "dropping from the bounding set needs CAP_SETPCAP",
            .fix = "--cap-add SETPCAP, or start with --cap-drop",
        },
        {
            .id = "securebits",
            .syscalls = "prctl",
            .err = EPERM,
            .condition = "PR_SET_SECUREBITS",
            .when = prctl_securebits,
            .verdict = cap,
            .capability = "SETPCAP",
            .explanation = "changing securebits needs CAP_SETPCAP (and fails for locked bits)",
            .fix = "--cap-add SETPCAP",
        },
        {
            .id = "capset-permitted",
            .syscalls = "capset",
            .err = EPERM,
            .condition = "asks for permitted capabilities the task does not hold",
            .when = capset_raises_permitted,
            .verdict = cap,
            .capability = "{capset_cap}",
            .explanation = "capset() asked for permitted capabilities the task does not hold ({capset_missing}); no capability "
                "allows raising the permitted set, only holding them from the start",
            .fix = "--cap-add {capset_missing}",
            .together = "{capset_together}",
        },
        {
            .id = "capset-bounding",
            .syscalls = "capset",
            .err = EPERM,
            .condition = "adds inheritable capabilities outside the bounding set",
            .when = capset_beyond_bounding,
            .verdict = cap,
            .capability = "{capset_cap}",
            .explanation = "capset() added {capset_missing} to the inheritable set, outside the bounding set: "
                "not even CAP_SETPCAP allows that",
            .fix = "--cap-add {capset_missing} (Docker puts added capabilities into the bounding and inheritable sets)",
            .together = "{capset_together}",
        },
        {
            .id = "capset-effective-raise",
            .syscalls = "capset",
            .err = EPERM,
            .condition = "raises effective capabilities the task does not hold",
            .when = capset_raises_effective,
            .verdict = cap,
            .capability = "{capset_cap}",
            .explanation = "capset() asked for effective {capset_missing}, which the task does not hold: a program raises a "
                "capability it expects to have been given (setcap raises SETFCAP)",
            .fix = "--cap-add {capset_missing}",
            .together = "{capset_together}",
        },
        {
            .id = "capset-effective",
            .syscalls = "capset",
            .err = EPERM,
            .condition = "effective set not within the new permitted set",
            .when = capset_effective_beyond_permitted,
            .verdict = none,
            .capability = "",
            .explanation = "capset() asked for effective capabilities outside the permitted set it set at the same time: the "
                "program's request is inconsistent, no capability changes that",
            .fix = "fix the program's capset() call (or libcap use)",
        },
        {
            .id = "capset",
            .syscalls = "capset",
            .err = EPERM,
            .condition = "adds inheritable capabilities outside the permitted set",
            .when = capset_setpcap,
            .verdict = cap,
            .capability = "SETPCAP",
            .explanation = "capset() may add to the inheritable set beyond the permitted set only with CAP_SETPCAP",
            .fix = "--cap-add SETPCAP, or --cap-add the capabilities the program puts into its inheritable set",
            .notes = {"check-based tools report SETPCAP for every capset(); this call really failed"},
        },
    };
}

}  // namespace capprof::rule_rows
