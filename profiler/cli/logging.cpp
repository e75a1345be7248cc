#include "cli/logging.hpp"

#include <unistd.h>

#include <mutex>
#include <string_view>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "common/output_file.hpp"

namespace capprof {

namespace {

// spdlog's stderr sink writes with fwrite(3): on a closed pipe that raises
// SIGPIPE, which kills capprof. write_all() reports EPIPE instead; a lost
// log line is not worth more.
class StderrSink : public spdlog::sinks::base_sink<std::mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& message) override {
        spdlog::memory_buf_t line;
        formatter_->format(message, line);
        write_all(STDERR_FILENO, std::string_view(line.data(), line.size()));
    }
    void flush_() override {}
};

}  // namespace

void setup_logging(int verbose, bool quiet) {
    // spdlog's default logger writes to stdout, which belongs to the workload.
    static const auto logger = [] {
        auto log = std::make_shared<spdlog::logger>("capprof", std::make_shared<StderrSink>());
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
