#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Installs the Debian 12 packages vxgate needs to build, run and test, if any is missing
# (the last line: the package test, tests/pkg/deb_test.sh, and debian/'s Build-Depends).
# Called by `make`, `make run` and `make test`; safe to run again.
set -e
PKGS="build-essential meson ninja-build pkg-config clang libclang-rt-14-dev
libdpdk-dev dpdk dpdk-dev libyaml-dev libcmocka-dev libpcap-dev libbsd-dev libnuma-dev libarchive-dev
libmicrohttpd-dev libsystemd-dev prometheus curl
python3 iproute2 iputils-ping busybox socat netcat-openbsd isc-dhcp-client tcpdump tshark procps
kmod traceroute iputils-tracepath ethtool radvd ndisc6
libmnl-dev libjson-c-dev frr iperf3 coturn
debhelper dpkg-dev lintian systemd bash-completion man-db git"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# FRR, coturn and iperf3 ship services that would start in the root namespace on install:
# vxgate runs FRR in its own namespace, and the tests run their own peers. A policy-rc.d
# that refuses every start stops invoke-rc.d for this install; ours is removed after.
own_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod 755 /usr/sbin/policy-rc.d
	own_policy=1
fi
# noninteractive through sudo too (it resets the environment): tshark's wireshark-common
# asks whether non-root users may capture; the default (no) is what a gateway wants.
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	$missing >/dev/null
[ -n "$own_policy" ] && $SUDO rm -f /usr/sbin/policy-rc.d
# ...and none of them may start at the next boot either.
for svc in frr coturn iperf3; do
	case "$missing" in
	*" $svc"*)
		if command -v systemctl >/dev/null; then
			$SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
		fi
		;;
	esac
done
# prometheus is for the metrics test, which runs its own server: the package's service,
# started on install, would hold port 9090 and scrape nothing.
case "$missing" in
*" prometheus"*)
	if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
		$SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
	else
		$SUDO service prometheus stop >/dev/null 2>&1 || true
	fi
	;;
esac
