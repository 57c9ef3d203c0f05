# SPDX-License-Identifier: BSD-3-Clause
"""The scenarios: what each one replays (pcapgen's capture and options), the config vxgate
runs it under (roles, ports, routes, NAT, security groups), and the sizes of its tables."""

# Scenario -> (input role, whether vxgate forwards it yet, what it measures).
# A feature's issue flips `built` when its stage lands; until then the table says
# "not built" rather than a number.
SCENARIOS = {
    "l2": ("access", True, "known unicast between access VLANs"),
    "l2v6": ("access", True, "l2 over IPv6 (UDP) from a port with port security"),
    "l2-psec": ("access", True, "l2v6's IPv4 twin: l2 from vm2's fixed address, 70 bytes"),
    "encap": ("access", True, "access interface to VXLAN"),
    "decap": ("underlay", True, "VXLAN to access interface, with learning"),
    "encap-evpn": ("access", True, "encap to a MAC from BGP EVPN (root: a namespace)"),
    "decap-evpn": ("underlay", True, "decap from MACs BGP EVPN gave (root: a namespace)"),
    "routed": ("access", True, "between two networks of a VPC"),
    "routed6": ("access", True, "routed over IPv6 (UDP) between two dual-stack networks"),
    "sg": ("access", True, "routed through security groups, established flows"),
    "sg-new": ("access", True, "routed through security groups, a new connection a packet"),
    "sg6": ("access", True, "routed over IPv6 through security groups, established flows"),
    "snat": ("access", True, "source NAT, established sessions"),
    "snat-new": ("access", True, "source NAT, a new session a packet"),
    "fip": ("external", True, "floating IP, inbound"),
    "portfwd": ("external", True, "port forward, inbound: established sessions (as fip)"),
    "snat-reply": ("external", True, "SNAT's replies, inbound through established sessions "
                   "(portfwd's twin without forwards)"),
    "dhcp": ("access", True, "DHCP DISCOVER+REQUEST from many clients, served on the control "
             "thread: transactions/s, not Mpps"),
    "mixed": ("access", True, "IMIX-like blend of routed and l2"),
    "qos": ("access", True, "l2-psec with a QoS policy on vm2: every packet metered, under "
            "the limit (compare with l2-psec)"),
}
# The input port's MAC: what pcapgen addresses each role's traffic to by default
# (underlay: the gateway's underlay MAC; access: any; external: the upstream-facing MAC).
INPUT_MAC = {"underlay": "02:00:ac:10:00:01", "access": "02:00:0a:02:00:fe",
             "external": "02:76:78:00:00:c8"}
# --scale: the tables filled before measuring (FDB, sessions, routes, SG rules).
SCALE = ["scale-fdb-1M", "scale-sessions-1M", "scale-routes-10k", "scale-sg-rules-1k"]
# The scale scenarios built so far -> the scenario whose config (roles, ports, routes,
# NAT, security groups) they use; the others say "not built". scale-sg-rules-1k: sg-new's
# ports (vm2 may use the db network's addresses), its rules spread over groups and ports
# (SCALE_SG_GROUPS, SCALE_SG_PORTS) and every packet an established flow, as in sg.
# scale-fdb-1M: decap's, its first pass 1M frames from as many inner source MACs (all
# learned at the remote VTEP), the passes after it each a refresh of one of them.
# scale-routes-10k: routed's, with SCALE_ROUTES /24 routes in the VPC (100.64.0.0/24 on,
# each by vm1), the capture's destinations one in each of them.
SCALE_BASE = {"scale-fdb-1M": "decap", "scale-sessions-1M": "snat-new",
              "scale-routes-10k": "routed", "scale-sg-rules-1k": "sg-new"}
SCALE_ROUTES = 10000
# Scenarios whose capture is one pass of distinct 5-tuples -> its length (None: the
# --new-conns option). sg-new and snat-new time the pass; scale-sessions-1M and
# scale-sg-rules-1k fill their table (sessions, connections) with it, then measure the
# passes after it (every packet a hit).
ONE_PASS = {"sg-new": None, "snat-new": None, "scale-fdb-1M": 1000000,
            "scale-sessions-1M": 1 << 20,
            "scale-sg-rules-1k": 1 << 17}
# The table a scale scenario fills with its first pass: the event counting creations and
# what they are called in the report.
SCALE_FILL = {"scale-fdb-1M": ("fdb_learned", "FDB entries"),
              "scale-sessions-1M": ("nat_created", "sessions"),
              "scale-sg-rules-1k": ("ct_created", "connections")}
# scale-sg-rules-1k: --sg-rules rules over this many groups, all of them vm1's; this many
# more ports on web, each in SCALE_SG_PORT_GROUPS of the groups (each port's rules are
# compiled into the VPC's classifier on their own).
SCALE_SG_GROUPS = 10
SCALE_SG_PORTS = 30
SCALE_SG_PORT_GROUPS = 3
# Scenarios whose traffic vxgate is expected to drop on purpose. dhcp: the worker punts
# the capture far faster than the control thread serves it; what the punt ring cannot
# hold is dropped (punt_full), as a flood of DHCP from VMs would be.
EXPECT_DROPS = {"dhcp"}
# The capture each scenario replays, when it is not the scenario's own name.
CAPTURE = {"encap-evpn": "encap", "decap-evpn": "decap", "sg-new": "sg-syn", "snat-new": "snat", "scale-sessions-1M": "snat", "portfwd": "fip",
           "scale-fdb-1M": "decap", "scale-routes-10k": "routed",
           "scale-sg-rules-1k": "sg", "l2-psec": "l2", "qos": "l2"}
# pcapgen options beyond the defaults: decap's inner frames go to a VM on the output
# access interface (by default they go to the router, which is not built yet).
# sg: vm2 has port security, so every frame comes from vm2's own MAC (and IP).
# snat: the same, vm2 has port security. fip: from the upstream router (one MAC) to the
# external interface's MAC.
# mixed: both halves on db's VLAN 10 (the l2 half's trunk), the routed half to the router.
# l2v6: every frame from vm2's MAC and fixed IPv6 address, which port security checks.
CAPTURE_ARGS = {"decap": ["--dst-mac", "02:00:0a:01:00:fe"],
                "decap-evpn": ["--dst-mac", "02:00:0a:01:00:fe"], "sg": ["--macs", "1"],
                "l2v6": ["--macs", "1"], "sg6": ["--macs", "1"],
                # l2-psec: l2v6 in IPv4, the same size (l2v6's smallest frame)
                "l2-psec": ["--macs", "1", "--size", "70"],
                "qos": ["--macs", "1", "--size", "70"],
                # its own MACs: none of them a declared port's (that would be spoofing)
                "scale-fdb-1M": ["--dst-mac", "02:00:0a:01:00:fe", "--src-mac",
                                 "02:0f:00:00:00:00"],
                "scale-routes-10k": ["-n", str(SCALE_ROUTES), "--dst-ip", "100.64.0.1",
                                     "--dst-hosts", str(SCALE_ROUTES), "--dst-stride", "256"],
                "mixed": ["--vlan", "10"],
                "snat": ["--macs", "1"],
                "fip": ["--macs", "1", "--dst-mac", INPUT_MAC["external"]],
                # portfwd: fip's capture (the server's UDP from --flows source ports to
                # port 5001) sent to the SNAT address, whose port 5001 vm1 gets forwarded
                "portfwd": ["--macs", "1", "--dst-mac", INPUT_MAC["external"],
                            "--fip", "203.0.113.10"],
                # snat-reply: the servers' replies to snat's flows, to the SNAT address
                "snat-reply": ["--macs", "1", "--dst-mac", INPUT_MAC["external"],
                               "--snat", "203.0.113.10"]}
# The output interface's role, when it is not the default (underlay <-> access).
OUT_ROLE = {"qos": "access", "routed6": "access", "l2": "access", "l2v6": "access", "l2-psec": "access", "sg6": "access", "mixed": "access", "routed": "access", "sg": "access", "sg-new": "access",
            "snat": "external", "snat-new": "external", "fip": "access", "portfwd": "access",
            "snat-reply": "access",
            "dhcp": "access"}
# Ports each scenario needs, so its traffic is known unicast (pcapgen's default MACs).
PORTS = {
    # mixed: l2's ports (vm2 -> db2 on VLAN 10) and routed's destination vm1 in web.
    "mixed": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", location: {interface: input, vlan: 10}}',
              '{name: db2, network: db, mac: "02:00:0a:02:00:0d", location: {interface: output, vlan: 10}, '
              'port_security: false}',
              '{name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, '
              'location: {interface: output}}'],
    "l2": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", location: {interface: input, vlan: 10}}',
           # pcapgen's source MACs (vm2's + 0..--macs) include db2's: without port security
           # db2's MAC may come from the input side, as it did before port security.
           '{name: db2, network: db, mac: "02:00:0a:02:00:0d", location: {interface: output, vlan: 10}, '
           'port_security: false}'],
    # l2v6: vm2 has port security and a fixed IPv6 address in db, dual-stack here
    # (NETS6), which its frames come from; db2 receives them on VLAN 10.
    "l2v6": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, '
             'ip6: "2001:db8:2::12", location: {interface: input, vlan: 10}}',
             '{name: db2, network: db, mac: "02:00:0a:02:00:0d", ip6: "2001:db8:2::13", '
             'location: {interface: output, vlan: 10}}'],
    # l2-psec: as l2v6, vm2's frames from its fixed IPv4 address.
    "l2-psec": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, '
                'location: {interface: input, vlan: 10}}',
                '{name: db2, network: db, mac: "02:00:0a:02:00:0d", '
                'location: {interface: output, vlan: 10}}'],
    # qos: l2-psec's, vm2's frames metered by its egress policy (QOS_POLICIES), far above
    # what one worker sends, so every packet conforms.
    "qos": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, '
            'location: {interface: input, vlan: 10}, qos: gold}',
            '{name: db2, network: db, mac: "02:00:0a:02:00:0d", '
            'location: {interface: output, vlan: 10}}'],
    "encap": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", location: {interface: input}}',
              # As for l2: db2's MAC is among pcapgen's source MACs.
              '{name: db2, network: db, mac: "02:00:0a:02:00:0d", location: {vtep: 172.16.0.2}, '
              'port_security: false}'],
    "decap": ['{name: vm1, network: web, mac: "02:00:0a:01:00:0b", location: {vtep: 172.16.0.2}}',
              '{name: vm3, network: web, mac: "02:00:0a:01:00:fe", location: {interface: output}}'],
    # The EVPN twins: the same ports but the one whose MAC EVPN gives (benchlib/evpn.py).
    "encap-evpn": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", location: {interface: input}}'],
    "decap-evpn": ['{name: vm3, network: web, mac: "02:00:0a:01:00:fe", location: {interface: output}}'],
    # Routed db -> web: vm1's fixed IP makes it a static router neighbour (no ARP).
    "routed": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", location: {interface: input}}',
               '{name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, '
               'location: {interface: output}}'],
    # routed6: vm2 sends from its own ip6 (port security); vm1's makes it a static IPv6
    # router neighbour (no NS).
    "routed6": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip6: "2001:db8:2::12", '
                'location: {interface: input}}',
                '{name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, '
                'ip6: "2001:db8:1::11", location: {interface: output}}'],
    # routed, through security groups: vm2 (port security, its own MAC and IP) in group
    # db (no rule: the implicit egress allow), vm1 in group web (ingress, see sg_groups).
    "sg": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, '
           'location: {interface: input}, security_groups: [db]}',
           '{name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, '
           'location: {interface: output}, security_groups: [web]}'],
    # sg6: sg over IPv6, routed db -> web as sg is: vm2 (group db) to vm1 (group web, whose
    # rules are IPv6 ones: sg_groups), from and to their fixed ip6s (static neighbours).
    "sg6": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, '
            'ip6: "2001:db8:2::12", location: {interface: input}, security_groups: [db]}',
            '{name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, '
            'ip6: "2001:db8:1::11", location: {interface: output}, security_groups: [web]}'],
    # sg-new's capture varies the source IP over 10.2.0.12.. (--hosts): vm2 may use the
    # db network's addresses (an address pair, so port security still checks them).
    "sg-new": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, '
               'allowed_address_pairs: [{ip: 10.2.0.0/24}], '
               'location: {interface: input}, security_groups: [db]}',
               '{name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, '
               'location: {interface: output}, security_groups: [web]}'],
    # SNAT: vm2 (port security, its own MAC and IP) to the internet through the router.
    "snat": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, '
             'location: {interface: input}}'],
    # snat-reply: vm2 on the output side, whose one pass of snat's capture opens the
    # sessions (each keeping its own source port) that the replies then hit.
    "snat-reply": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, '
                   'location: {interface: output}}'],
    # snat-new varies the source IP over 10.2.0.12.. (--hosts), as sg-new does.
    "snat-new": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, '
                 'allowed_address_pairs: [{ip: 10.2.0.0/24}], location: {interface: input}}'],
    # fip: vm1's fixed IP makes it a static router neighbour (no ARP).
    "fip": ['{name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, '
            'location: {interface: output}}'],
    # portfwd: fip's vm1, the forward's target.
    "portfwd": ['{name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, '
                'location: {interface: output}}'],
    # dhcp: vm2 puts db on the input interface (untagged); pcapgen's clients are no port's
    # MAC, so each gets the address it asks for from the range.
    "dhcp": ['{name: vm2, network: db, mac: "02:00:0a:02:00:0c", location: {interface: input}}'],
}
# The qos scenario's policy: 1000gbit (the most a policy takes) and a burst of 1gb.
QOS_POLICIES = ("    qos_policies:\n"
                "      - {name: gold, egress: {rate: 1000gbit, burst: 1gb}}\n")
# --ab: the scenario's config without its feature, to measure both in one process, and
# what that twin is (AB_TWIN). qos: the port unlimited (l2-psec's config, the policy
# defined but attached to nothing). routed, routed6: 8 more routes that the traffic does
# not use, which make the VPC's table an rte_lpm (an rte_fib6) instead of the short list.
AB_EXTRA_ROUTES = 8
AB_OFF = {
    "qos": lambda text: text.replace(", qos: gold}", "}"),
    "routed": lambda text: text + "    routes:\n" + "".join(
        "      - {prefix: 100.64.%d.0/24, nexthop: 10.1.0.11}\n" % k
        for k in range(AB_EXTRA_ROUTES)),
    "routed6": lambda text: text + "    routes:\n" + "".join(
        '      - {prefix: "2001:db8:ff:%x::/64", nexthop: "2001:db8:1::11"}\n' % k
        for k in range(AB_EXTRA_ROUTES)),
}
AB_TWIN = {"qos": "l2-psec's config",
           "routed": "%d more routes, unused, so an rte_lpm, not the short list" % AB_EXTRA_ROUTES,
           "routed6": "%d more routes, unused, so an rte_fib6, not the short list" %
           AB_EXTRA_ROUTES}
# dhcp: the db network grows to a /16 for a pool of --dhcp-pool addresses from DHCP_FIRST
# (pcapgen's client k asks for DHCP_FIRST + k).
DHCP_FIRST = (10 << 24) | (2 << 16) | 100
# routed6 and sg6: both networks dual-stack; l2v6: db.
NETS6 = {"web": ("{name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}",
                 '{name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, '
                 'ipv6: {cidr: "2001:db8:1::/64"}}'),
         "db": ("{name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}",
                '{name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, '
                'ipv6: {cidr: "2001:db8:2::/64"}}')}
DHCP_NET = ("{name: db, vni: 200, cidr: 10.2.0.0/16, gateway: 10.2.0.1,\n"
            "         dhcp: {range: [10.2.0.100, %s], lease: 86400}}")
# Scenarios whose config carries security groups (sg_groups): --sg-rules rules in web,
# and --sg-reload-rules in the configs of the reloads timed with sg.
SG_SCENARIOS = ("sg", "sg-new", "sg6")
# sg-new's capture: --flows (a prime, so any --hosts below it is coprime: every packet
# of the first pass is a distinct 5-tuple, see pcapgen --help).
SG_NEW_FLOWS = 65521
# The remote VTEP's MAC, as a static neighbour of the underlay (no ARP on net_null).
NEIGHBOURS = ', neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}]'
# An external interface: its gateway, the upstream router (pcapgen's source MAC of fip
# and snat-reply), is a static neighbour (no ARP on net_null).
EXTERNAL = ('203.0.113.2/24, gateway: 203.0.113.1, '
            'neighbours: [{ip: 203.0.113.1, mac: "02:00:cb:00:71:01"}]')
# NAT scenarios: the interface of the VPC's default route, and the VPC's nat section.
NAT_ROUTE = {"snat": "output", "snat-new": "output", "fip": "input", "portfwd": "input",
             "snat-reply": "input"}
NAT = {"snat": "{snat: 203.0.113.10}", "snat-new": "{snat: 203.0.113.10}",
       "snat-reply": "{snat: 203.0.113.10}",
       "fip": "{floating_ips: [{ip: 203.0.113.20, port: vm1}]}",
       "portfwd": "{snat: 203.0.113.10, port_forwards: [{ip: 203.0.113.10, protocol: udp, "
                  "port: 5001, to: vm1}]}"}
# SNAT ports (snat_ports default 1024-65535). One server (address, port, protocol) takes
# at most one session per port: snat-new's and the scale pass's flows go to as many
# servers (pcapgen --dst-hosts) as keep each at a quarter of the range, so that a new
# session finds a free port within its few tries.
SNAT_PORTS = 65535 - 1024 + 1
# Bytes a slot of limits.sessions costs (two 16-byte-key rte_hash and a 32-byte entry;
# `show memory` said 112), for EAL -m.
NAT_SESSION_BYTES = 128
# Memory an mbuf takes: one 4 KB page each without hugepages (an object may not cross a
# page), packed (2.3 KB with headroom and header) in 2 MiB pages.
MBUF_BYTES = {False: 4096, True: 2560}
# Scenarios timing a pass of new connections or sessions: the event counting creations,
# what they are called in the report, and the config they start from (kwargs of
# Bench.config, under which the capture creates nothing) until the reload that starts
# the pass.
NEW_PASS = {"sg-new": ("ct_created", "connections", {"allow": False}),
            "snat-new": ("nat_created", "sessions", {"nat": False})}

BASE_CONFIG = """\
dataplane:
  burst: {burst}
  mbufs: {mbufs}
  idle_sleep_us: 0
  limits: {{fdb: {fdb}, neighbours: 65536, sessions: {sessions}, conntrack: {conntrack}}}
interfaces:
  - {{name: input, device: "{input_dev}", role: {role}, address: {input_addr}, mtu: 1600,
      mac: "{input_mac}"}}
  - {{name: output, device: "{output_dev}", role: {out_role}{out_addr}}}
{vtep}vpcs:
  - name: blue
    networks:
      - {{name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}}
      - {{name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}}
"""


def sg_groups(n_rules, allow=True, variant=0, groups=1, v6=False):
    """The VPC's security groups: web (vm1) holds n_rules ingress rules, only the last of
    which matches the captures (tcp/80 from group db, i.e. vm2's addresses); the others
    name other ports from remote prefixes outside the VPC (198.18.0.0/15, benchmarking
    space), so none of them matches. Without `allow` the last one does not match either
    (sg-new starts with every packet denied). `variant` shifts the padding's ports, so two
    configs of the same size differ (a reload that really recompiles). groups > 1: the
    rules are dealt over web, web1, ... (vm1 is in all of them), the last rule in web.
    v6: the rules are IPv6 ones, the padding's remotes /64s of 2001:2::/48 (benchmarking
    space)."""
    rules = []
    eth = "ethertype: ipv6, " if v6 else ""
    for k in range(n_rules - 1):
        port = 1024 + (k * 7 + variant) % 60000
        if port == 80:
            port = 81
        net = 198 << 24 | 18 << 16 | (k % 131072) << 1  # 198.18.0.0/15, /31s
        remote = "%d.%d.%d.%d/31" % (net >> 24, net >> 16 & 255, net >> 8 & 255, net & 255)
        if v6:
            remote = '"2001:2:0:%x::/64"' % (k % 65536)
        rules.append("{direction: ingress, %sprotocol: %s, ports: %d, remote: %s}" % (
            eth, ("tcp", "udp")[k % 2], port, remote))
    if allow:
        rules.append("{direction: ingress, %sprotocol: tcp, ports: 80, remote_group: db}" % eth)
    else:
        rules.append("{direction: ingress, %sprotocol: tcp, ports: 8080, remote_group: db}" % eth)
    text = "    security_groups:\n      - name: db\n"
    for g in range(groups):
        mine = rules[:-1][g::groups] + (rules[-1:] if g == 0 else [])
        text += "      - name: %s\n        rules:\n" % sg_name(g)
        text += "".join("          - %s\n" % r for r in mine)
    return text


def sg_name(g):
    return "web%d" % g if g else "web"


def scale_sg_ports():
    """scale-sg-rules-1k's ports: sg-new's, vm1 in every group, and SCALE_SG_PORTS more
    on web (behind the output interface), each in SCALE_SG_PORT_GROUPS groups."""
    ports = [x.replace("security_groups: [web]", "security_groups: [%s]" % ", ".join(
        sg_name(g) for g in range(SCALE_SG_GROUPS))) for x in PORTS["sg-new"]]
    for k in range(SCALE_SG_PORTS):
        sgs = ", ".join(sg_name((k + j) % SCALE_SG_GROUPS) for j in range(SCALE_SG_PORT_GROUPS))
        ports.append('{name: w%d, network: web, mac: "02:00:0a:01:01:%02x", ip: 10.1.0.%d, '
                     'location: {interface: output}, security_groups: [%s]}' % (
                         k, k, 100 + k, sgs))
    return ports
