#!/usr/bin/env bash
# End-to-end test of `capprof run|minimize|check --image`: one fresh
# container of the image per trial, driven through the docker client.
# scripts/docker-e2e.sh calls it with its private dockerd (DOCKER_HOST set,
# no bridge, nothing pulled) and the busybox root filesystem it built; the
# images here are made from that with `docker import`.
#
# usage: scripts/docker-image-e2e.sh --capprof STATIC --rootfs DIR --work-dir DIR
#            [--outer CAPPROF] [--docker-cli PATH]
#   --capprof   the static capprof (it also runs as the outer capprof unless
#               --outer names another, e.g. a dynamic one with capprof-static
#               next to it)
#   --rootfs    busybox-static root filesystem (bin/, etc/passwd, www/)
#   --docker-cli the docker client to put first in PATH (default: /usr/bin/docker)
# Exit status: 0 passed, 1 failed.
set -uo pipefail

capprof_static=""
outer=""
rootfs=""
work_dir=""
docker_cli=/usr/bin/docker
while [ $# -gt 0 ]; do
    case $1 in
        --capprof) capprof_static=$2; shift 2 ;;
        --outer) outer=$2; shift 2 ;;
        --rootfs) rootfs=$2; shift 2 ;;
        --work-dir) work_dir=$2; shift 2 ;;
        --docker-cli) docker_cli=$2; shift 2 ;;
        -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "docker-image-e2e: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$capprof_static" ] && [ -d "$rootfs" ] && [ -n "$work_dir" ] ||
    { echo "docker-image-e2e: --capprof, --rootfs and --work-dir are needed" >&2; exit 2; }
capprof_static=$(realpath "$capprof_static")   # docker -v wants an absolute path
outer=$(realpath "${outer:-$capprof_static}")

failures=0
ok() { echo "ok   - $*"; }
fail() { echo "FAIL - $*"; failures=$((failures + 1)); }
note() { echo "# $*"; }

# capprof runs the `docker` on PATH: make it the client this test trusts.
mkdir -p "$work_dir/image-bin" "$work_dir/image-tmp" "$work_dir/image-out"
ln -sf "$docker_cli" "$work_dir/image-bin/docker"
export PATH=$work_dir/image-bin:$PATH
# The outer capprof's temporary directories go here, so that the test sees
# every one it leaves.
export TMPDIR=$work_dir/image-tmp
out=$work_dir/image-out
docker() { timeout 120 "$docker_cli" "$@"; }
json_field() {  # json_field FILE PYTHON-EXPRESSION-OF-r
    /usr/bin/python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}
cap_add_of() { json_field "$1" '" ".join(sorted(r["cap_add"]))'; }

# --- images ------------------------------------------------------------------
# import NAME DIR CHANGE...: an image of busybox plus what DIR holds.
import_image() {
    local name=$1 extra=$2
    shift 2
    local dir=$work_dir/image-rootfs-$name
    rm -rf "$dir"
    cp -a "$rootfs" "$dir"
    [ -n "$extra" ] && cp -a "$extra/." "$dir/"
    local changes=()
    for c in "$@"; do changes+=(--change "$c"); done
    tar --xattrs --xattrs-include='security.capability' -C "$dir" -c . |
        docker import "${changes[@]}" - "capprof-image-e2e-$name:$$" >/dev/null ||
        { fail "docker import $name"; return 1; }
    rm -rf "$dir"
}

extra=$work_dir/image-extra
rm -rf "$extra" && mkdir -p "$extra/bin"
# An entrypoint that sets up its data directory on the first start only,
# as entrypoints do: make it, give it to www, close it, then write into it.
cat >"$extra/bin/setup-data" <<'EOF'
#!/bin/sh
if [ ! -d /data ]; then
    mkdir /data || exit 1
    chown 33:33 /data || exit 1
    chmod 700 /data || exit 1
fi
echo ready >/data/state || exit 1
EOF
# Runs as the image's USER: fails unless it is www (uid 33).
printf '#!/bin/sh\n[ "$(id -u)" = 33 ] || { echo "running as $(id -u), not www" >&2; exit 1; }\necho ok >/tmp/ok\n' \
    >"$extra/bin/as-www"
chmod 755 "$extra/bin/setup-data" "$extra/bin/as-www"
# busybox picks its applet by the name it runs as: keep the name httpd.
mkdir -p "$extra/opt/httpd"
cp "$rootfs/bin/busybox" "$extra/opt/httpd/httpd"
setcap cap_net_bind_service+ep "$extra/opt/httpd/httpd" ||
    fail "setcap on the file-capability image's httpd"

import_image data "$extra" 'ENTRYPOINT ["/bin/setup-data"]'
import_image httpd "$extra" 'ENTRYPOINT ["httpd", "-f", "-h", "/www"]' 'CMD ["-p", "80"]' 'VOLUME /cache'
import_image user "$extra" 'USER www' 'ENTRYPOINT ["/bin/as-www"]'
import_image filecap "$extra" 'USER www' 'ENTRYPOINT ["/opt/httpd/httpd", "-f", "-h", "/www", "-p", "80"]'
data=capprof-image-e2e-data:$$ httpd=capprof-image-e2e-httpd:$$ user=capprof-image-e2e-user:$$
filecap=capprof-image-e2e-filecap:$$

# Docker sets ip_unprivileged_port_start=0 in each container network
# namespace; 1024 makes port 80 a real question.
no_net=(--docker-arg --network=none)
low_ports=(--docker-arg --sysctl=net.ipv4.ip_unprivileged_port_start=1024)
probe_inside=(--probe 'wget -q -O /dev/null http://127.0.0.1:80/' --probe-inside --ready-timeout 10)

# Nothing of capprof's is left after a subcommand: no container (running
# or not), no volume, no temporary directory.
no_leftovers() {
    local what=$1 containers volumes dirs
    containers=$("$docker_cli" ps -aq --filter label=capprof.owner | wc -l)
    volumes=$("$docker_cli" volume ls -q | wc -l)
    dirs=$(find "$TMPDIR" -mindepth 1 -maxdepth 1 | wc -l)
    if [ "$containers$volumes$dirs" = 000 ]; then
        ok "$what: no container, volume or temporary directory left"
    else
        fail "$what: left $containers container(s), $volumes volume(s), $dirs temporary dir(s)"
        "$docker_cli" ps -a --filter label=capprof.owner | sed 's/^/#   /'
    fi
}

# expect_caps NAME EXPECTED CAPPROF-ARGS...: runs the outer capprof, checks
# its JSON's cap_add and that nothing is left.
expect_caps() {
    local name=$1 expected=$2
    shift 2
    local json=$out/$name.json status got
    "$outer" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"
    status=$?
    got=$(cap_add_of "$json")
    if [ -f "$json" ] && [ "$got" = "$expected" ]; then
        ok "$name: --cap-add ${got:-nothing} (exit $status)"
    else
        fail "$name: expected cap_add '$expected', got '${got:-<no report>}' (exit $status)"
        tail -15 "$out/$name.stderr" | sed 's/^/#   /'
    fi
    no_leftovers "$name"
}

# verify NAME IMAGE "CAPS" [DOCKER-RUN-OPTIONS...] [-- COMMAND...]: plain
# docker run of the image works with --cap-drop ALL --cap-add CAPS, and
# fails without each of them.
verify() {
    local name=$1 image=$2 caps=$3
    shift 3
    local options=() command=() cap other
    while [ $# -gt 0 ] && [ "$1" != -- ]; do options+=("$1"); shift; done
    [ $# -gt 0 ] && shift && command=("$@")
    local args=()
    for cap in $caps; do args+=(--cap-add "$cap"); done
    if docker run --rm "${options[@]}" --cap-drop ALL "${args[@]}" "$image" "${command[@]}" >"$out/$name.ok.log" 2>&1; then
        ok "$name: docker run --cap-drop ALL ${args[*]} works"
    else
        fail "$name: docker run --cap-drop ALL ${args[*]} fails: $(tail -2 "$out/$name.ok.log" | tr '\n' ' ')"
    fi
    for cap in $caps; do
        args=()
        for other in $caps; do [ "$other" = "$cap" ] || args+=(--cap-add "$other"); done
        if docker run --rm "${options[@]}" --cap-drop ALL "${args[@]}" "$image" "${command[@]}" \
            >"$out/$name.no-$cap.log" 2>&1; then
            fail "$name: docker run still works without $cap"
        else
            ok "$name: fails without $cap ($(tail -1 "$out/$name.no-$cap.log"))"
        fi
    done
}

# --- 1. an entrypoint that sets up a directory for another user -------------
expect_caps data-minimize "CHOWN DAC_OVERRIDE FOWNER" \
    minimize --image "$data" "${no_net[@]}" --json "$out/data-minimize.json" --format docker
if grep -q "docker run --cap-drop ALL --cap-add CHOWN --cap-add DAC_OVERRIDE --cap-add FOWNER .*--network=none $data" \
    "$out/data-minimize.stdout"; then
    ok "data-minimize: the docker line names the image"
else
    fail "data-minimize: the docker line does not name the image: $(grep 'docker run' "$out/data-minimize.stdout")"
fi
verify data "$data" "CHOWN DAC_OVERRIDE FOWNER" --network none
# The same entrypoint profiled in one container, trial after trial: the
# first run leaves /data behind, so later runs skip the setup and the answer
# misses what a fresh container needs.
docker run --rm --network none -v "$capprof_static:/capprof:ro" -v "$out:/out" --entrypoint /capprof "$data" \
    minimize -q --json /out/data-one-container.json -- /bin/setup-data >/dev/null 2>&1
one=$(cap_add_of "$out/data-one-container.json")
if [ "$one" != "CHOWN DAC_OVERRIDE FOWNER" ] && [ -f "$out/data-one-container.json" ]; then
    ok "data: in one container the answer is '${one:-nothing}' (earlier runs changed the state); fresh containers: CHOWN DAC_OVERRIDE FOWNER"
else
    fail "data: one container gave '${one:-<no report>}', expected it to differ from the fresh-container answer"
fi

# --- 2. busybox httpd on port 80, with a probe --------------------------------
expect_caps httpd-minimize NET_BIND_SERVICE \
    minimize --image "$httpd" "${no_net[@]}" "${low_ports[@]}" "${probe_inside[@]}" \
    --json "$out/httpd-minimize.json" --format k8s
if grep -q '^name: "capprof-image-e2e-httpd"' "$out/httpd-minimize.stdout" &&
    grep -q '^# Pod Security Standards: baseline; restricted needs: ' "$out/httpd-minimize.stdout"; then
    ok "httpd-minimize: k8s output names the container and its Pod Security level"
else
    fail "httpd-minimize: k8s output: $(head -c 600 "$out/httpd-minimize.stdout")"
fi
[ "$(json_field "$out/httpd-minimize.json" 'r["pod_security"]')" = baseline ] &&
    ok "httpd-minimize: JSON pod_security baseline" || fail "httpd-minimize: JSON pod_security"
verify httpd "$httpd" NET_BIND_SERVICE --network none --sysctl net.ipv4.ip_unprivileged_port_start=1024 \
    --entrypoint /bin/sh -- -c 'httpd -p 80 -h /www || exit 1; sleep 0.3; wget -q -O - http://127.0.0.1:80/'
# The probe on the host: host networking (the test dockerd has no bridge),
# an unprivileged port, under the machine-wide e2e lock.
port=$((20000 + $$ % 20000))
before=$failures
(
    flock 9
    expect_caps httpd-host-probe "" \
        check --allow none --image "$httpd" --docker-arg --network=host \
        --probe "wget -q -O /dev/null http://127.0.0.1:$port/ || curl -sf -o /dev/null http://127.0.0.1:$port/" \
        --ready-timeout 10 --json "$out/httpd-host-probe.json" -- -p "$port"
    exit $((failures - before))
) 9>/tmp/capprof-e2e.lock
failures=$((failures + $?))
[ "$(json_field "$out/httpd-host-probe.json" 'r["probe_ok"]')" = True ] &&
    ok "httpd-host-probe: the host probe reached the server" || fail "httpd-host-probe: probe_ok is not true"

# --- 3. an image with USER set --------------------------------------------------
expect_caps user-minimize "" minimize --image "$user" "${no_net[@]}" --json "$out/user-minimize.json"
if [ "$(json_field "$out/user-minimize.json" 'r["user"], r["success"], r["pod_security"]')" = "('www', True, 'restricted')" ]; then
    ok "user-minimize: ran as the image's USER www, Pod Security restricted"
else
    fail "user-minimize: $(json_field "$out/user-minimize.json" 'r["user"], r["success"], r["pod_security"]')"
fi
expect_caps user-run-root "" run --image "$user" "${no_net[@]}" --user 0 --json "$out/user-run-root.json"
[ "$(json_field "$out/user-run-root.json" 'r["exit"]["code"]')" = 1 ] &&
    ok "user-run-root: --user 0 overrides the image's USER (the workload says it is not www)" ||
    fail "user-run-root: exit $(json_field "$out/user-run-root.json" 'r["exit"]')"

# --- 4. a binary with a file capability -------------------------------------------
expect_caps filecap-minimize NET_BIND_SERVICE \
    minimize --image "$filecap" "${no_net[@]}" "${low_ports[@]}" "${probe_inside[@]}" \
    --json "$out/filecap-minimize.json"
verify filecap "$filecap" NET_BIND_SERVICE --network none --sysctl net.ipv4.ip_unprivileged_port_start=1024 \
    --entrypoint /bin/sh -- -c '/opt/httpd/httpd -p 80 -h /www || exit 1; sleep 0.3; wget -q -O - http://127.0.0.1:80/'

# --- 5. errors, in one line each ----------------------------------------------
expect_error() {  # expect_error NAME EXIT PATTERN CAPPROF-ARGS...
    local name=$1 code=$2 pattern=$3
    shift 3
    local message status
    message=$("$@" 2>&1 >/dev/null)
    status=$?
    if [ "$status" = "$code" ] && [ "$(printf '%s\n' "$message" | wc -l)" = 1 ] && [[ $message == *$pattern* ]]; then
        ok "$name: exit $status, '$message'"
    else
        fail "$name: exit $status (expected $code), '$message'"
    fi
}
expect_error "image not here" 125 "--pull" "$outer" run --image capprof-image-e2e-missing:$$ -- true
expect_error "owned docker arg" 125 "--privileged" "$outer" run --image "$data" --docker-arg --privileged
expect_error "no docker" 125 "no \`docker\` in PATH" env PATH=/nonexistent "$outer" run --image "$data"
expect_error "daemon unreachable" 125 "cannot reach the Docker daemon" \
    env DOCKER_HOST=unix://$work_dir/nothing.sock "$outer" run --image "$data"
lonely=$work_dir/image-lonely
mkdir -p "$lonely"
if [ "$outer" != "$capprof_static" ] && cp "$outer" "$lonely/capprof"; then
    expect_error "static capprof missing" 125 "capprof-static" "$lonely/capprof" run --image "$data"
fi
if docker import --platform linux/arm64 - capprof-image-e2e-arm:$$ </dev/null >/dev/null 2>&1 ||
    tar -C "$rootfs" -c . | docker import --platform linux/arm64 - capprof-image-e2e-arm:$$ >/dev/null 2>&1; then
    if [ "$("$docker_cli" image inspect --format '{{.Architecture}}' capprof-image-e2e-arm:$$)" = arm64 ]; then
        expect_error "architecture" 125 "arm64" "$outer" run --image capprof-image-e2e-arm:$$ -- true
    else
        note "docker import --platform is ignored by this dockerd: no architecture check"
    fi
fi
no_leftovers "errors"

# --- 6. a killed capprof's container is swept by the next run ------------------
"$outer" run --image "$data" "${no_net[@]}" --entrypoint /bin/sleep -- 60 >/dev/null 2>&1 &
killed=$!
for _ in $(seq 100); do
    [ "$("$docker_cli" ps -q --filter label=capprof.owner | wc -l)" = 1 ] && break
    sleep 0.1
done
kill -KILL "$killed"
wait "$killed" 2>/dev/null
left=$("$docker_cli" ps -aq --filter label=capprof.owner | wc -l)
"$outer" run -q --image "$user" "${no_net[@]}" >/dev/null 2>&1
if [ "$left" = 1 ]; then
    ok "sweep: SIGKILL left the trial container"
    no_leftovers "sweep: the next run removed it"
else
    fail "sweep: expected the killed capprof's container to be left, found $left"
fi

echo "docker-image-e2e: $failures failure(s)"
[ "$failures" -eq 0 ]
