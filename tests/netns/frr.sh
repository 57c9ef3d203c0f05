# SPDX-License-Identifier: BSD-3-Clause
# FRR instances for the EVPN tests, sourced after tools/vxg-lib.sh: zebra and bgpd of
# Debian's FRR 8.4 in a namespace, each instance with its own folder for its config,
# zserv socket, vty sockets and pid files. Debian's FRR refuses to run as group root:
# the daemons run as frr:frrvty and own their folder.

# Skip (77) without FRR.
frr_need() {
	if [ ! -x /usr/lib/frr/zebra ] || [ ! -x /usr/lib/frr/bgpd ]; then
		echo "SKIP: FRR is not installed (tools/install-deps.sh installs it)"
		exit 77
	fi
}

# frr_start NS DIR: start zebra and bgpd in namespace NS from DIR/zebra.conf and
# DIR/bgpd.conf (written by the caller); waits until bgpd answers.
frr_start() {
	local ns=$1 dir=$2 d
	chown -R frr:frr "$dir"
	for d in zebra bgpd; do
		ip netns exec "$ns" /usr/lib/frr/$d -d -f "$dir/$d.conf" -i "$dir/$d.pid" \
			-z "$dir/zserv.api" --vty_socket "$dir" -P 0 -u frr -g frrvty \
			>>"$dir/daemons.log" 2>&1 || return 1
		# bgpd needs zebra's socket: wait for it.
		for _ in $(seq 1 50); do
			[ "$d" = bgpd ] || [ -S "$dir/zserv.api" ] && break
			sleep 0.1
		done
	done
	for _ in $(seq 1 50); do
		frr_vtysh "$ns" "$dir" -c 'show version' >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

frr_vtysh() {
	local ns=$1 dir=$2
	shift 2
	ip netns exec "$ns" vtysh --vty_socket "$dir" "$@"
}

# frr_alive PID: the process runs (exists and is no zombie).
frr_alive() {
	local st
	st=$(cut -d')' -f2 "/proc/$1/stat" 2>/dev/null | cut -d' ' -f2) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# frr_kill DIR [SIG]: stop the instance of DIR (SIGKILL: as if it crashed).
frr_kill() {
	local dir=$1 sig=${2:-TERM} d pid
	for d in bgpd zebra; do
		pid=$(cat "$dir/$d.pid" 2>/dev/null) || continue
		kill -"$sig" "$pid" 2>/dev/null || true
		# Gone, or a zombie: daemons (-d) are init's children, which reaps them late.
		for _ in $(seq 1 50); do
			frr_alive "$pid" || break
			sleep 0.1
		done
		# As root FRR leaves a crash-log folder per process behind.
		rm -rf "/var/tmp/frr/$d.$pid"
	done
}

# frr_bgp_established NS DIR PEER [SECONDS]: wait until the session to PEER is up.
frr_bgp_established() {
	local ns=$1 dir=$2 peer=$3 n=${4:-30}
	for _ in $(seq 1 $((n * 5))); do
		frr_vtysh "$ns" "$dir" -c "show bgp neighbors $peer json" 2>/dev/null |
			vxg_json "d['$peer']['bgpState']" 2>/dev/null | grep -qx Established && return 0
		sleep 0.2
	done
	return 1
}
