#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.cpp) with clang and
# ASan+UBSan into build-fuzz/, then runs each for FUZZ_SECONDS (default 20)
# starting from its seed corpus in tests/fuzz/corpus/NAME/. Exits non-zero
# when a target crashes, leaks, times out or a sanitizer reports anything;
# the input that did it is kept in build-fuzz/fuzz-artifacts/.
#   FUZZ_SECONDS=N     seconds per target
#   FUZZ_TARGETS="a b" run only these targets
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-20}

cc=$(command -v clang-14 || command -v clang)
cxx=$(command -v clang++-14 || command -v clang++)
# fuzzer-no-link: the libraries report coverage to libFuzzer too.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" \
    -DCAPPROF_FUZZ=ON -DCAPPROF_SANITIZE=ON >/dev/null
cmake --build "$build" --target capprof_fuzzers -j2 >/dev/null ||
    cmake --build "$build" --target capprof_fuzzers -j1

targets=${FUZZ_TARGETS:-$(cd "$root/tests/fuzz" && ls fuzz_*.cpp | sed 's/\.cpp$//')}
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
failed=()
for name in $targets; do
    binary="$build/tests/fuzz/$name"
    seeds="$root/tests/fuzz/corpus/$name"
    # New inputs go to a scratch corpus; the committed seeds stay small.
    work="$build/fuzz-corpus/$name"
    mkdir -p "$work"
    echo "fuzz: $name for ${seconds}s" >&2
    log="$build/fuzz-$name.log"
    if ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1 \
       UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
       "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
           -max_len=16384 -print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
           "$work" "$seeds" >"$log" 2>&1; then
        grep -E '^stat::number_of_executed_units' "$log" | sed "s/^/fuzz: $name /" >&2 || true
    else
        echo "fuzz: $name FAILED (log: $log)" >&2
        grep -E -A30 'ERROR: |runtime error|==[0-9]+==|Test unit written' "$log" | head -60 >&2 || tail -40 "$log" >&2
        failed+=("$name")
    fi
done
if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzz: failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: all targets ran ${seconds}s without a report" >&2
