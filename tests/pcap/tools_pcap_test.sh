#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# pcapgen and pcapcheck, the tools every replay test and benchmark stands on: each
# scenario generates, deterministically, with the counts asked for and valid checksums;
# pcapcheck says equal, different (with a field diff) and "usage" with the right exit codes.
#
# usage: tests/pcap/tools_pcap_test.sh [BUILD_DIR]     (default: build)
set -eu

build=$(cd "${1:-build}" && pwd)
gen="$build/tools/pcapgen"
check="$build/tools/pcapcheck"
for t in "$gen" "$check"; do
	[ -x "$t" ] || { echo "FAIL: $t not built (ninja -C $build)"; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n_pass=0

pass() {
	n_pass=$((n_pass + 1))
	echo "ok $n_pass - $*"
}

fail() {
	echo "FAIL: $*"
	exit 1
}

# Runs a command, which must exit with status $1; its output goes to $tmp/out.
expect_rc() {
	local want=$1 rc=0
	shift
	"$@" >"$tmp/out" 2>&1 || rc=$?
	if [ "$rc" -ne "$want" ]; then
		cat "$tmp/out"
		fail "exit $rc, expected $want: $*"
	fi
}

# The field VALUE of packet N (1-based) in pcapcheck --dump output.
field() {
	"$check" --dump "$1" | awk -v n="packet $2:" -v f="  $3: " '
		$0 == n { on = 1; next }
		/^packet / { on = 0 }
		on && index($0, f) == 1 { print substr($0, length(f) + 1); exit }'
}

expect_field() {
	local got
	got=$(field "$1" "$2" "$3")
	[ "$got" = "$4" ] || fail "$1 packet $2: $3 is '$got', expected '$4'"
}

scenarios="encap decap l2 routed sg snat snat-reply fip mixed garbage"

# --- pcapgen: every scenario, counted, deterministic ---------------------------------------

expect_rc 0 "$gen" --list
for s in $scenarios; do
	grep -q "^$s " "$tmp/out" || fail "--list does not show $s"
done
pass "--list shows every scenario"

for s in $scenarios; do
	want=100
	[ "$s" = garbage ] && want=11
	"$gen" "$s" -n 100 --flows 7 --macs 3 --hosts 5 --seed 42 -o "$tmp/$s.pcap"
	"$gen" "$s" -n 100 --flows 7 --macs 3 --hosts 5 --seed 42 -o "$tmp/$s.again.pcap"
	expect_rc 0 "$check" --count "$want" "$tmp/$s.pcap"
	cmp -s "$tmp/$s.pcap" "$tmp/$s.again.pcap" || fail "$s: two runs differ"
	pass "$s: $want packets, byte-identical on a second run"
done

"$gen" routed -n 100 --seed 43 -o "$tmp/seed43.pcap"
"$gen" routed -n 100 --seed 42 -o "$tmp/seed42.pcap"
! cmp -s "$tmp/seed42.pcap" "$tmp/seed43.pcap" || fail "--seed changes nothing"
pass "--seed changes the payload"

for p in udp tcp icmp; do
	"$gen" snat --proto $p -n 10 -o "$tmp/snat_$p.pcap"
done
expect_field "$tmp/snat_tcp.pcap" 1 tcp.flags "0x002 (SYN)"
expect_field "$tmp/sg.pcap" 1 tcp.flags "0x010 (ACK)"
expect_field "$tmp/sg.pcap" 1 tcp.dport 80
expect_field "$tmp/snat_icmp.pcap" 1 icmp.type 8
expect_field "$tmp/snat_icmp.pcap" 1 ip.dst 198.51.100.10
pass "--proto udp|tcp|icmp; sg is established TCP to port 80"

# packet i uses flow i % 7, MAC i % 3, host i % 5
expect_field "$tmp/routed.pcap" 9 udp.sport 40001
expect_field "$tmp/routed.pcap" 9 eth.src 02:00:0a:02:00:0e
expect_field "$tmp/routed.pcap" 9 ip.src 10.2.0.15
expect_field "$tmp/routed.pcap" 9 ip.ttl 64
expect_field "$tmp/routed.pcap" 9 eth.dst 02:76:78:00:00:c8
expect_field "$tmp/routed.pcap" 9 ip.dst 10.1.0.11
expect_field "$tmp/l2.pcap" 1 vlan.vid 10
expect_field "$tmp/fip.pcap" 1 ip.dst 203.0.113.20
expect_field "$tmp/fip.pcap" 1 ip.src 198.51.100.10
pass "flows, MACs and hosts vary round robin; scenario addresses"

expect_field "$tmp/decap.pcap" 1 frame.len 114
expect_field "$tmp/decap.pcap" 1 udp.dport 4789
expect_field "$tmp/decap.pcap" 1 vxlan.flags 0x08
expect_field "$tmp/decap.pcap" 1 vxlan.vni 100
expect_field "$tmp/decap.pcap" 1 ip.src 172.16.0.2
expect_field "$tmp/decap.pcap" 1 inner.frame.len 64
expect_field "$tmp/decap.pcap" 2 inner.eth.src 02:00:0a:01:00:0c
"$gen" decap -s 200 --vni 200 -n 1 -o "$tmp/decap200.pcap"
expect_field "$tmp/decap200.pcap" 1 frame.len 200
expect_field "$tmp/decap200.pcap" 1 inner.frame.len 150
expect_field "$tmp/decap200.pcap" 1 vxlan.vni 200
pass "decap: outer SIZE, VNI, inner MACs vary"

"$gen" encap -s 128 -n 1 -o "$tmp/encap128.pcap"
expect_field "$tmp/encap128.pcap" 1 frame.len 128
"$gen" encap -s 50 -n 1 -o "$tmp/encap50.pcap"
expect_field "$tmp/encap50.pcap" 1 frame.len 60
expect_field "$tmp/encap50.pcap" 1 ip.len 36
sizes=$("$check" --dump "$tmp/mixed.pcap" | grep -E '^  frame.len: ' | sort | uniq -c |
	awk '{printf "%s:%s ", $3, $1}')
[ "$sizes" = "1500:8 576:34 64:58 " ] || fail "mixed sizes: $sizes"
pass "sizes: -s, padding to 60, IMIX 7:4:1"

for k in 1 2 3 4 5 6 7 8 9 10 11; do
	"$check" --dump "$tmp/garbage.pcap" | grep -q "^packet $k:" || fail "garbage: no packet $k"
done
expect_field "$tmp/garbage.pcap" 1 frame.len 10
expect_field "$tmp/garbage.pcap" 2 eth.src 03:00:ac:10:00:02
expect_field "$tmp/garbage.pcap" 3 ip.version 6
expect_field "$tmp/garbage.pcap" 4 ip.ihl 4
expect_field "$tmp/garbage.pcap" 5 ip.checksum_valid no
expect_field "$tmp/garbage.pcap" 6 malformed "ip.len 200 exceeds the 100 bytes left in the frame"
expect_field "$tmp/garbage.pcap" 7 vxlan.flags 0x00
expect_field "$tmp/garbage.pcap" 8 vxlan.rsvd2 0x01
expect_field "$tmp/garbage.pcap" 9 vxlan.vni 12345
expect_field "$tmp/garbage.pcap" 10 ip.mf 1
expect_field "$tmp/garbage.pcap" 11 malformed "truncated VXLAN header (4 of 8 bytes)"
pass "garbage: the 11 malformed frames, in the documented order"

expect_rc 2 "$gen" decap -s 64 -o "$tmp/small.pcap"
[ ! -e "$tmp/small.pcap" ] || fail "a failed pcapgen left a file behind"
expect_rc 2 "$gen" nosuch -o "$tmp/x.pcap"
expect_rc 2 "$gen" routed
expect_rc 2 "$gen" sg --proto udp -o "$tmp/x.pcap"
expect_rc 2 "$gen" routed --vlan 4095 -o "$tmp/x.pcap"
pass "pcapgen: bad arguments exit 2 and write nothing"

# --- checksums and decoding, as an independent decoder sees them --------------------------

for s in $scenarios; do
	"$check" --dump "$tmp/$s.pcap" | grep -E 'checksum_valid: no$' >"$tmp/bad" || true
	if [ "$s" = garbage ]; then
		[ "$(wc -l <"$tmp/bad")" -eq 1 ] || fail "garbage: $(wc -l <"$tmp/bad") bad sums"
	else
		[ ! -s "$tmp/bad" ] || fail "$s: $(head -1 "$tmp/bad")"
	fi
done
pass "pcapcheck finds every checksum valid (garbage: only frame 5's)"

if command -v tcpdump >/dev/null; then
	tcpdump -nr "$tmp/decap.pcap" -c 3 2>/dev/null >"$tmp/td"
	[ "$(grep -c 'VXLAN, flags \[I\] (0x08), vni 100' "$tmp/td")" -eq 3 ] ||
		fail "tcpdump does not see VXLAN: $(cat "$tmp/td")"
	for s in $scenarios; do
		tcpdump -vvnr "$tmp/$s.pcap" 2>/dev/null >"$tmp/td"
		bad=$(grep -cE 'bad cksum|bad udp cksum|cksum 0x[0-9a-f]+ \(incorrect' "$tmp/td" ||
			true)
		want=0
		[ "$s" = garbage ] && want=1
		[ "$bad" -eq "$want" ] || fail "tcpdump: $s has $bad bad checksums: $(
			grep -E 'bad|incorrect' "$tmp/td" | head -3)"
	done
	tcpdump -vvnr "$tmp/sg.pcap" -c 1 2>/dev/null | grep -q 'cksum 0x[0-9a-f]* (correct)' ||
		fail "tcpdump: sg TCP checksum not shown correct"
	tcpdump -vvnr "$tmp/routed.pcap" -c 1 2>/dev/null | grep -q 'udp sum ok' ||
		fail "tcpdump: routed UDP checksum not ok"
	tcpdump -vvnr "$tmp/snat_icmp.pcap" -c 1 2>/dev/null |
		grep -q 'ICMP echo request, id 40000, seq 1' || fail "tcpdump: no ICMP echo request"
	pass "tcpdump decodes decap as VXLAN [I] vni 100 and finds no bad checksum"
	"$gen" routed -n 4 --dst-ip 100.64.0.1 --dst-hosts 3 --dst-stride 256 -o "$tmp/stride.pcap"
	[ "$(tcpdump -nr "$tmp/stride.pcap" 2>/dev/null | sed 's/.* > \([0-9.]*\)\.[0-9]*:.*/\1/' |
		tr '\n' ' ')" = "100.64.0.1 100.64.1.1 100.64.2.1 100.64.0.1 " ] ||
		fail "--dst-stride: $(tcpdump -nr "$tmp/stride.pcap" 2>/dev/null)"
	pass "--dst-hosts 3 --dst-stride 256: one destination in each of three /24s"
else
	echo "skip - tcpdump not installed"
fi

# --- pcapcheck: equal, different, ignored, unordered, exit codes ---------------------------

expect_rc 0 "$check" "$tmp/routed.pcap" "$tmp/routed.again.pcap"
grep -q '^100 packets match$' "$tmp/out" || fail "equal files: $(cat "$tmp/out")"
pass "identical captures compare equal"

"$gen" routed -n 100 --flows 7 --macs 3 --hosts 5 --seed 42 --src-ip 10.2.0.99 -o "$tmp/other.pcap"
expect_rc 1 "$check" "$tmp/other.pcap" "$tmp/routed.pcap"
grep -q '^packet 1: 3 fields differ$' "$tmp/out" || fail "no packet header: $(cat "$tmp/out")"
grep -q '^  ip.src: got 10.2.0.99, expected 10.2.0.12$' "$tmp/out" || fail "no ip.src diff"
grep -q '^  ip.checksum: got ' "$tmp/out" || fail "no ip.checksum diff"
grep -q '^  udp.checksum: got ' "$tmp/out" || fail "no udp.checksum diff (pseudo-header)"
grep -q '^100 of 100 packets differ$' "$tmp/out" || fail "no summary: $(cat "$tmp/out")"
pass "a different --src-ip: exit 1, 'ip.src: got 10.2.0.99, expected 10.2.0.12'"

expect_rc 1 "$check" --ignore ip.src --ignore ip.checksum "$tmp/other.pcap" "$tmp/routed.pcap"
grep -q 'udp.checksum: got' "$tmp/out" || fail "ignoring ip.src hid udp.checksum"
expect_rc 0 "$check" --ignore ip.src --ignore ip.checksum --ignore udp.checksum \
	"$tmp/other.pcap" "$tmp/routed.pcap"
expect_rc 0 "$check" --ignore ip.src --ignore '*checksum' "$tmp/other.pcap" "$tmp/routed.pcap"
pass "--ignore ip.src --ignore ip.checksum --ignore udp.checksum makes it pass"

expect_rc 0 "$check" --ignore ip.chksum "$tmp/routed.pcap" "$tmp/routed.again.pcap"
grep -q "warning: --ignore 'ip.chksum' matched no field" "$tmp/out" || fail "no typo warning"
pass "an --ignore that matches nothing is reported"

# decap with another inner destination: the outer source port (a hash) changes too
"$gen" decap -n 100 --flows 7 --macs 3 --hosts 5 --seed 42 --dst-mac 02:00:0a:01:00:63 \
	-o "$tmp/decap_other.pcap"
expect_rc 1 "$check" "$tmp/decap_other.pcap" "$tmp/decap.pcap"
grep -q '^  inner.eth.dst: got 02:00:0a:01:00:63, expected 02:76:78:00:00:64$' "$tmp/out" ||
	fail "no inner.eth.dst diff: $(cat "$tmp/out")"
grep -q '^  udp.sport: got ' "$tmp/out" || fail "no udp.sport diff"
expect_rc 1 "$check" --ignore udp.sport "$tmp/decap_other.pcap" "$tmp/decap.pcap"
expect_rc 0 "$check" --ignore udp.sport --ignore inner.eth.dst "$tmp/decap_other.pcap" \
	"$tmp/decap.pcap"
expect_rc 0 "$check" --ignore udp.sport --ignore 'inner.*' "$tmp/decap_other.pcap" \
	"$tmp/decap.pcap"
pass "inner fields: inner.eth.dst diff, --ignore udp.sport and inner.* globs"

"$gen" routed -n 12 --ttl 63 -o "$tmp/ttl63.pcap"
"$gen" routed -n 10 -o "$tmp/ttl64.pcap"
expect_rc 1 "$check" "$tmp/ttl63.pcap" "$tmp/ttl64.pcap"
grep -q '^  ip.ttl: got 63, expected 64$' "$tmp/out" || fail "no ip.ttl diff"
grep -q '^got 12 packets, expected 10$' "$tmp/out" || fail "no count line: $(cat "$tmp/out")"
"$gen" routed -n 12 -o "$tmp/ttl64_12.pcap"
expect_rc 1 "$check" "$tmp/ttl64_12.pcap" "$tmp/ttl64.pcap"
grep -q '^10 packets match$' "$tmp/out" && fail "a shorter file matched"
grep -q '^got 12 packets, expected 10$' "$tmp/out" || fail "no count line"
pass "different packet counts are reported"

# the same packets in another order: routed+l2 against l2+routed
"$gen" routed -n 5 -o "$tmp/a.pcap"
"$gen" l2 -n 5 -o "$tmp/b.pcap"
{ cat "$tmp/a.pcap"; tail -c +25 "$tmp/b.pcap"; } >"$tmp/ab.pcap"
{ cat "$tmp/b.pcap"; tail -c +25 "$tmp/a.pcap"; } >"$tmp/ba.pcap"
{ cat "$tmp/b.pcap"; tail -c +25 "$tmp/ttl63.pcap"; } >"$tmp/bt.pcap"
expect_rc 1 "$check" "$tmp/ab.pcap" "$tmp/ba.pcap"
expect_rc 0 "$check" --unordered "$tmp/ab.pcap" "$tmp/ba.pcap"
grep -q '^10 packets match (unordered)$' "$tmp/out" || fail "unordered: $(cat "$tmp/out")"
expect_rc 1 "$check" --unordered "$tmp/bt.pcap" "$tmp/ba.pcap"
grep -q '^  ip.ttl: got 63, expected 64$' "$tmp/out" || fail "unordered: no closest diff"
pass "--unordered matches reordered packets and diffs the closest unmatched one"

expect_rc 0 "$check" --count 11 "$tmp/garbage.pcap"
grep -q '11 packets' "$tmp/out" || fail "--count prints no count"
expect_rc 1 "$check" --count 12 "$tmp/garbage.pcap"
expect_rc 2 "$check" "$tmp/routed.pcap"
expect_rc 2 "$check" "$tmp/routed.pcap" "$tmp/nonexistent.pcap"
expect_rc 2 "$check" --no-such-option "$tmp/routed.pcap" "$tmp/routed.pcap"
echo "not a capture" >"$tmp/junk.pcap"
expect_rc 2 "$check" "$tmp/junk.pcap" "$tmp/routed.pcap"
expect_rc 2 "$check" --count 3 "$tmp/nonexistent.pcap"
pass "pcapcheck exit codes: --count 0/1, usage and I/O errors 2"

echo "tools_pcap_test: $n_pass checks passed"
