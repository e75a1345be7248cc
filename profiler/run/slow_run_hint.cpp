#include "run/slow_run_hint.hpp"

#include <chrono>

namespace capprof {

SlowRunHint::SlowRunHint(double after_seconds, std::function<void()> say) {
    thread_ = std::thread([this, after_seconds, say = std::move(say)] {
        std::unique_lock lock(mutex_);
        const auto wait = std::chrono::duration<double>(after_seconds);
        if (ended_.wait_for(lock, wait, [this] { return done_; })) return;
        say();
    });
}

SlowRunHint::~SlowRunHint() {
    {
        std::lock_guard lock(mutex_);
        done_ = true;
    }
    ended_.notify_all();
    thread_.join();
}

std::string slow_run_hint_text(double after_seconds) {
    return "the workload is still running after " + std::to_string(static_cast<int>(after_seconds)) +
           " s; minimize waits for it to exit. If it is a server, stop it and give --probe CMD (a command "
           "that succeeds once it serves, e.g. --probe 'curl -sf http://localhost/') or --duration SECONDS";
}

}  // namespace capprof
