#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The installed documentation says what the programs do: every option of `vxgate --help`
# and of vxgate-ctl's usage is in their man page's source (dist/*.md), every command of
# the completion's list (held equal to the daemon's `help` by core-service) is in
# vxgate-ctl(8), and the built pages render without a warning from man. (vxgate.yaml(5)
# is config/README.md itself.)
set -eu
BUILD=$(cd "${1:-build}" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"

# The option lines ("  -c, --config FILE   what"), up to their description.
opts=$("$VXGATE" -- --help | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
	grep -oE -- '--?[a-z][a-z-]*' | sort -u)
[ "$(echo "$opts" | wc -l)" -ge 10 ] || fail "vxgate --help: too few options: $opts"
for o in $opts; do
	grep -qF -- "\`$o\`" "$SRC/dist/vxgate.8.md" || fail "vxgate(8) does not document $o"
done
ok "vxgate(8) documents every option of vxgate --help: $(echo $opts)"

copts=$("$VXCTL" -h 2>&1 | sed -n 's/^  \(-[a-z]\) .*/\1/p')
[ -n "$copts" ] || fail "vxgate-ctl -h: no options"
for o in $copts; do
	grep -qF -- "\`$o\`" "$SRC/dist/vxgate-ctl.8.md" || fail "vxgate-ctl(8) lacks $o"
done
# shellcheck disable=SC1091
cmds=$(. "$SRC/dist/vxgate-ctl.bash" && _vxgate_ctl_static)
while read -r c; do
	grep -qF -- "\`$c\`" "$SRC/dist/vxgate-ctl.8.md" || fail "vxgate-ctl(8) lacks \`$c\`"
done <<<"$cmds"
ok "vxgate-ctl(8) documents $(echo $copts) and the $(echo "$cmds" | wc -l) commands"

if command -v man >/dev/null; then
	for p in vxgate.8 vxgate-ctl.8 vxgate.yaml.5; do
		w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$BUILD/dist/$p" 2>&1 >/dev/null)
		[ -z "$w" ] || fail "man $p: $w"
	done
	ok "man renders vxgate(8), vxgate-ctl(8), vxgate.yaml(5) without a warning"
fi

# What `make install` installs (meson install; DESTDIR as a staging root): the same files
# as the package, under the build's prefix, and the installed vxgate checks the installed
# example.
T=$(mktemp -d /tmp/vxg-dist-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
meson install -C "$BUILD" --destdir "$T" --no-rebuild --quiet >"$T.log" 2>&1 ||
	fail "meson install: $(cat "$T.log")"
rm -f "$T.log"
prefix=$(meson introspect --buildoptions "$BUILD" |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
for f in sbin/vxgate bin/vxgate-ctl share/man/man8/vxgate.8 share/man/man8/vxgate-ctl.8 \
	share/man/man5/vxgate.yaml.5 share/bash-completion/completions/vxgate-ctl \
	lib/systemd/system/vxgate.service etc/vxgate/vxgate.yaml etc/default/vxgate; do
	[ -f "$T$prefix/$f" ] || fail "make install: no $prefix/$f"
done
"$T$prefix/sbin/vxgate" -- --check -c "$T$prefix/etc/vxgate/vxgate.yaml" >/dev/null ||
	fail "the installed vxgate refuses the installed example"
ok "make install: binaries, man pages, completion, unit and example under $prefix; the example checks"
