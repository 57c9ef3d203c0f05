/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port security's IPv6 table, compiled per port from the config (psec6_config.h): fixed
 * IPv6 addresses, the link-local addresses of the port's MACs (a VM speaks Neighbour
 * Discovery from fe80::EUI-64 before it has anything else), and IPv6 address pairs.
 */
#include <string.h>

#include "config/fields.h"
#include "sg/psec6_config.h"

unsigned
vxg_psec6_count(const struct vxg_port_cfg *pc)
{
	if (!pc->port_security)
		return 0;
	/* own addresses, own link-local, and per pair its prefix and its MAC's link-local */
	return pc->n_ip6s + 1 + 2 * pc->n_pairs;
}

/* Entry for prefix ip/len with mac. */
static void
psec6_set(struct vxg_lport_addr6 *e, const struct vxg_ip6 *ip, unsigned len,
	const struct rte_ether_addr *mac)
{
	uint8_t mask[16] = {0};

	for (unsigned i = 0; i < 16; i++)
		mask[i] = len >= 8 * (i + 1) ? 0xff
			  : len > 8 * i      ? (uint8_t)(0xff << (8 - len % 8))
					     : 0;
	memcpy(e->mask, mask, sizeof(mask));
	memcpy(e->addr, ip->a, sizeof(e->addr));
	e->addr[0] &= e->mask[0];
	e->addr[1] &= e->mask[1];
	e->mac = *mac;
}

/* Is the link-local address of mac in a[0..n-1] already? */
static bool
psec6_has(const struct vxg_lport_addr6 *a, uint16_t n, const struct vxg_ip6 *ip,
	const struct rte_ether_addr *mac)
{
	for (uint16_t i = 0; i < n; i++)
		if (memcmp(a[i].addr, ip->a, 16) == 0 && rte_is_same_ether_addr(&a[i].mac, mac))
			return true;
	return false;
}

/* The port's own link-local address, and that of each pair MAC of its own. */
static uint16_t
psec6_link_locals(struct vxg_lport_addr6 *a, uint16_t n, const struct vxg_port_cfg *pc)
{
	struct vxg_ip6 ll = vxg_ip6_link_local(&pc->mac);

	psec6_set(&a[n++], &ll, 128, &pc->mac);
	for (unsigned i = 0; i < pc->n_pairs; i++) {
		const struct rte_ether_addr *mac = &pc->pairs[i].mac;

		if (!pc->pairs[i].mac_set)
			continue;
		ll = vxg_ip6_link_local(mac);
		if (!psec6_has(a, n, &ll, mac))
			psec6_set(&a[n++], &ll, 128, mac);
	}
	return n;
}

/*
 * A port with no fixed IPv6 address nor IPv6 pair gets its address from a server when its
 * network is dual-stack (DHCPv6 from the range), so any IPv6 source goes, as IPv4 does for
 * a port without fixed IPs; so it does for a port without any address (held to its MAC
 * only, as before IPv6). A port with fixed IPv4 addresses in an IPv4-only network may
 * speak IPv6 from its link-local address only.
 */
uint16_t
vxg_psec6_fill(struct vxg_gen_lport *lp, struct vxg_lport_addr6 *a, const struct vxg_port_cfg *pc,
	const struct vxg_network_cfg *net)
{
	unsigned n6pairs = 0, n4 = pc->n_ips;
	uint16_t n = 0;

	lp->addrs6 = a;
	lp->n_addrs6 = 0;
	if (!pc->port_security)
		return 0;
	for (unsigned i = 0; i < pc->n_ip6s; i++)
		psec6_set(&a[n++], &pc->ip6s[i], 128, &pc->mac);
	n = psec6_link_locals(a, n, pc);
	for (unsigned i = 0; i < pc->n_pairs; i++) {
		const struct vxg_addr_pair_cfg *pp = &pc->pairs[i];

		if (!pp->is6) {
			n4++;
			continue;
		}
		n6pairs++;
		psec6_set(&a[n++], &pp->ip6.addr, pp->ip6.len, pp->mac_set ? &pp->mac : &pc->mac);
	}
	if (pc->n_ip6s == 0 && n6pairs == 0 && (net->ip6.enabled || n4 == 0))
		lp->flags |= VXG_LP_IP6_ANY;
	lp->n_addrs6 = n;
	return n;
}
