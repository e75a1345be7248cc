#!/usr/bin/env bash
# End-to-end test of capprof with a real Docker: starts a private dockerd,
# imports an image holding busybox-static, the static capprof and a workload,
# then
#   (a) profiles workloads with capprof inside a container, and
#   (b) runs each workload with `docker run --cap-drop ALL --cap-add <answer>`
#       and checks that it works, and that it fails with any one capability
#       fewer.
# Nothing is pulled from a registry. dockerd runs with its own socket, data
# and exec roots and without bridge/iptables/ip-forward changes (containers use
# --network none), and is stopped at the end whatever happens.
#
#   (d) profiles images with `capprof ... --image` (scripts/docker-image-e2e.sh).
#
# usage: scripts/docker-e2e.sh [--capprof STATIC_BINARY] [--outer CAPPROF]
#                              [--static-build-dir DIR] [--work-dir DIR] [--keep]
#   Without --capprof, builds a static capprof (CAPPROF_STATIC=ON) in
#   --static-build-dir (default: build-static in the source tree).
#   --outer: the capprof that runs `--image` on the host (default: the
#   static one; a dynamic one finds capprof-static next to it).
# Exit status: 0 passed, 1 failed, 77 skipped (only when dockerd cannot run
# here: not root, docker.io not installable, dockerd does not come up).
set -uo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
capprof_bin=""
outer_capprof=""
static_build_dir="$source_dir/build-static"
work_dir=""
keep=0
while [ $# -gt 0 ]; do
    case $1 in
        --capprof) capprof_bin=$2; shift 2 ;;
        --outer) outer_capprof=$2; shift 2 ;;
        --static-build-dir) static_build_dir=$2; shift 2 ;;
        --work-dir) work_dir=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h | --help) sed -n '2,26p' "$0"; exit 0 ;;
        *) echo "docker-e2e: unknown argument $1" >&2; exit 2 ;;
    esac
done

skip() { echo "skipped: $*"; exit 77; }
failures=0
ok() { echo "ok   - $*"; }
fail() { echo "FAIL - $*"; failures=$((failures + 1)); }
note() { echo "# $*"; }
started=$(date +%s.%N)

[ "$(id -u)" -eq 0 ] || skip "needs root to start dockerd"

# --- docker.io from Debian ------------------------------------------------
if ! command -v dockerd >/dev/null || [ ! -x /usr/bin/docker ]; then
    note "installing docker.io"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker.io; } \
        >/dev/null 2>&1 || skip "docker.io is not installed and apt-get could not install it"
fi
# /usr/bin/docker is Debian's client; another `docker` may come first in PATH.
docker_cli=/usr/bin/docker

# --- the static capprof -----------------------------------------------------
if [ -z "$capprof_bin" ]; then
    note "building a static capprof in $static_build_dir"
    if ! { cmake -S "$source_dir" -B "$static_build_dir" -G Ninja \
               -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAPPROF_STATIC=ON -DCAPPROF_TESTS=OFF &&
           cmake --build "$static_build_dir" --target capprof -j2; } >"${TMPDIR:-/tmp}/capprof-static-build.log" 2>&1; then
        tail -30 "${TMPDIR:-/tmp}/capprof-static-build.log"
        echo "FAIL - building the static capprof (log: ${TMPDIR:-/tmp}/capprof-static-build.log)"
        exit 1
    fi
    capprof_bin=$static_build_dir/app/capprof
fi
[ -x "$capprof_bin" ] || { echo "FAIL - no capprof binary at $capprof_bin"; exit 1; }
if file -L "$capprof_bin" | grep -q 'statically linked'; then
    ok "capprof is statically linked ($(basename "$capprof_bin"))"
else
    fail "capprof is not statically linked: $(file -L "$capprof_bin")"
fi

# --- a private dockerd ----------------------------------------------------
if [ -z "$work_dir" ]; then
    work_dir=$(mktemp -d /tmp/capprof-docker-e2e.XXXXXX)
else
    mkdir -p "$work_dir"
fi
sock=$work_dir/docker.sock
pidfile=$work_dir/dockerd.pid
export DOCKER_HOST=unix://$sock DOCKER_CONFIG=$work_dir/client-config
dockerd_pid=""

docker() { timeout 120 "$docker_cli" "$@"; }

cleanup() {
    if [ -n "$dockerd_pid" ]; then
        # Containers first (none should be left: every run uses --rm).
        local ids
        ids=$("$docker_cli" ps -aq 2>/dev/null) && [ -n "$ids" ] &&
            "$docker_cli" rm -f $ids >/dev/null 2>&1
        kill -TERM "$dockerd_pid" 2>/dev/null
        for _ in $(seq 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.25; done
        kill -KILL "$dockerd_pid" 2>/dev/null
        wait "$dockerd_pid" 2>/dev/null
        # dockerd started its own containerd under the exec root; it exits
        # with dockerd, but never leave one behind.
        local containerd_pid
        containerd_pid=$(cat "$work_dir/exec/containerd/containerd.pid" 2>/dev/null)
        [ -n "$containerd_pid" ] && kill -KILL "$containerd_pid" 2>/dev/null
    fi
    # Network state: the data root holds the network database; the mounts
    # below the roots go with it.
    if [ "$keep" -eq 0 ]; then
        grep -o " $work_dir[^ ]*" /proc/self/mounts 2>/dev/null | sort -r |
            while read -r m; do umount -l "$m" 2>/dev/null; done
        rm -rf "$work_dir"
    else
        note "kept $work_dir"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work_dir/data" "$work_dir/exec" "$work_dir/out"
# --bridge=none, --iptables=false, --ip-forward=false: dockerd changes no host
# network state (no docker0, no NAT rules, no sysctl); workloads use --network none.
dockerd --host "unix://$sock" --data-root "$work_dir/data" --exec-root "$work_dir/exec" \
    --pidfile "$pidfile" --bridge=none --iptables=false --ip6tables=false \
    --ip-forward=false --ip-masq=false >"$work_dir/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 120); do
    "$docker_cli" version >/dev/null 2>&1 && break
    kill -0 "$dockerd_pid" 2>/dev/null || break
    sleep 0.25
done
if ! "$docker_cli" version >/dev/null 2>&1; then
    tail -15 "$work_dir/dockerd.log" | sed 's/^/# dockerd: /'
    skip "dockerd cannot run on this machine (log above)"
fi
ok "dockerd $("$docker_cli" version --format '{{.Server.Version}}') up on $sock"

# --- the image: busybox-static + static capprof + a web root ---------------
bb_deb=$(ls "$work_dir"/busybox-static_*.deb 2>/dev/null | head -1)
if [ -z "$bb_deb" ]; then
    (cd "$work_dir" && apt-get download -qq busybox-static >/dev/null 2>&1)
    bb_deb=$(ls "$work_dir"/busybox-static_*.deb 2>/dev/null | head -1)
fi
[ -n "$bb_deb" ] || { echo "FAIL - apt-get download busybox-static"; exit 1; }
rootfs=$work_dir/rootfs
mkdir -p "$work_dir/bb" "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/www" "$rootfs/proc" \
    "$rootfs/sys" "$rootfs/dev"
dpkg-deb -x "$bb_deb" "$work_dir/bb"
cp "$work_dir/bb/bin/busybox" "$rootfs/bin/busybox"
for applet in $("$rootfs/bin/busybox" --list); do
    [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
done
chmod 1777 "$rootfs/tmp"
cp -R "$source_dir/tests/docker/rootfs/." "$rootfs/"   # /etc/passwd, /etc/group, /www
cp "$capprof_bin" "$rootfs/capprof"
image=capprof-e2e:$$
tar -C "$rootfs" -c . | docker import - "$image" >/dev/null ||
    { echo "FAIL - docker import"; exit 1; }
# FROM scratch: nothing but the static capprof.
mkdir -p "$work_dir/scratch"
cp "$capprof_bin" "$work_dir/scratch/capprof"
scratch=capprof-e2e-scratch:$$
tar -C "$work_dir/scratch" -c . | docker import - "$scratch" >/dev/null ||
    { echo "FAIL - docker import (scratch)"; exit 1; }

if out=$(docker run --rm --network none "$image" sh -c 'echo busybox-ok') && [ "$out" = busybox-ok ]; then
    ok "busybox-only container runs"
else
    fail "busybox-only container: '$out'"
fi

# --- capprof alone in a FROM scratch image ---------------------------------
if out=$(docker run --rm --network none "$scratch" /capprof --version 2>&1) && [[ $out == *[0-9].[0-9]* ]]; then
    ok "static capprof runs in a FROM scratch image: $out"
else
    fail "capprof --version in a FROM scratch image: '$out'"
fi
# Tracing works there too: ptrace of its own child needs no capability, and
# Docker's default seccomp profile allows ptrace on Linux >= 4.8.
if out=$(docker run --rm --network none "$scratch" /capprof run -q -- /capprof decode 400 2>&1) &&
    [[ $out == *NET_BIND_SERVICE* || $out == *net_bind_service* ]]; then
    ok "capprof traces itself in a FROM scratch image (docker's default seccomp profile)"
else
    fail "capprof run -- /capprof decode 400 in a FROM scratch image: '$out'"
fi

# --- helpers for (a) and (b) -------------------------------------------------
# cap_add of a JSON report, space separated, sorted.
cap_add_of() {
    /usr/bin/python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["cap_add"])))' "$1" 2>/dev/null
}
# Docker sets ip_unprivileged_port_start=0 in every container network
# namespace (20.10+); restore the host's value so a port check is real.
real_ports=(--sysctl net.ipv4.ip_unprivileged_port_start=1024)

# profile NAME EXPECTED CAPPROF_ARGS... : runs capprof inside a container with
# Docker's default capabilities (capprof must hold what it grants) and checks
# its cap_add.
profile() {
    local name=$1 expected=$2
    shift 2
    local json=$work_dir/out/$name.json
    local t0 t1 out status
    t0=$(date +%s.%N)
    out=$(docker run --rm --network none "${real_ports[@]}" -v "$work_dir/out:/out" "$image" \
        /capprof "$@" 2>&1)
    status=$?
    t1=$(date +%s.%N)
    local got
    got=$(cap_add_of "$json")
    if [ -f "$json" ] && [ "$got" = "$expected" ]; then
        ok "(a) $name: capprof in a container says --cap-add ${got:-nothing} (exit $status, $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s)"
    else
        fail "(a) $name: expected cap_add '$expected', got '${got:-<no report>}' (exit $status)"
        echo "$out" | tail -25 | sed 's/^/#   /'
    fi
    answer=$got
}

# verify NAME "CAPS" WORKLOAD... : the workload must succeed with exactly CAPS
# and fail with each one of them removed.
verify() {
    local name=$1 caps=$2
    shift 2
    local args=() cap other
    for cap in $caps; do args+=(--cap-add "$cap"); done
    if docker run --rm --network none "${real_ports[@]}" --cap-drop ALL "${args[@]}" "$image" "$@" \
        >"$work_dir/out/$name.ok.log" 2>&1; then
        ok "(b) $name: works with --cap-drop ALL ${args[*]}"
    else
        fail "(b) $name: fails with --cap-drop ALL ${args[*]}: $(tail -3 "$work_dir/out/$name.ok.log" | tr '\n' ' ')"
    fi
    for cap in $caps; do
        args=()
        for other in $caps; do [ "$other" = "$cap" ] || args+=(--cap-add "$other"); done
        if docker run --rm --network none "${real_ports[@]}" --cap-drop ALL "${args[@]}" "$image" "$@" \
            >"$work_dir/out/$name.no-$cap.log" 2>&1; then
            fail "(b) $name: still works without $cap, so $cap was not needed"
        else
            ok "(b) $name: fails without $cap ($(tail -1 "$work_dir/out/$name.no-$cap.log"))"
        fi
    done
}

# --- workload 1: a web server on port 80 -------------------------------------
profile httpd NET_BIND_SERVICE run -q --json /out/httpd.json -- httpd -f -p 80 -h /www
# Started in the background (busybox httpd daemonizes) and fetched once.
verify httpd "$answer" sh -c 'httpd -p 80 -h /www || exit 1; sleep 0.2; wget -q -O - http://127.0.0.1:80/'

# --- workload 2: a chain of privileged file operations -----------------------
# One run sees both failures when the chain goes on after the first one.
chain_all='echo x >/f; chown 1000 /f; a=$?; mknod /d c 1 3; b=$?; exit $((a | b))'
profile chain-run "CHOWN MKNOD" run -q --json /out/chain-run.json -- sh -c "$chain_all"
verify chain-run "$answer" sh -c "$chain_all"
# With && the second failure is hidden behind the first: minimize re-runs.
# Each run starts from the same state (rm needs no capability in root's /):
# otherwise run 3 would meet the /f that run 2 gave to uid 1000.
chain='rm -f /f /d; echo x >/f && chown 1000 /f && mknod /d c 1 3'
profile chain-minimize "CHOWN MKNOD" minimize -q --json /out/chain-minimize.json -- sh -c "$chain"
verify chain-minimize "$answer" sh -c "$chain"
# A default container gives capprof no CAP_SYS_ADMIN: its trials cannot be
# isolated, and minimize says so in the report and goes on (CONTAINERS.md).
isolation=$(/usr/bin/python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))
print(r.get("isolated"), r.get("isolation_warning") or "")' "$work_dir/out/chain-minimize.json" 2>/dev/null)
if [[ $isolation == "False trials not isolated: capprof lacks CAP_SYS_ADMIN"* ]]; then
    ok "(c) chain-minimize: trials not isolated in a default container, and the report says why"
else
    fail "(c) chain-minimize: expected isolated false with a CAP_SYS_ADMIN warning, got '$isolation'"
fi

# --- (d) --image: one fresh container of an image per trial -----------------
image_args=(--capprof "$capprof_bin" --rootfs "$rootfs" --work-dir "$work_dir" --docker-cli "$docker_cli")
[ -n "$outer_capprof" ] && image_args+=(--outer "$outer_capprof")
if "$source_dir/scripts/docker-image-e2e.sh" "${image_args[@]}"; then
    ok "(d) capprof --image: every check above passed"
else
    fail "(d) capprof --image: see the FAIL lines above"
fi

elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
if [ "$failures" -eq 0 ]; then
    echo "docker-e2e: all checks passed in $elapsed s"
    exit 0
fi
echo "docker-e2e: $failures check(s) failed in $elapsed s (rerun with --keep to keep the reports and dockerd.log)"
exit 1
