#!/usr/bin/env bash
# Sets up, builds and runs capprof. With arguments they go to capprof
# (scripts/run.sh run -- CMD...). Without, it profiles a real demo workload:
# busybox's web server on port 80, first one traced run, then minimize.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
capprof="${BUILD_DIR:-$root/build}/app/capprof"

if [ $# -gt 0 ]; then
    exec "$capprof" "$@"
fi

site=$(mktemp -d)
trap 'rm -rf "$site"' EXIT
echo '<h1>hello from busybox httpd</h1>' > "$site/index.html"
chmod 755 "$site"; chmod 644 "$site/index.html"

echo "== capprof run -- busybox httpd -f -p 80 -h $site"
"$capprof" run -- busybox httpd -f -p 80 -h "$site" || true
echo
echo "== capprof minimize --probe 'curl -sf http://127.0.0.1:80/' -- busybox httpd -f -p 80 -h $site"
"$capprof" minimize --probe 'curl -sf http://127.0.0.1:80/' --format docker \
    -- busybox httpd -f -p 80 -h "$site"
