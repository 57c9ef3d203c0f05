#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Who may do what on the control socket. vxgate runs with --group users --admin-group
# staff (groups every Debian has); its socket is then root's and users', mode 0660. As
# other users (setpriv, numeric ids that need no account):
#  - not in either group: cannot even connect;
#  - in users: may show and ask for help, is denied reload, clear and shutdown, and the
#    daemon counts each denial;
#  - in staff as well: may reload (and the reload applies), but only files under the
#    config's directory;
# and a config error quotes at most a short excerpt of a line, even of a file that is no
# config (a shadow-like file). Needs root (to set the users); skipped without it.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
[ "$(id -u)" = 0 ] || {
	echo "SKIP: needs root: the test runs clients as other users (setpriv)"
	exit 77
}
command -v setpriv >/dev/null || {
	echo "SKIP: setpriv (util-linux) not found"
	exit 77
}
VXG_TMP=$(mktemp -d /tmp/vxg-access-test.XXXXXX)
trap 'vxg_stop || true; rm -rf "$VXG_TMP"' EXIT
chmod 755 "$VXG_TMP" # other users reach the socket through it
USERS_GID=$(getent group users | cut -d: -f3)
STAFF_GID=$(getent group staff | cut -d: -f3)
mkdir "$VXG_TMP/etc" "$VXG_TMP/elsewhere"

cfg() { # $1: file; $2: VNI of web
	cat >"$1" <<EOC
dataplane: {mbufs: 4096, limits: {fdb: 1024, neighbours: 256, sessions: 1024}}
interfaces:
  - {name: uplink, device: "net_null_up,no-rx=1", role: underlay, address: 172.16.0.1/24}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: $2, cidr: 10.1.0.0/24, gateway: 10.1.0.1}
EOC
}
cfg "$VXG_TMP/etc/a.yaml" 100
cfg "$VXG_TMP/etc/b.yaml" 101
cfg "$VXG_TMP/elsewhere/c.yaml" 102

# as UID GROUPS ARGS...: vxgate-ctl as user UID, primary group the first of GROUPS (a
# comma-separated list of gids), the rest supplementary.
as() {
	local uid=$1 groups=$2
	shift 2
	setpriv --reuid="$uid" --regid="${groups%%,*}" --groups="$groups" \
		"$VXCTL" -s "$VXG_SOCK" "$@"
}

vxg_start access "$VXG_TMP/etc/a.yaml" --group users --admin-group staff ||
	fail "vxgate did not start"

# 1. The socket file: root's and users', 0660.
got=$(stat -c '%a %U %G' "$VXG_SOCK")
[ "$got" = "660 root users" ] || fail "socket mode/owner/group: $got, expected 660 root users"
ok "the control socket is $got"

# 2. Outside both groups: the kernel refuses the connection.
if out=$(as 4242 4242 show version 2>&1); then
	fail "a user outside the socket's group connected: $out"
fi
grep -q "Permission denied" <<<"$out" || fail "outsider: expected Permission denied, got: $out"
ok "a user outside the group cannot connect: $out"

# 3. A member of users: shows, and is denied the rest.
as 4242 "$USERS_GID" show version >/dev/null || fail "a member of users cannot show version"
as 4242 "$USERS_GID" -j show stats >/dev/null || fail "a member of users cannot show stats"
as 4242 "$USERS_GID" help | grep -q "show version" || fail "a member of users cannot ask help"
denied=0
for cmd in "reload" "reload $VXG_TMP/etc/b.yaml" "clear stats" "shutdown"; do
	# shellcheck disable=SC2086
	if out=$(as 4242 "$USERS_GID" $cmd 2>&1); then
		fail "a member of users ran '$cmd': $out"
	fi
	grep -q "permission denied" <<<"$out" || fail "'$cmd' by a member of users: $out"
	denied=$((denied + 1))
done
kill -0 "$VXG_PID" || fail "vxgate stopped after a denied shutdown"
vxg_ctl show config | grep -q "a.yaml" || fail "a denied reload changed the config"
got=$(vxg_ctl -j show control | vxg_json "d['denied']")
[ "$got" = "$denied" ] || fail "show control counts $got denials, expected $denied"
ok "a member of users shows and gets help; reload, clear and shutdown are denied and counted ($got)"

# 4. A member of staff as well: reloads, only from the config's directory.
out=$(as 4243 "$USERS_GID,$STAFF_GID" reload "$VXG_TMP/etc/b.yaml") ||
	fail "a member of staff could not reload b.yaml: $out"
grep -q "generation 2" <<<"$out" || fail "reload by a member of staff: $out"
ok "a member of staff reloads: $out"
for f in "$VXG_TMP/elsewhere/c.yaml" "$VXG_TMP/etc/../elsewhere/c.yaml" /etc/passwd; do
	if out=$(vxg_ctl reload "$f" 2>&1); then
		fail "reload of $f outside the config's directory accepted: $out"
	fi
	grep -q "reloads only files under $VXG_TMP/etc" <<<"$out" || fail "reload $f: $out"
done
ln -s "$VXG_TMP/elsewhere/c.yaml" "$VXG_TMP/etc/link.yaml"
if out=$(vxg_ctl reload "$VXG_TMP/etc/link.yaml" 2>&1); then
	fail "reload through a symbolic link out of the directory accepted: $out"
fi
vxg_ctl show config | grep -q "generation: 2" || fail "a refused reload changed the generation"
ok "reloads of files outside $VXG_TMP/etc (by path, .., a link) are refused: $out"

# 5. A file that is no config: the errors quote a short excerpt of its lines, no more.
secret='root:$y$j9T$0123456789abcdefghijklmnopqrstuvwxyzABCDEF:20000:0:99999:7:::'
printf '%s\n' "$secret" >"$VXG_TMP/etc/shadow-like"
out=$(vxg_ctl reload "$VXG_TMP/etc/shadow-like" 2>&1) && fail "reload of a shadow-like file accepted"
grep -qF "${secret:0:24}..." <<<"$out" || fail "expected an excerpt of 24 characters: $out"
grep -qF "${secret:0:30}" <<<"$out" && fail "the error quotes more than 24 characters: $out"
out=$("$VXGATE" -- --check -c "$VXG_TMP/etc/shadow-like" 2>&1) && fail "--check took it"
grep -qF "${secret:0:30}" <<<"$out" && fail "--check quotes more than 24 characters: $out"
ok "errors quote at most 24 characters of a line: $(head -1 <<<"$out")"

# 6. Root still may do everything.
vxg_stop || fail "vxgate did not stop cleanly on root's shutdown"
ok "root shuts it down"
