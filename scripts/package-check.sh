#!/usr/bin/env bash
# Checks what capprof ships: the install tree, the man page, the bash
# completion and the .deb (built with cpack, installed with dpkg, run, removed).
#
# usage: scripts/package-check.sh [BUILD_DIR]     (default: build-ship)
# BUILD_DIR is configured and built if needed. The dpkg part needs root and
# is skipped (with a message) otherwise; it refuses to touch a capprof package
# that was already installed before the check.
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${1:-$source_dir/build-ship}
prefix=$(mktemp -d /tmp/capprof-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT

failures=0
ok() { echo "ok   - $*"; }
fail() { echo "FAIL - $*"; failures=$((failures + 1)); }

[ -f "$build_dir/CMakeCache.txt" ] ||
    cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# capprof-static (--image) is installed next to capprof when the build makes it.
targets=(capprof)
grep -q 'build app/capprof-static:' "$build_dir/build.ninja" 2>/dev/null && targets+=(capprof-static)
cmake --build "$build_dir" --target "${targets[@]}" -j2 >/dev/null

# --- cmake --install ----------------------------------------------------------
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
for f in bin/capprof share/man/man1/capprof.1 share/bash-completion/completions/capprof; do
    if [ -f "$prefix/$f" ]; then ok "installed $f"; else fail "missing $f after cmake --install"; fi
done
if [ "${#targets[@]}" -gt 1 ]; then
    if file -L "$prefix/bin/capprof-static" 2>/dev/null | grep -q 'statically linked'; then
        ok "installed bin/capprof-static, statically linked, next to capprof (--image finds it there)"
    else
        fail "bin/capprof-static missing or not static after cmake --install"
    fi
fi
if version=$("$prefix/bin/capprof" --version 2>&1); then
    ok "installed capprof --version: $version"
else
    fail "installed capprof --version failed: $version"
fi

# --- the man page renders without warnings -------------------------------------
warnings=$(groff -man -ww -z "$prefix/share/man/man1/capprof.1" 2>&1 || true)
if [ -z "$warnings" ]; then ok "man page: groff -ww reports nothing"; else fail "man page warnings: $warnings"; fi
rendered=$(MANWIDTH=80 man -l "$prefix/share/man/man1/capprof.1" 2>/dev/null || true)
for section in NAME SYNOPSIS COMMANDS OPTIONS "EXIT STATUS" EXAMPLES; do
    grep -q "^$section" <<<"$rendered" || fail "man page has no $section section"
done
# Every subcommand and option capprof's help lists is documented in the man page
# and offered by the completion.
undocumented=0
for cmd in run minimize check decode inspect rules; do
    grep -qE "^\.B(I)? \"?$cmd" "$prefix/share/man/man1/capprof.1" ||
        { fail "the man page has no entry for capprof $cmd"; undocumented=1; }
    help=$("$prefix/bin/capprof" "$cmd" --help 2>&1 || true)
    # Option lines of CLI11's help: "  -v,--verbose   ..." or "  --json FILE  ...".
    for opt in $(grep -oE -- '^ +(-[a-zA-Z],)?--[a-z][a-z-]+' <<<"$help" | grep -oE -- '--[a-z-]+' | sort -u); do
        grep -qF -- "${opt//-/\\-}" "$prefix/share/man/man1/capprof.1" ||
            { fail "capprof $cmd --help lists $opt, the man page does not"; undocumented=1; }
        grep -qF -- "$opt" "$prefix/share/bash-completion/completions/capprof" ||
            { fail "capprof $cmd --help lists $opt, the completion does not"; undocumented=1; }
    done
done
[ "$undocumented" -eq 1 ] || ok "man page and completion cover every subcommand and option of --help"

# --- bash completion -----------------------------------------------------------
completion=$(bash -c '
    source "$1"
    COMP_WORDS=(capprof run --cap-add net_b); COMP_CWORD=3
    _capprof capprof net_b --cap-add; echo "${COMPREPLY[*]}"' _ \
    "$prefix/share/bash-completion/completions/capprof" 2>&1)
if [[ $completion == *NET_BIND_SERVICE* ]]; then
    ok "completion: capprof run --cap-add net_b<TAB> -> $completion"
else
    fail "completion of --cap-add net_b: '$completion'"
fi

# --- cpack .deb, dpkg -i, run, dpkg -r ------------------------------------------
(cd "$build_dir" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build_dir"/capprof_*.deb 2>/dev/null | head -1)
if [ -n "$deb" ]; then
    ok "cpack built $(basename "$deb")"
    echo "#   Depends: $(dpkg-deb -f "$deb" Depends)"
    contents=$(dpkg-deb -c "$deb")
    for f in ./usr/bin/capprof ./usr/share/man/man1/capprof.1 ./usr/share/bash-completion/completions/capprof; do
        grep -q " $f\$" <<<"$contents" || fail "$f not in $(basename "$deb")"
    done
    if [ "$(id -u)" -ne 0 ]; then
        echo "skipped: dpkg -i needs root"
    elif dpkg-query -W -f='${db:Status-Status}' capprof 2>/dev/null | grep -q installed; then
        echo "skipped: a capprof package is already installed; not touching it"
    else
        if dpkg -i "$deb" >/dev/null 2>&1; then
            if out=$(/usr/bin/capprof --version 2>&1); then ok "dpkg -i; /usr/bin/capprof --version: $out"
            else fail "/usr/bin/capprof --version after dpkg -i: $out"; fi
            man -w capprof >/dev/null 2>&1 && ok "man capprof finds the page" || fail "man -w capprof"
        else
            fail "dpkg -i $(basename "$deb")"
        fi
        dpkg -r capprof >/dev/null 2>&1 && ok "dpkg -r capprof" || fail "dpkg -r capprof"
        [ ! -e /usr/bin/capprof ] || fail "/usr/bin/capprof left after dpkg -r"
    fi
else
    fail "cpack produced no .deb in $build_dir"
fi

[ "$failures" -eq 0 ] && { echo "package-check: all checks passed"; exit 0; }
echo "package-check: $failures check(s) failed"
exit 1
