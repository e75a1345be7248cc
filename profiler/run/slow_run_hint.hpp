#pragma once
// minimize of a server without --probe or --duration waits for it to exit,
// which a server never does: after `after` seconds of one trial, say what
// to add instead of waiting silently. A thread that sleeps until the trial
// ends (the destructor) or the time is up, whichever comes first.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace capprof {

class SlowRunHint {
public:
    SlowRunHint(double after_seconds, std::function<void()> say);
    ~SlowRunHint();
    SlowRunHint(const SlowRunHint&) = delete;
    SlowRunHint& operator=(const SlowRunHint&) = delete;

private:
    std::mutex mutex_;
    std::condition_variable ended_;
    bool done_ = false;
    std::thread thread_;
};

// The hint: what to add so minimize can tell when a server works.
std::string slow_run_hint_text(double after_seconds);

}  // namespace capprof
