/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: probe the device (PCI or hot-plugged vdev) behind each configured interface,
 * configure its queues (one rx and tx per worker, a tx for control), MTU and promiscuous
 * mode, start and stop it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include "core/port.h"

#define RSS_WANTED (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP)

/* The ethdev name of a device string: devargs up to the first comma. */
static void
port_devname(const char *device, char *name, size_t len)
{
	size_t n = strcspn(device, ",");

	if (n >= len)
		n = len - 1;
	memcpy(name, device, n);
	name[n] = '\0';
}

static int
port_probe(const struct vxg_if_cfg *ic, struct vxg_iface *p, char *err, size_t errlen)
{
	int ret;

	port_devname(ic->device, p->devname, sizeof(p->devname));
	if (rte_eth_dev_get_port_by_name(p->devname, &p->port_id) == 0)
		return 0; /* already probed by EAL (-a PCI address, --vdev) */
	ret = rte_dev_probe(ic->device);
	if (ret < 0 && ret != -EEXIST) {
		snprintf(err, errlen,
			"interface %s: cannot probe device \"%s\": %s (a PCI device must be bound "
			"to vfio-pci or uio and not blocked by -b; a vdev name must start with a "
			"known driver such as net_tap, net_pcap, net_af_packet, net_null, "
			"net_ring)",
			ic->name, ic->device, rte_strerror(-ret));
		return ret;
	}
	p->hotplugged = true;
	if (rte_eth_dev_get_port_by_name(p->devname, &p->port_id) != 0) {
		snprintf(err, errlen,
			"interface %s: device \"%s\" probed but no ethdev is named %s", ic->name,
			ic->device, p->devname);
		return -ENODEV;
	}
	return 0;
}

static int
port_queues(const struct vxg_if_cfg *ic, struct vxg_iface *p, unsigned n_workers,
	const struct rte_eth_dev_info *info, char *err, size_t errlen)
{
	if (info->max_tx_queues < n_workers) {
		snprintf(err, errlen,
			"interface %s: device %s has %u tx queues, %u workers need one each "
			"(use fewer lcores, or give the vdev more queues)",
			ic->name, p->devname, info->max_tx_queues, n_workers);
		return -EINVAL;
	}
	p->n_rxq = RTE_MIN(n_workers, info->max_rx_queues);
	p->n_txq = RTE_MIN(n_workers + 1, info->max_tx_queues);
	p->ctl_txq = p->n_txq > n_workers ? (int)n_workers : -1;
	return 0;
}

static void
port_no_ctl_txq(struct vxg_iface *p, unsigned n_workers)
{
	p->n_txq = n_workers;
	p->ctl_txq = -1;
}

void
vxg_port_mtu_range(const struct rte_eth_dev_info *info, uint16_t *min, uint16_t *max)
{
	/* As ethdev checks it: the frame (MTU plus the driver's overhead, or Ethernet
	 * header and CRC when the driver gives no max_mtu) must fit max_rx_pktlen. */
	uint32_t overhead = RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN, top = info->max_mtu;

	if (info->max_mtu != UINT16_MAX && info->max_rx_pktlen > info->max_mtu)
		overhead = info->max_rx_pktlen - info->max_mtu;
	if (info->max_rx_pktlen > overhead)
		top = RTE_MIN(top, info->max_rx_pktlen - overhead);
	*min = info->min_mtu;
	*max = (uint16_t)RTE_MAX(top, info->min_mtu);
}

static int
port_configure(const struct vxg_config *cfg, const struct vxg_if_cfg *ic, struct vxg_iface *p,
	unsigned n_workers, struct rte_mempool *pool, char *err, size_t errlen)
{
	uint16_t nb_rxd = cfg->dataplane.rx_desc, nb_txd = cfg->dataplane.tx_desc;
	struct rte_eth_conf conf = {0};
	struct rte_eth_dev_info info;
	int ret, sock = rte_eth_dev_socket_id(p->port_id);
	const char *what;

	if ((ret = rte_eth_dev_info_get(p->port_id, &info)) < 0) {
		what = "get device info";
		goto err;
	}
	if ((ret = port_queues(ic, p, n_workers, &info, err, errlen)) < 0)
		return ret;
	if (p->n_rxq > 1 && (info.flow_type_rss_offloads & RSS_WANTED)) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads & RSS_WANTED;
		p->rss = true;
	}
	vxg_port_mtu_range(&info, &p->min_mtu, &p->max_mtu);
	what = "configure";
	/* net_tap wants as many tx queues as rx queues and logs an error otherwise: do
	 * without the control queue; control then hands its packets to a worker. */
	if (strcmp(info.driver_name, "net_tap") == 0 && p->n_rxq == n_workers)
		port_no_ctl_txq(p, n_workers);
	ret = rte_eth_dev_configure(p->port_id, p->n_rxq, p->n_txq, &conf);
	if (ret < 0 && p->n_txq > n_workers && p->n_rxq == n_workers) {
		/* Other drivers may want the same. */
		port_no_ctl_txq(p, n_workers);
		ret = rte_eth_dev_configure(p->port_id, p->n_rxq, p->n_txq, &conf);
	}
	if (ret < 0)
		goto err;
	if ((ret = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rxd, &nb_txd)) < 0)
		goto err;
	what = "set up an rx queue";
	for (uint16_t q = 0; q < p->n_rxq; q++)
		if ((ret = rte_eth_rx_queue_setup(p->port_id, q, nb_rxd, sock, NULL, pool)) < 0)
			goto err;
	what = "set up a tx queue";
	for (uint16_t q = 0; q < p->n_txq; q++)
		if ((ret = rte_eth_tx_queue_setup(p->port_id, q, nb_txd, sock, NULL)) < 0)
			goto err;
	return 0;
err:
	snprintf(err, errlen, "interface %s: cannot %s device %s: %s", ic->name, what, p->devname,
		rte_strerror(-ret));
	return ret;
}

static int
port_start(const struct vxg_if_cfg *ic, struct vxg_iface *p, char *err, size_t errlen)
{
	int ret;

	/* Virtual devices without an MTU (net_null, net_pcap) say ENOTSUP: nothing to set. */
	ret = rte_eth_dev_set_mtu(p->port_id, ic->mtu);
	p->mtu_settable = ret != -ENOTSUP;
	if (ret < 0 && ret != -ENOTSUP) {
		if (vxg_port_mtu_check(p, ic->mtu, err, errlen) == 0)
			snprintf(err, errlen, "interface %s: cannot set MTU %u on %s: %s", ic->name,
				ic->mtu, p->devname, rte_strerror(-ret));
		return ret;
	}
	if (ic->mac_set) {
		ret = rte_eth_dev_default_mac_addr_set(
			p->port_id, (struct rte_ether_addr *)&ic->mac);
		/* Devices without a MAC filter (net_pcap, net_null) say ENOTSUP: they are
		 * promiscuous, and vxgate's own MAC lives in the generation anyway. */
		if (ret < 0 && ret != -ENOTSUP) {
			snprintf(err, errlen, "interface %s: cannot set MAC on %s: %s", ic->name,
				p->devname, rte_strerror(-ret));
			return ret;
		}
	}
	ret = rte_eth_promiscuous_enable(p->port_id);
	if (ret < 0 && ret != -ENOTSUP) {
		snprintf(err, errlen, "interface %s: cannot enable promiscuous mode on %s: %s",
			ic->name, p->devname, rte_strerror(-ret));
		return ret;
	}
	if ((ret = rte_eth_dev_start(p->port_id)) < 0) {
		snprintf(err, errlen, "interface %s: cannot start %s: %s", ic->name, p->devname,
			rte_strerror(-ret));
		return ret;
	}
	p->started = true;
	if (ic->mac_set)
		p->mac = ic->mac;
	else
		rte_eth_macaddr_get(p->port_id, &p->mac);
	return 0;
}

static int
port_init_one(const struct vxg_config *cfg, const struct vxg_if_cfg *ic, struct vxg_iface *p,
	unsigned n_workers, struct rte_mempool *pool, char *err, size_t errlen)
{
	int ret;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", ic->name);
	snprintf(p->device, sizeof(p->device), "%s", ic->device);
	p->role = ic->role;
	p->mtu = ic->mtu;
	if ((ret = port_probe(ic, p, err, errlen)) < 0)
		return ret;
	if ((ret = port_configure(cfg, ic, p, n_workers, pool, err, errlen)) < 0)
		return ret;
	return port_start(ic, p, err, errlen);
}

int
vxg_ports_init(const struct vxg_config *cfg, unsigned n_workers, struct rte_mempool *pool,
	struct vxg_iface *ifs, char *err, size_t errlen)
{
	unsigned i;
	int ret;

	for (i = 0; i < cfg->n_interfaces; i++) {
		ret = port_init_one(
			cfg, &cfg->interfaces[i], &ifs[i], n_workers, pool, err, errlen);
		if (ret < 0)
			goto err;
	}
	return 0;
err:
	vxg_ports_fini(ifs, i + 1);
	return ret;
}

void
vxg_ports_fini(struct vxg_iface *ifs, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct vxg_iface *p = &ifs[i];

		if (p->started)
			rte_eth_dev_stop(p->port_id);
		p->started = false;
		/* Closing a tap removes its kernel interface, so namespaces see it go. */
		if (p->hotplugged)
			rte_eth_dev_close(p->port_id);
		p->hotplugged = false;
	}
}

int
vxg_port_mtu_check(const struct vxg_iface *p, uint16_t mtu, char *err, size_t errlen)
{
	if (!p->mtu_settable || (mtu >= p->min_mtu && mtu <= p->max_mtu))
		return 0;
	snprintf(err, errlen,
		"interface %s: device %s cannot take MTU %u: its limit is %u (it takes %u to "
		"%u)",
		p->name, p->devname, mtu, mtu > p->max_mtu ? p->max_mtu : p->min_mtu, p->min_mtu,
		p->max_mtu);
	return -EINVAL;
}

void
vxg_port_link_str(uint16_t port_id, char *buf, size_t len)
{
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(port_id, &link) < 0 || !link.link_status) {
		snprintf(buf, len, "down");
		return;
	}
	rte_eth_link_to_str(buf, len, &link);
}
