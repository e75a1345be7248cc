#include "capprof/finding.hpp"

namespace capprof {

const char* verdict_name(Verdict v) {
    switch (v) {
    case Verdict::capability: return "capability";
    case Verdict::file_permission: return "file-permission";
    case Verdict::not_capability: return "not-capability";
    case Verdict::unknown: return "unknown";
    }
    return "unknown";
}

const char* outcome_name(Outcome o) {
    switch (o) {
    case Outcome::stopped: return "stopped";
    case Outcome::carried_on: return "carried-on";
    case Outcome::unknown: return "unknown";
    }
    return "unknown";
}

}  // namespace capprof
