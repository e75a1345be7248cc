#include "logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace capprof {

void setup_logging(int verbose, bool quiet) {
    // spdlog's default logger writes to stdout, which belongs to the workload.
    static const auto logger = [] {
        auto log = std::make_shared<spdlog::logger>(
            "capprof", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        log->set_pattern("capprof: %v");
        log->flush_on(spdlog::level::trace);
        spdlog::set_default_logger(log);
        return log;
    }();
    auto level = spdlog::level::info;
    if (verbose >= 2) level = spdlog::level::trace;
    else if (verbose == 1) level = spdlog::level::debug;
    else if (quiet) level = spdlog::level::warn;
    logger->set_level(level);
}

}  // namespace capprof
