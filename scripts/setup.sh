#!/usr/bin/env bash
# Installs the Debian packages capprof's build, tests and demo need.
# Idempotent and quiet when everything is already there.
set -euo pipefail

packages=(
    # build
    build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev gcc-multilib
    libseccomp-dev libcap-dev libspdlog-dev libcli11-dev nlohmann-json3-dev
    googletest libgtest-dev
    # scripts/check-function-size.sh
    clang-tidy-14
    # real programs the tests and the demo trace
    busybox nginx-light curl strace util-linux e2fsprogs iproute2 iputils-ping netcat-openbsd
    coreutils procps time python3 python3-yaml libcap2-bin nftables iptables
    # a chrooting daemon (safe fixes), a real program that locks its memory (python3)
    vsftpd
    # --unit: a web server unit to profile, systemd-notify for Type=notify,
    # systemd-analyze to check the drop-ins
    lighttpd systemd
    # isolated trials (an ext4 image per run of capprof) and their e2e tests
    acl rsync passwd
    # --image and the docker e2e test (a private dockerd; images made with docker import)
    docker.io
)

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run as root (or: sudo apt-get install ${missing[*]})" >&2
    exit 1
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
