#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The Debian package as an administrator meets it. dpkg-buildpackage builds it from a
# copy of the source (the tree stays clean; nocheck: the unit tests run elsewhere);
# lintian reports no error nor warning; then, in a throwaway root (an overlay over this
# machine's own, in mount and network namespaces of the test's own, which vanish with
# it): dpkg installs it (its postinst makes the group vxgate), `systemd-analyze verify`
# passes on the installed unit, and vxgate runs as the unit would run it (the settings of
# /etc/default/vxgate, ExecStartPre's check and hugepages helper, /run/vxgate as
# RuntimeDirectory makes it, group vxgate) with the installed example config: it answers
# `vxgate-ctl show version` on the default socket, reloads as ExecReload does and stops
# on SIGTERM with status 0. Last, dpkg removes and purges it. Needs root, debhelper,
# lintian and overlayfs; without them the test is skipped, saying why.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
skip() {
	echo "SKIP: $*"
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root (dpkg in a chroot, namespaces)"
for t in dpkg-buildpackage dh lintian unshare chroot systemd-analyze; do
	command -v "$t" >/dev/null || skip "$t is missing (tools/install-deps.sh installs it)"
done
T=$(mktemp -d /tmp/vxg-deb-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
t0=$(date +%s)
elapsed() { echo $(($(date +%s) - t0)); }

# 1. Build, from a copy: git's files (committed or not, less what .gitignore hides).
mkdir "$T/src"
if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$SRC" ls-files -co --exclude-standard -z | (cd "$SRC" && tar -cf - --null -T -) |
		tar -xf - -C "$T/src"
else
	tar -C "$SRC" --exclude='./build*' -cf - . | tar -xf - -C "$T/src"
fi
(cd "$T/src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
	dpkg-buildpackage -us -uc -b >"$T/build.log" 2>&1) ||
	fail "dpkg-buildpackage failed: $(tail -30 "$T/build.log")"
deb=$(ls "$T"/vxgate_*.deb)
version=$(dpkg-deb -f "$deb" Version)
want=$(sed -n "s/^\tversion: '\(.*\)',$/\1/p" "$SRC/meson.build")
[ "$version" = "$want" ] || fail "debian/changelog says $version, meson.build $want"
ok "dpkg-buildpackage built $(basename "$deb") in $(elapsed) s"

# 2. lintian: errors and warnings fail (what is overridden says why in
#    debian/vxgate.lintian-overrides).
lintian --fail-on error,warning --display-info "$deb" >"$T/lintian.log" 2>&1 ||
	fail "lintian: $(cat "$T/lintian.log")"
ok "lintian: no error nor warning$(grep -v 'root privileges' "$T/lintian.log" | sed 's/^/; /' | tr -d '\n')"

# 3. What runs in the throwaway root.
cat >"$T/inside.sh" <<'INSIDE'
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
dpkg -i /tmp/vxgate.deb >/tmp/dpkg.log 2>&1 || fail "dpkg -i: $(cat /tmp/dpkg.log)"
getent group vxgate >/dev/null || fail "postinst made no group vxgate"
ok "dpkg -i: installed; group vxgate made by postinst"
[ "$(systemctl is-enabled vxgate.service 2>/dev/null || true)" = disabled ] ||
	fail "vxgate.service: $(systemctl is-enabled vxgate.service 2>&1)"
out=$(systemd-analyze verify vxgate.service 2>&1) ||
	fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify: $out"
ok "systemd-analyze verify vxgate.service: clean (installed, not enabled)"
for p in vxgate.8 vxgate-ctl.8 vxgate.yaml.5; do
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings "${p##*.}" "${p%.*}" 2>&1 >/dev/null | head -3)
	[ -z "$w" ] || fail "man $p: $w"
done
ok "man vxgate, vxgate-ctl, vxgate.yaml: no warning"
ip link set lo up
# As the unit: its Environment= defaults, then /etc/default/vxgate.
VXGATE_CONFIG=/etc/vxgate/vxgate.yaml VXGATE_HUGEPAGES=0 VXGATE_ARGS=
. /etc/default/vxgate
/usr/sbin/vxgate -- --check -c "$VXGATE_CONFIG" || fail "ExecStartPre: the check"
/usr/libexec/vxgate/vxgate-hugepages "$VXGATE_HUGEPAGES" || fail "ExecStartPre: hugepages"
/usr/libexec/vxgate/vxgate-hugepages lots 2>/dev/null && fail "hugepages helper took 'lots'"
install -d -m 0750 -g vxgate /run/vxgate
# shellcheck disable=SC2086
setpriv --regid vxgate --clear-groups /usr/sbin/vxgate $VXGATE_EAL_ARGS -- \
	-c "$VXGATE_CONFIG" $VXGATE_ARGS >/tmp/vxgate.log 2>&1 </dev/null &
pid=$!
# A failed check must not leave the daemon running outside the test.
trap 'kill -KILL $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
	vxgate-ctl show version >/tmp/version 2>/dev/null && break
	kill -0 $pid 2>/dev/null || fail "vxgate exited: $(cat /tmp/vxgate.log)"
	sleep 0.1
done
grep -q "^vxgate " /tmp/version || fail "show version: $(cat /tmp/version)"
ok "vxgate started as the unit starts it: $(head -1 /tmp/version)"
n=$(vxgate-ctl -j show interfaces | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["interfaces"]))')
[ "$n" = 3 ] || fail "the example's interfaces: $n, expected 3"
[ "$(stat -c %G /run/vxgate/vxgate.sock)" = vxgate ] || fail "socket group: $(stat -c %G /run/vxgate/vxgate.sock)"
vxgate-ctl reload >/tmp/reload 2>&1 || fail "ExecReload: $(cat /tmp/reload)"
grep -q "generation 2" /tmp/reload || fail "ExecReload: $(cat /tmp/reload)"
ok "3 interfaces up, socket of group vxgate, ExecReload: $(cat /tmp/reload)"
kill -TERM $pid
rc=0
wait $pid || rc=$?
trap - EXIT
[ $rc = 0 ] || fail "vxgate exited $rc on SIGTERM: $(tail -5 /tmp/vxgate.log)"
ok "stopped by SIGTERM, exit 0"
# The completion, loaded as bash-completion loads it; no daemon now: from its own list.
got=$(bash -c '. /usr/share/bash-completion/bash_completion
	_completion_loader vxgate-ctl
	COMP_WORDS=(vxgate-ctl show ver); COMP_CWORD=2
	COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
	_vxgate_ctl; echo "${COMPREPLY[*]}"' 2>&1)
[ "$got" = "version" ] || fail "bash completion of 'vxgate-ctl show ver': $got"
ok "bash completion: 'vxgate-ctl show ver' completes to '$got' (no daemon: its own list)"
dpkg -r vxgate >/tmp/dpkg.log 2>&1 || fail "dpkg -r: $(cat /tmp/dpkg.log)"
[ -f /etc/vxgate/vxgate.yaml ] || fail "dpkg -r took the config away"
dpkg -P vxgate >/tmp/dpkg.log 2>&1 || fail "dpkg -P: $(cat /tmp/dpkg.log)"
[ ! -e /etc/vxgate/vxgate.yaml ] || fail "dpkg -P left the config"
ok "dpkg -r keeps the conffiles, dpkg -P removes them"
INSIDE

# 4. The throwaway root: this machine's, copy-on-write, in a mount namespace of its own
#    (with a network namespace, so that the example's taps are the test's alone).
cp "$deb" "$T/vxgate.deb"
R=$T/root
mkdir -p "$T/ov"
unshare --mount --net --fork bash -eu -c '
	T=$1
	mount --make-rprivate /
	mount -t tmpfs tmpfs "$T/ov"
	mkdir -p "$T/ov/upper" "$T/ov/work" "$T/root"
	mount -t overlay overlay -o "lowerdir=/,upperdir=$T/ov/upper,workdir=$T/ov/work" "$T/root"
	mount --rbind /dev "$T/root/dev"
	mount --rbind /sys "$T/root/sys"
	mount --rbind /proc "$T/root/proc"
	mount -t tmpfs tmpfs "$T/root/run"
	mount -t tmpfs tmpfs "$T/root/tmp"
	cp "$T/vxgate.deb" "$T/inside.sh" "$T/root/tmp/"
	chroot "$T/root" /bin/bash /tmp/inside.sh
' _ "$T" || fail "in the throwaway root (above)"
ok "the package test took $(elapsed) s"
