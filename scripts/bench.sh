#!/usr/bin/env bash
# capprof's overhead, measured against native execution, a bare ptrace loop
# (tests/bench/bare_loop.c) and strace, on four workloads; then the exact
# count of failing calls under load and capprof's peak memory.
# Method and results: docs/PERFORMANCE.md. Timings are wall-clock seconds
# (bash's EPOCHREALTIME around each run); each cell is the median of N runs
# with [min-max].
#
# usage: scripts/bench.sh [--quick] [--runs N] [--capprof PATH | --no-capprof]
#                         [--only syscall,fork,threads,build] [--no-explore]
#                         [--no-checks] [--memory-full] [--no-isolation]
#   --quick        small workloads, 2 runs: a smoke test of a minute or two
#   --runs N       runs per cell (default 3; runs are interleaved: one run
#                  of each column per round)
#   --capprof P    capprof binary (default: $CAPPROF, else built into build-bench/)
#   --no-capprof   skip the capprof columns
#   --only LIST    only these workloads
#   --no-explore   skip the per-variant study of the bare loop's CPU placement
#   --no-checks    skip the lost-events and memory checks
#   --memory-full  the full memory check: 10,000 processes, 10M syscalls,
#                  1M failing calls (several minutes)
#   --no-isolation skip the cost of isolated trials (setup and teardown of
#                  each run's copy-on-write view; needs root)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build-bench
QUICK=0 RUNS="" CAPPROF_BIN=${CAPPROF:-} USE_CAPPROF=1 EXPLORE=1 CHECKS=1 MEMORY_FULL=0 ISOLATION=1
ONLY="syscall,fork,threads,build"

while (($#)); do
    case $1 in
        --quick) QUICK=1 ;;
        --runs) RUNS=$2; shift ;;
        --capprof) CAPPROF_BIN=$2; shift ;;
        --no-capprof) USE_CAPPROF=0 ;;
        --only) ONLY=$2; shift ;;
        --no-explore) EXPLORE=0 ;;
        --no-checks) CHECKS=0 ;;
        --memory-full) MEMORY_FULL=1 ;;
        --no-isolation) ISOLATION=0 ;;
        -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

die() { echo "bench.sh: $*" >&2; exit 1; }
note() { printf '%s\n' "$*" >&2; }
command -v strace >/dev/null || die "strace is missing (apt-get install strace)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"

# ---------------------------------------------------------------- helpers ---
HELPERS=$BUILD/bench
mkdir -p "$HELPERS"
for prog in bare_loop threads fail_loop; do
    src=$ROOT/tests/bench/$prog.c
    if [[ ! -x $HELPERS/$prog || $src -nt $HELPERS/$prog || $ROOT/tests/bench/fail_call.h -nt $HELPERS/$prog ]]; then
        cc -O2 -Wall -Wextra -o "$HELPERS/$prog" "$src" -pthread || die "cannot build $prog"
    fi
done
BARE=$HELPERS/bare_loop

if ((USE_CAPPROF)) && [[ -z $CAPPROF_BIN ]]; then
    note "building capprof into $BUILD ..."
    if cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$BUILD/cmake.log" 2>&1 &&
        cmake --build "$BUILD" --target capprof -j2 >>"$BUILD/cmake.log" 2>&1; then
        CAPPROF_BIN=$BUILD/app/capprof
    else
        note "capprof did not build (see $BUILD/cmake.log): capprof columns skipped"
        USE_CAPPROF=0
    fi
fi
if ((USE_CAPPROF)); then
    [[ -x $CAPPROF_BIN ]] || die "capprof binary $CAPPROF_BIN is not executable"
fi

WORK=$(mktemp -d /tmp/capprof-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# ---------------------------------------------------------------- timing ----
# calc EXPR [FORMAT]: floating-point arithmetic and comparisons (1/0) with awk.
calc() { awk "BEGIN { printf \"${2:-%.6f}\", ($1) }"; }

# run_timed CMD...: runs once with stdin from /dev/null, output discarded;
# prints the wall time in seconds; fails when the command fails.
run_timed() {
    local start=$EPOCHREALTIME status=0
    "$@" </dev/null >/dev/null 2>"$WORK/stderr" || status=$?
    local end=$EPOCHREALTIME
    if ((status != 0)); then
        note "command failed ($status): $*"
        sed 's/^/  | /' "$WORK/stderr" | tail -5 >&2
        return 1
    fi
    calc "$end - $start"
}

# summarize TIME...: sets MEDIAN, MIN, MAX ("nan" when any run failed).
summarize() {
    if [[ " $* " == *" nan "* || $# -eq 0 ]]; then MEDIAN=nan MIN=nan MAX=nan; return; fi
    read -r MEDIAN MIN MAX < <(printf '%s\n' "$@" | sort -g | awk '
        { t[NR] = $1 }
        END { m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
              printf "%.3f %.3f %.3f\n", m, t[1], t[NR] }')
}

# compare LINE...: times each command line (a string, eval'ed) in rounds,
# one run of every line per round, so that load from elsewhere on the machine
# falls on all of them alike. 3 rounds (--runs N; 2 with --quick), which
# keeps a full run near 10 minutes on an idle 2-vCPU machine.
# Sets MEDIANS, MINS, MAXS.
compare() {
    local lines=("$@") rounds=${RUNS:-3} round i t
    ((QUICK)) && [[ -z $RUNS ]] && rounds=2
    local -a times=()
    for ((round = 0; round < rounds; round++)); do
        for i in "${!lines[@]}"; do
            if [[ ${times[i]:-} == *nan* ]]; then continue; fi
            t=$(eval "run_timed ${lines[i]}") || t=nan
            times[i]+="$t "
        done
    done
    MEDIANS=() MINS=() MAXS=()
    for i in "${!lines[@]}"; do
        # shellcheck disable=SC2086
        summarize ${times[i]}
        MEDIANS[i]=$MEDIAN MINS[i]=$MIN MAXS[i]=$MAX
    done
}

ratio() { # ratio A B -> "A/B" with two decimals, "-" when unknown
    if [[ $1 == nan || $2 == nan || -z $1 || -z $2 ]]; then echo "-"; return; fi
    calc "$1 / $2" %.2f
}

cell() { # cell I: "median [min-max]" of compare's line I
    if [[ ${MEDIANS[$1]} == nan ]]; then echo failed; return; fi
    printf '%7.3f [%.3f-%.3f]' "${MEDIANS[$1]}" "${MINS[$1]}" "${MAXS[$1]}"
}

# ---------------------------------------------------------------- workloads -
if ((QUICK)); then
    DD_COUNT=20000 FORKS=200 THREADS="16 500 1 2" FAIL_FORKS=200 FAIL_THREADS="50 10 1 5" FAIL_MANY=100000
else
    DD_COUNT=200000 FORKS=2000 THREADS="64 2000 1 4" FAIL_FORKS=2000 FAIL_THREADS="400 100 1 8" FAIL_MANY=1000000
fi
BUILD_OUT=$WORK/project
mkdir -p "$BUILD_OUT"
declare -A WORKLOAD=(
    [syscall]="dd if=/dev/zero of=/dev/null bs=1 count=$DD_COUNT"
    [fork]="sh -c 'i=0; while [ \$i -lt $FORKS ]; do /bin/true; i=\$((i+1)); done'"
    [threads]="$HELPERS/threads $THREADS"
    [build]="make -s -C $ROOT/tests/bench/project O=$BUILD_OUT -j2 -B"
)
declare -A DESCRIPTION=(
    [syscall]="dd bs=1 count=$DD_COUNT ($((2 * DD_COUNT)) syscalls)"
    [fork]="sh loop spawning $FORKS processes"
    [threads]="threads $THREADS (threads calls fails waves)"
    [build]="make -j2: 7 C files x 4 optimisation levels"
)
ORDER=(syscall fork threads build)

# capprof as a benchmark runs it: report to a file, workload output dropped
# by run_timed. CAPPROF_CPU_PLACEMENT selects the placement (tracer/cpu_placement.hpp).
capprof_cmd() { echo "$CAPPROF_BIN run -q --json $WORK/report.json --"; }

# The CPUs a workload may use under capprof with placement $1 ("" = default),
# as the workload itself sees them.
workload_cpus() {
    env ${1:+CAPPROF_CPU_PLACEMENT=$1} "$CAPPROF_BIN" run -q -- \
        awk '/^Cpus_allowed_list/ { print $2 }' /proc/self/status 2>/dev/null </dev/null || echo "?"
}

echo "capprof benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  $(uname -r)  $(nproc) CPUs  load $(cut -d' ' -f1-3 /proc/loadavg)"
if ((USE_CAPPROF)); then
    DEFAULT_CPUS=$(workload_cpus "")
    PIN_CPUS=$(workload_cpus pin)
    echo "capprof: $CAPPROF_BIN; the workload's CPUs: default $DEFAULT_CPUS, pin $PIN_CPUS, native $(awk '/^Cpus_allowed_list/ { print $2 }' /proc/self/status)"
    # Without the placement policy in the tracer, pin by hand like pin does.
    PIN_BY_HAND=0
    [[ $PIN_CPUS == *[-,]* ]] && PIN_BY_HAND=1
else
    echo "capprof: skipped"
fi
echo

# ------------------------------------------------- placement study (bare) ---
per_syscall() { calc "$1 * 1000000 / (2 * $n)" %.1f; }
if ((EXPLORE)); then
    n=$((DD_COUNT / 20))
    echo "== ptrace stop cost by CPU placement: bare loop on dd bs=1 count=$n ($((2 * n)) syscalls, 2 ptrace stops each)"
    printf '%-34s %s\n' "variant" "us per syscall: median [min-max]"
    dd_small="dd if=/dev/zero of=/dev/null bs=1 count=$n"
    labels=() lines=()
    for variant in "--pin none" "--pin all" "--pin tracer" "--follow" "--fifo" "--spin-us 50" \
                   "--keep-awake" "--keep-busy" "--keep-awake --spin-us 50"; do
        labels+=("bare_loop $variant") lines+=("$BARE $variant -- $dd_small")
    done
    labels+=("strace -f -qq -Z -o /dev/null") lines+=("strace -f -qq -Z -o /dev/null $dd_small")
    if ((USE_CAPPROF)); then
        for mode in none pin; do
            labels+=("capprof $mode") lines+=("env CAPPROF_CPU_PLACEMENT=$mode $(capprof_cmd) $dd_small")
        done
        if ((PIN_BY_HAND)); then
            labels+=("capprof under taskset") lines+=("taskset -c $(awk '{ print $39 }' /proc/self/stat) $(capprof_cmd) $dd_small")
        fi
    fi
    compare "${lines[@]}"
    for i in "${!labels[@]}"; do
        if [[ ${MEDIANS[i]} == nan ]]; then printf '%-34s failed\n' "${labels[i]}"; continue; fi
        printf '%-34s %6s [%s-%s]\n' "${labels[i]}" "$(per_syscall "${MEDIANS[i]}")" \
            "$(per_syscall "${MINS[i]}")" "$(per_syscall "${MAXS[i]}")"
    done
    echo
fi

# ------------------------------------------------------------ main table ----
echo "== wall time, seconds: median [min-max]"
declare -A RESULT
for name in "${ORDER[@]}"; do
    [[ ,$ONLY, == *,$name,* ]] || continue
    cmd=${WORKLOAD[$name]}
    echo "-- $name: ${DESCRIPTION[$name]}"
    declare -a columns=(
        "native|$cmd"
        "bare none|$BARE --pin none -- $cmd"
        "bare pin|$BARE --pin all -- $cmd"
        "strace|strace -f -qq -Z -o /dev/null $cmd"
    )
    if ((USE_CAPPROF)); then
        columns+=("capprof|env -u CAPPROF_CPU_PLACEMENT $(capprof_cmd) $cmd")
        if ((PIN_BY_HAND)); then
            columns+=("capprof taskset|taskset -c $(awk '{ print $39 }' /proc/self/stat) $(capprof_cmd) $cmd")
        fi
    fi
    labels=() lines=()
    for column in "${columns[@]}"; do
        labels+=("${column%%|*}") lines+=("${column#*|}")
    done
    compare "${lines[@]}"
    for i in "${!labels[@]}"; do
        RESULT[$name,${labels[i]}]=${MEDIANS[i]}
        printf '   %-16s %s\n' "${labels[i]}" "$(cell "$i")"
    done
    best_bare=$(printf '%s\n' "${RESULT[$name,bare none]}" "${RESULT[$name,bare pin]}" |
        grep -v nan | sort -g | head -1)
    RESULT[$name,best bare]=${best_bare:-nan}
    echo
done

echo "== ratios (medians)"
printf '%-9s %-16s %9s %9s %9s %9s\n' workload tracer "/native" "/bare" "/bestbare" "/strace"
for name in "${ORDER[@]}"; do
    [[ ,$ONLY, == *,$name,* ]] || continue
    for label in "bare none" "bare pin" strace capprof "capprof taskset"; do
        [[ -n ${RESULT[$name,$label]:-} ]] || continue
        v=${RESULT[$name,$label]}
        printf '%-9s %-16s %9s %9s %9s %9s\n' "$name" "$label" \
            "$(ratio "$v" "${RESULT[$name,native]}")" "$(ratio "$v" "${RESULT[$name,bare none]}")" \
            "$(ratio "$v" "${RESULT[$name,best bare]}")" "$(ratio "$v" "${RESULT[$name,strace]}")"
    done
done
echo "(/bare: to the unpinned bare loop; /bestbare: to the fastest bare-loop variant)"
echo

# ------------------------------------------------------ isolated trials ----
# What isolation adds to each run (docs/PERFORMANCE.md "Isolated trials"):
# `capprof check --allow <8 capabilities> -- true` makes 1 + 8 runs (the
# workload, then once without each capability), with --skip-unused 1 run.
# Each is timed isolated and with --no-isolate; the extra time of 9 runs
# minus that of 1 run, over 8, is one trial's setup and teardown (the trial
# store, made once per capprof process, cancels out). The traced time of the
# runs (JSON runs[].seconds) shows that it stays out of RunResult.seconds.
traced_ms() { # traced_ms JSON: mean traced time of its runs, in ms
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["runs"]
print("%.1f" % (1000 * sum(x["seconds"] for x in r) / len(r)))' "$1" 2>/dev/null || echo "?"
}
if ((ISOLATION)) && ((USE_CAPPROF)) && [[ $(id -u) == 0 ]]; then
    echo "== isolated trials: setup and teardown per run ($(grep -c . /proc/self/mountinfo) mounts here)"
    allow=CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,SETGID,SETUID,NET_BIND_SERVICE
    iso_check() { echo "$CAPPROF_BIN check -q --allow $allow $* -- true"; }
    labels=("9 runs, --no-isolate" "9 runs, isolated" "1 run, --no-isolate" "1 run, isolated")
    lines=("$(iso_check --no-isolate)" "$(iso_check)" "$(iso_check --skip-unused --no-isolate)"
           "$(iso_check --skip-unused)")
    rounds=5
    ((QUICK)) && rounds=3
    RUNS=${RUNS:-$rounds} compare "${lines[@]}"
    for i in "${!labels[@]}"; do printf '   %-22s %s\n' "${labels[i]}" "$(cell "$i")"; done
    if [[ " ${MEDIANS[*]} " != *" nan "* ]]; then
        per_trial=$(calc "((${MEDIANS[1]} - ${MEDIANS[0]}) - (${MEDIANS[3]} - ${MEDIANS[2]})) * 1000 / 8" %.1f)
        store=$(calc "(${MEDIANS[3]} - ${MEDIANS[2]}) * 1000 - $per_trial" %.0f)
        echo "   per isolated run: $per_trial ms (setup + teardown); once per capprof process: $store ms (trial store)"
    fi
    $CAPPROF_BIN check -q --allow $allow --json "$WORK/iso.json" -- true </dev/null >/dev/null 2>&1 || true
    $CAPPROF_BIN check -q --allow $allow --no-isolate --json "$WORK/noiso.json" -- true </dev/null >/dev/null 2>&1 || true
    echo "   traced time per run (RunResult.seconds): isolated $(traced_ms "$WORK/iso.json") ms," \
        "--no-isolate $(traced_ms "$WORK/noiso.json") ms"
    echo
elif ((ISOLATION)) && ((USE_CAPPROF)); then
    echo "== isolated trials skipped: not root (isolation needs CAP_SYS_ADMIN)"
fi

# ------------------------------------------------ lost events and memory ----
# check NAME EXPECTED CMD...: runs the workload under capprof, compares the
# number of failing access(2) calls in the report with EXPECTED, prints
# capprof's peak RSS (GNU time %M: capprof, or its direct child if larger;
# the workloads' direct children are small programs). With MAX_RSS_KIB set,
# a larger peak is WRONG too.
CHECK_FAILED=0
MAX_RSS_KIB=""
check() {
    local name=$1 expected=$2; shift 2
    local start=$EPOCHREALTIME status=0
    /usr/bin/time -f %M -o "$WORK/rss" "$CAPPROF_BIN" run -q --json "$WORK/check.json" -- "$@" \
        </dev/null >/dev/null 2>"$WORK/stderr" || status=$?
    local seconds rss counted
    seconds=$(calc "$EPOCHREALTIME - $start")
    rss=$(tail -1 "$WORK/rss")
    counted=$(python3 - "$WORK/check.json" <<'PY' 2>/dev/null || echo "no-report"
import json, sys
report = json.load(open(sys.argv[1]))
count = sum(f["count"] for f in report["findings"]
            if f["errno"] == "EACCES" and f["syscall"] in ("access", "faccessat", "faccessat2"))
print(count, report.get("syscalls", "?"), report.get("processes", "?"),
      report.get("threads", "?"), report.get("failures", "?"))
PY
)
    read -r got syscalls processes threads failures <<<"$counted"
    local verdict=ok
    [[ $got == "$expected" && $status == 0 ]] || { verdict=WRONG; CHECK_FAILED=1; }
    [[ -z $MAX_RSS_KIB || $rss -le $MAX_RSS_KIB ]] || { verdict=WRONG; CHECK_FAILED=1; }
    printf '%-22s expected %8s  got %8s  %-5s  rss %6.1f MiB  %7.1f s  (syscalls %s, processes %s, threads %s, exit %s)\n' \
        "$name" "$expected" "$got" "$verdict" "$(calc "$rss / 1024")" "$seconds" \
        "${syscalls:-?}" "${processes:-?}" "${threads:-?}" "$status"
}

if ((CHECKS)) && ((USE_CAPPROF)); then
    echo "== failing calls counted by capprof (must be exact) and capprof's peak RSS"
    read -r t_threads _ t_fails _ <<<"$FAIL_THREADS"
    check "fork: 1 per process" "$FAIL_FORKS" \
        sh -c "i=0; while [ \$i -lt $FAIL_FORKS ]; do $HELPERS/fail_loop 1 || exit 1; i=\$((i+1)); done"
    check "threads: 1 per thread" "$((t_threads * t_fails))" "$HELPERS/threads" $FAIL_THREADS
    check "one process, many" "$FAIL_MANY" "$HELPERS/fail_loop" "$FAIL_MANY"
    # Distinct failing paths (one finding each until capprof folds them):
    # memory and report stay bounded (64 MiB, README "Reliability").
    mkdir -m 0700 "$WORK/locked" && chown 65534:65534 "$WORK/locked"
    MAX_RSS_KIB=65536 check "distinct paths" 100000 "$HELPERS/fail_loop" 100000 0 "$WORK/locked"
    if ((MEMORY_FULL)); then
        # 10,000 processes x (100 failing + 1,000 other calls): 1M failures, 11M syscalls
        check "memory: full size" 1000000 \
            sh -c "i=0; while [ \$i -lt 10000 ]; do $HELPERS/fail_loop 100 1000 || exit 1; i=\$((i+1)); done"
    fi
    echo
elif ((CHECKS)); then
    echo "== lost-events and memory checks skipped: no capprof"
fi

exit "$CHECK_FAILED"
