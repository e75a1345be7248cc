#!/usr/bin/env bash
# Sweeps `capprof minimize` over real Debian daemons and admin tools and checks
# every answer independently with util-linux setpriv, as `docker run
# --cap-drop ALL --cap-add ...` would run the program (uid 0, exactly the
# answered capabilities in the bounding and inheritable sets, none ambient):
#
#   works    the program works with the answered set (its probe succeeds,
#            it is still serving after --duration, or it exits 0);
#   minimal  it fails with each capability of the set removed;
#   users    its processes run as the same users (Uid/Gid of every process
#            of the service, read from /proc at probe time) as the same
#            service started with every capability.
#
# Usage: scripts/real-programs.sh [--capprof PATH] [--only NAME[,NAME...]]
#                                 [--no-install] [--table FILE] [--list]
# Exit status: 0 every program that ran was verified, 1 some answer was not,
# 125 usage or environment error (not root, no setpriv, no capprof).
#
# Each program gets a fresh configuration and state for every run (the
# answer must hold for a fresh start, as a container's does). The sweep holds
# the machine-wide e2e lock (/tmp/capprof-e2e.lock): it binds local ports
# (8xx, 11824) and changes the network only on a bridge link it removes again.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
capprof="${BUILD_DIR:-$root/build}/app/capprof"
only=""
install=1
table=""
list=0
run_timeout=${CAPPROF_RP_TIMEOUT:-240}   # one minimize, at most
ready_timeout=10                         # one verification run's probe, at most

usage() { echo "usage: scripts/real-programs.sh [--capprof PATH] [--only NAME[,NAME...]] [--no-install] [--table FILE] [--list]" >&2; }
parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
        --capprof) capprof=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --no-install) install=0; shift ;;
        --table) table=$2; shift 2 ;;
        --list) list=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage; exit 125 ;;
    esac
  done
}

# --- the programs ---------------------------------------------------------
# Each prog_NAME sets PKG (Debian package), CMD (array), and one of PROBE
# (shell command that succeeds once the service serves) or DURATION
# (seconds it must keep running), or neither (one-shot: must exit 0). It
# may write its configuration under $T, a fresh directory for every run.
PROGRAMS=(nginx apache2 lighttpd sshd dnsmasq named chronyd rsyslogd cron vsftpd haproxy
          memcached redis squid busybox-httpd su useradd groupadd chown chgrp ping tcpdump
          ip-link iptables)

www() { mkdir -p "$T/www"; echo ok > "$T/www/index.html"; chmod 755 "$T" "$T/www"; chmod 644 "$T/www/index.html"; }

prog_nginx() {
    PKG=nginx-light; www
    cat > "$T/nginx.conf" <<EOF
user www-data;
worker_processes 2;
pid $T/nginx.pid;
error_log stderr;
events { worker_connections 64; }
http { access_log off; server { listen 127.0.0.1:801; root $T/www; } }
EOF
    CMD=(nginx -c "$T/nginx.conf" -g 'daemon off;'); PROBE="curl -sf http://127.0.0.1:801/"
}
prog_apache2() {
    PKG=apache2; www
    cat > "$T/apache2.conf" <<EOF
ServerRoot /etc/apache2
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
User www-data
Group www-data
ServerName localhost
PidFile $T/apache2.pid
Mutex file:$T default
ErrorLog /dev/stderr
Listen 127.0.0.1:802
DocumentRoot $T/www
StartServers 2
EOF
    CMD=(apache2 -DFOREGROUND -f "$T/apache2.conf"); PROBE="curl -sf http://127.0.0.1:802/index.html"
}
prog_lighttpd() {
    PKG=lighttpd; www
    cat > "$T/lighttpd.conf" <<EOF
server.document-root = "$T/www"
server.port = 803
server.bind = "127.0.0.1"
server.username = "www-data"
server.groupname = "www-data"
server.pid-file = "$T/lighttpd.pid"
index-file.names = ("index.html")
EOF
    CMD=(lighttpd -D -f "$T/lighttpd.conf"); PROBE="curl -sf http://127.0.0.1:803/"
}
prog_sshd() {
    PKG=openssh-server
    ssh-keygen -q -A >/dev/null 2>&1; mkdir -p /run/sshd
    CMD=(/usr/sbin/sshd -D -e -p 822 -o ListenAddress=127.0.0.1 -o "PidFile=$T/sshd.pid")
    PROBE="nc -w2 127.0.0.1 822 </dev/null | grep -q ^SSH-"
}
prog_dnsmasq() {
    PKG=dnsmasq
    CMD=(dnsmasq -k --conf-file=/dev/null --port=853 --listen-address=127.0.0.1 --bind-interfaces
         --no-resolv --no-hosts "--pid-file=$T/dnsmasq.pid" --user=dnsmasq --address=/rp.test/127.0.0.9)
    PROBE="dig +short +time=1 +tries=1 @127.0.0.1 -p 853 rp.test | grep -q 127.0.0.9"
}
prog_named() {
    PKG=bind9; chmod 755 "$T"; mkdir -p "$T/named"; chown bind:bind "$T/named"
    cat > "$T/named.conf" <<EOF
options { directory "$T/named"; pid-file "$T/named/named.pid"; listen-on port 854 { 127.0.0.1; };
          listen-on-v6 { none; }; recursion no; };
EOF
    CMD=(named -f -u bind -c "$T/named.conf")
    # dig prints its own errors on stdout: look for the TXT answer's quotes.
    PROBE="dig +short +time=1 +tries=1 @127.0.0.1 -p 854 version.bind chaos txt | grep -q '\"'"
}
prog_chronyd() {
    PKG=chrony
    printf 'pidfile %s/chronyd.pid\ncmdport 0\nport 0\ndriftfile %s/drift\n' "$T" "$T" > "$T/chrony.conf"
    chmod 755 "$T"
    CMD=(chronyd -d -x -u _chrony -f "$T/chrony.conf"); DURATION=3
}
prog_rsyslogd() {
    PKG=rsyslog
    cat > "$T/rsyslog.conf" <<EOF
global(workDirectory="$T")
module(load="imtcp")
input(type="imtcp" port="805" address="127.0.0.1")
*.* action(type="omfile" file="$T/messages")
EOF
    CMD=(rsyslogd -n -f "$T/rsyslog.conf" -i "$T/rsyslogd.pid"); PROBE="nc -z 127.0.0.1 805"
}
prog_cron() { PKG=cron; CMD=(cron -f); DURATION=3; }
prog_vsftpd() {
    PKG=vsftpd; mkdir -p /var/run/vsftpd/empty
    printf 'listen=YES\nlisten_address=127.0.0.1\nlisten_port=821\nbackground=NO\nanonymous_enable=NO\nlocal_enable=YES\nsecure_chroot_dir=/var/run/vsftpd/empty\n' > "$T/vsftpd.conf"
    CMD=(vsftpd "$T/vsftpd.conf"); PROBE="nc -w2 127.0.0.1 821 </dev/null | grep -q ^220"
}
prog_haproxy() {
    PKG=haproxy
    cat > "$T/haproxy.cfg" <<EOF
global
    user haproxy
    group haproxy
    pidfile $T/haproxy.pid
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend www
    bind 127.0.0.1:823
    http-request return status 200 content-type text/plain string ok
EOF
    CMD=(haproxy -db -f "$T/haproxy.cfg"); PROBE="curl -sf http://127.0.0.1:823/"
}
prog_memcached() {
    PKG=memcached
    CMD=(memcached -u memcache -l 127.0.0.1 -p 11824 -U 0)
    PROBE="printf 'version\r\nquit\r\n' | nc -w2 127.0.0.1 11824 | grep -q VERSION"
}
prog_redis() {
    PKG=redis-server; chmod 755 "$T"
    CMD=(redis-server --port 825 --bind 127.0.0.1 --daemonize no --save '' --dir "$T")
    PROBE="redis-cli -p 825 ping | grep -q PONG"
}
prog_squid() {
    PKG=squid; chmod 755 "$T"; mkdir -p "$T/squid"; chown proxy:proxy "$T/squid"
    cat > "$T/squid.conf" <<EOF
http_port 127.0.0.1:826
cache_effective_user proxy
pid_filename $T/squid/squid.pid
cache_log $T/squid/cache.log
access_log none
coredump_dir $T/squid
http_access allow localhost
http_access deny all
EOF
    CMD=(squid -N -f "$T/squid.conf"); PROBE="nc -z 127.0.0.1 826"
}
prog_busybox-httpd() { PKG=busybox; www; CMD=(busybox httpd -f -p 127.0.0.1:827 -h "$T/www"); PROBE="curl -sf http://127.0.0.1:827/"; }
prog_su() { PKG=util-linux; CMD=(su -s /bin/sh nobody -c 'test "$(id -u)" = 65534'); }
copy_etc() {
    mkdir -p "$T/root/etc"
    cp /etc/passwd /etc/group /etc/shadow /etc/gshadow /etc/login.defs "$T/root/etc/"
}
prog_useradd() { PKG=passwd; copy_etc; CMD=(useradd -P "$T/root" -r -M -N -s /usr/sbin/nologin rpuser); }
prog_groupadd() { PKG=passwd; copy_etc; CMD=(groupadd -P "$T/root" -r rpgroup); }
prog_chown() { PKG=coreutils; mkdir "$T/d"; touch "$T/d/f"; chown -R 1000:1000 "$T/d"; CMD=(chown -R 33:33 "$T/d"); }
prog_chgrp() { PKG=coreutils; touch "$T/f"; chown 1000:1000 "$T/f"; CMD=(chgrp 33 "$T/f"); }
prog_ping() { PKG=iputils-ping; CMD=(ping -c1 -W2 127.0.0.1); }
prog_tcpdump() {
    PKG=tcpdump
    CMD=(sh -c '(sleep 1; echo x | nc -u -w1 127.0.0.1 9) & exec tcpdump -i lo -n -c1 udp port 9')
}
prog_ip-link() {
    PKG=iproute2
    CMD=(sh -c 'ip link add rpbr0 type bridge && ip link set rpbr0 up &&
               ip route add 10.254.254.0/24 dev rpbr0; r=$?; ip link del rpbr0 2>/dev/null; exit $r')
}
prog_iptables() { PKG=iptables; CMD=(iptables-legacy -n -L); }

# --- running one program under setpriv --------------------------------------
cgroot=/sys/fs/cgroup/unified
[ -w "$cgroot/cgroup.procs" ] || cgroot=""

# Every process of the current verification run (its cgroup, or its session).
service_pids() {
    if [ -n "$cgroot" ]; then cat "$cg/cgroup.procs" 2>/dev/null; return; fi
    local p; for p in /proc/[0-9]*; do
        [ "$(awk '{print $6}' "$p/stat" 2>/dev/null)" = "$leader" ] && echo "${p#/proc/}"
    done
}
# "comm euid:egid" of every process of the run, sorted, unique.
service_users() {
    local pid
    for pid in $(service_pids); do
        [ "$pid" = "$leader" ] && [ "$(cat /proc/$pid/comm 2>/dev/null)" = setpriv ] && continue
        awk -v c="$(cat /proc/$pid/comm 2>/dev/null)" '/^Uid:/{u=$3} /^Gid:/{g=$3} END{if (u != "") print c" "u":"g}' \
            "/proc/$pid/status" 2>/dev/null
    done | sort -u | paste -sd, -
}
stop_service() {
    if [ -n "$cgroot" ]; then
        echo 1 > "$cg/cgroup.kill" 2>/dev/null
    else
        kill -KILL -- "-$leader" 2>/dev/null
    fi
    wait "$leader" 2>/dev/null
    [ -n "$cgroot" ] && { for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$cg" 2>/dev/null && break; sleep 0.1; done; }
}

# verify_run CAPS: runs the program with exactly CAPS (comma list, "" for
# none, "ALL" for every capability); sets RESULT (ok|fail) and USERS.
verify_run() {
    local caps=$1 prefix=()
    T=$(mktemp -d /tmp/capprof-rp.XXXXXX); PROBE=""; DURATION=""; CMD=()
    "prog_$name"
    if [ "$caps" != ALL ]; then
        local bset="-all"; [ -n "$caps" ] && bset+=$(tr 'A-Z' 'a-z' <<<",+${caps//,/,+}")
        prefix=(setpriv "--bounding-set=$bset" --inh-caps=-all --ambient-caps=-all --)
    fi
    cg="$cgroot/capprof-rp-$$"
    [ -n "$cgroot" ] && mkdir -p "$cg"
    ( [ -n "$cgroot" ] && echo "$BASHPID" > "$cg/cgroup.procs"; cd "$T" && exec setsid "${prefix[@]}" "${CMD[@]}" ) \
        >"$T.log" 2>&1 </dev/null &
    leader=$!
    RESULT=fail; USERS=""
    if [ -n "$PROBE" ]; then
        local deadline=$((SECONDS + ready_timeout))
        while [ $SECONDS -lt $deadline ] && kill -0 "$leader" 2>/dev/null; do
            if timeout 5 sh -c "$PROBE" >/dev/null 2>&1; then
                # Served: and still serving a moment later (no probe that passes too early).
                sleep 0.5; USERS=$(service_users)
                kill -0 "$leader" 2>/dev/null && timeout 5 sh -c "$PROBE" >/dev/null 2>&1 && RESULT=ok
                break
            fi
            sleep 0.2
        done
    elif [ -n "$DURATION" ]; then
        sleep "$DURATION"; USERS=$(service_users)
        kill -0 "$leader" 2>/dev/null && RESULT=ok
    else
        local i; for ((i = 0; i < 10 * ready_timeout; i++)); do kill -0 "$leader" 2>/dev/null || break; sleep 0.1; done
        if ! kill -0 "$leader" 2>/dev/null; then wait "$leader"; [ $? -eq 0 ] && RESULT=ok; fi
    fi
    stop_service
    rm -rf "$T" "$T.log"
}

# minimize_run: capprof minimize on a fresh configuration; sets ANSWER
# (comma list) or ANSWER_ERROR.
minimize_run() {
    T=$(mktemp -d /tmp/capprof-rp.XXXXXX); PROBE=""; DURATION=""; CMD=()
    "prog_$name"
    local opts=(--json "$T.json" --ready-timeout "$ready_timeout")
    [ -n "$PROBE" ] && opts+=(--probe "$PROBE")
    [ -n "$DURATION" ] && opts+=(--duration "$DURATION")
    (cd "$T" && timeout -k 5 "$run_timeout" "$capprof" minimize "${opts[@]}" -- "${CMD[@]}") \
        >"$logdir/$name.answer" 2>"$logdir/$name.log" </dev/null
    local rc=$?
    ANSWER=""; ANSWER_ERROR=""
    if [ -s "$T.json" ] && [ "$(jq -r .success "$T.json")" = true ]; then
        ANSWER=$(jq -r '.cap_add | join(",")' "$T.json")
    else
        ANSWER_ERROR="minimize found no set (exit $rc): $(grep -m1 'no working set' "$logdir/$name.log" | cut -c1-160)"
    fi
    cp "$T.json" "$logdir/$name.json" 2>/dev/null
    rm -rf "$T" "$T.json"
}

# Installs the package of a program if it is missing; false when it cannot be.
ensure_installed() {
    dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null | grep -qx installed && return 0
    [ "$install" = 1 ] || return 1
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=300 "$PKG" >/dev/null 2>&1
}

verify_program() {
    WHY=""
    verify_run ALL; local ref_ok=$RESULT ref_users=$USERS
    [ "$ref_ok" = ok ] || { WHY="does not work even with every capability (setup problem)"; return 1; }
    verify_run "$ANSWER"
    [ "$RESULT" = ok ] || { WHY="fails with the answered set"; return 1; }
    [ "$USERS" = "$ref_users" ] || { WHY="users differ: [$USERS] vs all caps [$ref_users]"; return 1; }
    local cap rest
    for cap in ${ANSWER//,/ }; do
        rest=$(tr ',' '\n' <<<"$ANSWER" | grep -vx "$cap" | paste -sd, -)
        verify_run "$rest"
        if [ "$RESULT" = ok ] && [ "$USERS" = "$ref_users" ]; then
            WHY="${WHY:+$WHY; }works without $cap"
        fi
    done
    [ -z "$WHY" ]
}

main() {
    if [ "$list" = 1 ]; then printf '%s\n' "${PROGRAMS[@]}"; return 0; fi
    [ "$(id -u)" = 0 ] || { echo "real-programs: run as root (capprof minimize and setpriv need it)" >&2; return 125; }
    command -v setpriv >/dev/null || { echo "real-programs: setpriv is missing: apt-get install util-linux" >&2; return 125; }
    [ -x "$capprof" ] || { echo "real-programs: no capprof at $capprof: build it (scripts/build.sh) or pass --capprof" >&2; return 125; }
    command -v jq >/dev/null && command -v nc >/dev/null && command -v dig >/dev/null || {
        [ "$install" = 1 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            jq netcat-openbsd bind9-dnsutils curl >/dev/null 2>&1
    }
    command -v jq >/dev/null || { echo "real-programs: jq is missing: apt-get install jq" >&2; return 125; }
    logdir=$(mktemp -d /tmp/capprof-rp-logs.XXXXXX)
    local selected=("${PROGRAMS[@]}") failed=0 name
    [ -n "$only" ] && IFS=, read -r -a selected <<<"$only"
    local out=${table:-/dev/null}
    printf '| program | answer | verified | why not |\n|---|---|---|---|\n' | tee "$out"
    for name in "${selected[@]}"; do
        declare -F "prog_$name" >/dev/null || { echo "real-programs: unknown program $name (--list)" >&2; return 125; }
        T=$(mktemp -d /tmp/capprof-rp.XXXXXX); "prog_$name"; rm -rf "$T"
        if ! ensure_installed; then
            printf '| %s | - | skipped | %s cannot be installed |\n' "$name" "$PKG" | tee -a "$out"; continue
        fi
        minimize_run
        if [ -n "$ANSWER_ERROR" ]; then
            printf '| %s | - | no | %s |\n' "$name" "$ANSWER_ERROR" | tee -a "$out"; failed=1; continue
        fi
        if verify_program; then
            printf '| %s | %s | yes | |\n' "$name" "${ANSWER:-(none)}" | tee -a "$out"
        else
            printf '| %s | %s | no | %s |\n' "$name" "${ANSWER:-(none)}" "$WHY" | tee -a "$out"; failed=1
        fi
    done
    echo "logs: $logdir" >&2
    return $failed
}

# Sourcing the script only defines the programs and helpers.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    parse_args "$@"
    exec 9>/tmp/capprof-e2e.lock
    [ "$list" = 1 ] || flock 9
    main
fi
