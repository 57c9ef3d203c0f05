#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The examples start as documented: every config/*.yaml is started with the command
# README.md gives for it (plus a file prefix, a control socket and a state directory of
# this test's own), must come up with all its interfaces and stop cleanly through its
# shell's `quit` (or `vxgate-ctl shutdown` without -i). Then the same config with an
# interface MTU its device cannot take is refused, at start and on reload, with an error
# naming the interface, the MTU and the device's limit (from a copy of the config, as vxgate
# reloads only files in its config's directory). Configs on net_tap need root:
# without it they are skipped with the reason.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-examples-test.XXXXXX)
# The namespaces the EVPN examples name: vxgate makes them and leaves them (FRR may live
# on there); removed at the end unless they were there before.
NETNS_BEFORE=$(ip netns list 2>/dev/null | cut -d' ' -f1)
trap 'cleanup' EXIT
cleanup() {
	local ns
	if [ -n "${VXG_PID:-}" ] && kill -0 "$VXG_PID" 2>/dev/null; then
		kill -TERM "$VXG_PID" 2>/dev/null || true
		wait "$VXG_PID" 2>/dev/null || true
	fi
	for ns in $(sed -n 's/^ *namespace: *\([A-Za-z0-9_.-]*\).*/\1/p' "$SRC"/config/*.yaml); do
		grep -qx "$ns" <<<"$NETNS_BEFORE" || ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$VXG_TMP"
}
VXG_SOCK="$VXG_TMP/vxg.sock"
VXG_LOG="$VXG_TMP/vxg.log"
BIG_MTU=9000 # within the schema (at most 9600), beyond what a tap takes (1504)

# The README's command line for config/$1, as words in CMD.
readme_cmd() {
	local line
	line=$(grep -m 1 -E "^build/vxgate .*-c config/$1( |\$)" "$SRC/README.md" || true)
	[ -n "$line" ] || fail "README.md gives no command line for config/$1"
	read -ra CMD <<<"$line"
}

# Why config $1 cannot start here, or nothing.
cannot_start() {
	if grep -qE 'device: *"?(net_tap|net_af_packet)' "$1" && [ "$(id -u)" -ne 0 ]; then
		echo "its net_tap/net_af_packet devices need root"
	elif grep -qE 'device: *"?[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:' "$1"; then
		echo "it names PCI devices"
	fi
}

# start CONFIG: CMD with CONFIG in place of the README's, the test's own prefix, socket
# and state directory; stdin a fifo held open on fd 3, so the shell waits for `quit`.
start() {
	local args=() w
	for w in "${CMD[@]:1}"; do
		[[ $w == config/*.yaml ]] && w=$1
		args+=("$w")
	done
	rm -f "$VXG_TMP/stdin"
	mkfifo "$VXG_TMP/stdin"
	exec 3<>"$VXG_TMP/stdin"
	(cd "$SRC" && exec "$VXGATE" --file-prefix vxg-examples "${args[@]}" -s "$VXG_SOCK" \
		-d "$VXG_TMP/state" <"$VXG_TMP/stdin" >"$VXG_LOG" 2>&1) &
	VXG_PID=$!
}

# Waits until the daemon answers (0) or exits (1, its status in EXIT_RC).
wait_up() {
	for _ in $(seq 1 300); do
		"$VXCTL" -s "$VXG_SOCK" show version >/dev/null 2>&1 && return 0
		if ! kill -0 "$VXG_PID" 2>/dev/null; then
			EXIT_RC=0
			wait "$VXG_PID" || EXIT_RC=$?
			VXG_PID=
			return 1
		fi
		sleep 0.1
	done
	fail "vxgate neither answered nor exited in 30 s"
}

# Stops the daemon as the README's command lets a user: `quit` in its shell, else
# `vxgate-ctl shutdown`; it must exit 0.
stop() {
	local rc=0
	if [[ " ${CMD[*]} " == *" -i "* ]]; then
		echo quit >&3
	else
		"$VXCTL" -s "$VXG_SOCK" shutdown >/dev/null
	fi
	for _ in $(seq 1 100); do
		kill -0 "$VXG_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$VXG_PID" 2>/dev/null && fail "vxgate did not stop"
	wait "$VXG_PID" || rc=$?
	VXG_PID=
	exec 3>&-
	[ "$rc" = 0 ] || fail "vxgate exited with status $rc"
}

# The interface names of a running daemon, one per line.
iface_names() {
	"$VXCTL" -s "$VXG_SOCK" -j show interfaces |
		vxg_json "'\n'.join(i['name'] for i in d['interfaces'])"
}

# $1 with the MTU of its first tap interface set to BIG_MTU; prints "NAME DEVNAME" of
# that interface, or nothing when the config has no tap.
big_mtu_copy() {
	local line name dev
	line=$(grep -m 1 -E '^ *- *\{name: *[^,]+, *device: *"net_tap' "$1") || return 0
	name=$(sed -E 's/.*name: *([^,]+),.*/\1/' <<<"$line")
	dev=$(sed -E 's/.*device: *"([^,"]+).*/\1/' <<<"$line")
	awk -v l="$line" -v m="$BIG_MTU" '
		$0 == l && !done { if ($0 ~ /mtu: *[0-9]+/) sub(/mtu: *[0-9]+/, "mtu: " m);
			else sub(/\} *$/, ", mtu: " m "}"); done = 1 }
		{ print }' "$1" >"$2"
	echo "$name $dev"
}

ran=0
for cfg in "$SRC"/config/*.yaml; do
	base=$(basename "$cfg")
	readme_cmd "$base"
	why=$(cannot_start "$cfg")
	if [ -n "$why" ]; then
		echo "SKIP: config/$base: $why"
		continue
	fi
	"$VXGATE" -- --check -c "$cfg" >"$VXG_TMP/check" || fail "--check config/$base: $(cat "$VXG_TMP/check")"
	n=$(sed -nE 's/.*OK: ([0-9]+) interfaces.*/\1/p' "$VXG_TMP/check")

	# 1. As documented: it comes up with every interface, and stops cleanly.
	start "config/$base"
	wait_up || fail "config/$base: '${CMD[*]}' exited with status $EXIT_RC at start"
	got=$(iface_names | wc -l)
	[ "$got" = "$n" ] || fail "config/$base: $got interfaces up, the config has $n"
	ok "config/$base starts with '${CMD[*]}': $n interfaces ($(iface_names | tr '\n' ' '))"
	# A reload of the same file builds a second generation beside the first: it must fit
	# in the memory the README's command gives.
	out=$("$VXCTL" -s "$VXG_SOCK" reload 2>&1) || fail "config/$base: reload: $out"
	ok "config/$base reloads within '${CMD[*]}': $out"
	stop
	ok "config/$base: stopped cleanly"

	# 2. An MTU the device cannot take: a reload is refused and changes nothing. vxgate
	# reloads only files in its config's directory: a copy of it, then, with the file.
	mkdir -p "$VXG_TMP/config"
	cp "$cfg" "$VXG_TMP/config/$base"
	read -r name dev <<<"$(big_mtu_copy "$cfg" "$VXG_TMP/config/big.yaml")" || true
	if [ -n "${name:-}" ]; then
		start "$VXG_TMP/config/$base"
		wait_up || fail "a copy of config/$base exited with status $EXIT_RC at start"
		want="interface $name: device $dev cannot take MTU $BIG_MTU: its limit is"
		before=$("$VXCTL" -s "$VXG_SOCK" -j show interfaces)
		if "$VXCTL" -s "$VXG_SOCK" reload "$VXG_TMP/config/big.yaml" >"$VXG_TMP/reload" 2>&1; then
			fail "reload with MTU $BIG_MTU on $name accepted: $(cat "$VXG_TMP/reload")"
		fi
		grep -qF "$want" "$VXG_TMP/reload" ||
			fail "reload with MTU $BIG_MTU on $name: expected '$want...', got: $(cat "$VXG_TMP/reload")"
		after=$("$VXCTL" -s "$VXG_SOCK" -j show interfaces)
		[ "$(vxg_json "[i['mtu'] for i in d['interfaces']]" <<<"$before")" = \
			"$(vxg_json "[i['mtu'] for i in d['interfaces']]" <<<"$after")" ] ||
			fail "the refused reload changed an MTU"
		ok "config/$base: reload with MTU $BIG_MTU on $name refused: $(grep -F "$want" "$VXG_TMP/reload")"
		stop
	fi

	# 3. The same at start: vxgate exits 1 and says why.
	if [ -n "${name:-}" ]; then
		start "$VXG_TMP/config/big.yaml"
		wait_up && fail "vxgate started with MTU $BIG_MTU on $name"
		[ "$EXIT_RC" = 1 ] || fail "MTU $BIG_MTU on $name: exit status $EXIT_RC, expected 1"
		grep -qF "$want" "$VXG_LOG" ||
			fail "MTU $BIG_MTU on $name: expected '$want...' at start"
		exec 3>&-
		ok "config/$base with MTU $BIG_MTU on $name refused at start: $(grep -F "$want" "$VXG_LOG")"
	fi
	ran=$((ran + 1))
done
if [ "$ran" = 0 ]; then
	exit 77
fi
