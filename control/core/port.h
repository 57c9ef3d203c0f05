/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: the DPDK ethdev behind each configured interface.
 *
 * Thread-safety: set up by the control thread at start, before any worker runs, and
 * stopped after every worker has left. The array is read-only in between; workers only
 * see port ids and queue ids copied into their own structs and generations.
 */
#ifndef VXG_PORT_H
#define VXG_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mempool.h>

#include "config/model.h"

struct vxg_iface {
	char name[VXG_NAME_MAX];
	char device[VXG_DEVARGS_MAX];
	char devname[RTE_DEV_NAME_MAX_LEN]; /* what ethdev calls it */
	enum vxg_if_role role;
	uint16_t port_id;
	struct rte_ether_addr mac;
	uint16_t mtu;
	uint16_t n_rxq, n_txq;
	int ctl_txq; /* tx queue reserved for the control thread, -1 if the device has none */
	uint16_t min_mtu, max_mtu; /* what the device takes (vxg_port_mtu_range) */
	bool mtu_settable; /* false where the driver has no MTU (net_pcap, net_null) */
	bool rss;
	bool hotplugged; /* we probed it, so we detach it at exit */
	bool started;
};

/*
 * Probe (hot-plug vdevs, look up PCI devices), configure and start every interface of
 * cfg: one rx queue per worker (fewer if the device has fewer), one tx queue per worker
 * plus one for control where the device has it. On error, returns -errno, says which
 * interface and why in err, and leaves no port started.
 */
int vxg_ports_init(const struct vxg_config *cfg, unsigned n_workers, struct rte_mempool *pool,
	struct vxg_iface *ifs, char *err, size_t errlen);
void vxg_ports_fini(struct vxg_iface *ifs, unsigned n);

/*
 * 0 if the port can take mtu (or has no MTU to set), else -EINVAL with err naming the
 * interface, the device, mtu and the device's limit. The limit is ethdev's: min_mtu and
 * max_mtu of rte_eth_dev_info, and max_rx_pktlen less the driver's frame overhead.
 */
int vxg_port_mtu_check(const struct vxg_iface *p, uint16_t mtu, char *err, size_t errlen);

/* The MTUs ethdev lets rte_eth_dev_set_mtu() give this device. */
void vxg_port_mtu_range(const struct rte_eth_dev_info *info, uint16_t *min, uint16_t *max);

/* Link state as "up 10 Gbps full" or "down". */
void vxg_port_link_str(uint16_t port_id, char *buf, size_t len);

#endif
