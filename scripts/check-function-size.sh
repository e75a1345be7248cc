#!/usr/bin/env bash
# Fails when a function of capprof's own code (app/, tracer/, profiler/ and the
# headers they include from include/) is longer than 80 lines, measured by
# clang-tidy's readability-function-size on the compile database of BUILD_DIR.
# The functions that hold the rule table's rows (profiler/classify/rules_*.cpp)
# are exempt, marked NOLINT: they are data, a row per way a call can be
# denied (docs/ARCHITECTURE.md, "Folders and what they may include").
# Usage: scripts/check-function-size.sh BUILD_DIR [CLANG_TIDY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: check-function-size.sh BUILD_DIR [CLANG_TIDY]}" && pwd)
tidy=${2:-$(command -v clang-tidy-14 || command -v clang-tidy || true)}
if [ -z "$tidy" ]; then
    echo "check-function-size: clang-tidy not found: run scripts/setup.sh (it installs clang-tidy-14)" >&2
    exit 1
fi
if [ ! -f "$build/compile_commands.json" ]; then
    echo "check-function-size: $build/compile_commands.json missing: configure with scripts/build.sh" >&2
    exit 1
fi
config='{Checks: "-*,readability-function-size", WarningsAsErrors: "*",
         CheckOptions: [{key: readability-function-size.LineThreshold, value: 80}]}'
cd "$root"
# One clang-tidy per translation unit of the product, as many at once as
# there are CPUs; each prints its findings, xargs fails if any did.
find app tracer profiler -name '*.cpp' -print0 | sort -z |
    xargs -0 -n 4 -P "$(nproc)" "$tidy" -p "$build" --quiet --config="$config" \
        --header-filter="^$root/(app|tracer|profiler|include)/" 2>/dev/null
echo "check-function-size: no function over 80 lines"
