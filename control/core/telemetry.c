/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DPDK telemetry endpoints /vxgate/stats, /vxgate/interfaces and /vxgate/config,
 * answered on the telemetry thread under vxg_daemon.lock.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "config/fields.h"
#include "core/daemon.h"
#include "core/telemetry.h"

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *drops = rte_tel_data_alloc(), *events = rte_tel_data_alloc();
	struct vxg_worker_stats t;

	if (drops == NULL || events == NULL) {
		rte_tel_data_free(drops);
		rte_tel_data_free(events);
		return -ENOMEM;
	}
	pthread_mutex_lock(&vxg_daemon.lock);
	vxg_daemon_stats_total(&vxg_daemon, &t);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "workers", vxg_daemon.n_workers);
	rte_tel_data_add_dict_u64(d, "rx", t.rx);
	rte_tel_data_add_dict_u64(d, "tx", t.tx);
	rte_tel_data_add_dict_u64(d, "punted", t.punted);
	rte_tel_data_add_dict_u64(d, "dropped", vxg_stats_drops_total(&t));
	rte_tel_data_add_dict_u64(d, "busy_cycles", t.busy_cycles);
	rte_tel_data_add_dict_u64(d, "idle_cycles", t.idle_cycles);
	rte_tel_data_start_dict(drops);
	for (unsigned r = 0; r < VXG_DROP_MAX; r++)
		rte_tel_data_add_dict_u64(drops, vxg_drop_names[r], t.drops[r]);
	rte_tel_data_add_dict_container(d, "drops", drops, 0);
	rte_tel_data_start_dict(events);
	for (unsigned e = 0; e < VXG_EV_MAX; e++)
		rte_tel_data_add_dict_u64(events, vxg_event_names[e], t.events[e]);
	rte_tel_data_add_dict_container(d, "events", events, 0);
	pthread_mutex_unlock(&vxg_daemon.lock);
	return 0;
}

static int
tel_interfaces(const char *cmd, const char *params, struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	pthread_mutex_lock(&vxg_daemon.lock);
	for (unsigned i = 0; i < vxg_daemon.n_ifs; i++) {
		const struct vxg_iface *p = &vxg_daemon.ifs[i];
		struct rte_tel_data *c = rte_tel_data_alloc();
		struct rte_eth_stats st = {0};
		char mac[RTE_ETHER_ADDR_FMT_SIZE];

		if (c == NULL)
			break;
		rte_eth_stats_get(p->port_id, &st);
		rte_ether_format_addr(mac, sizeof(mac), &p->mac);
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_string(c, "device", p->device);
		rte_tel_data_add_dict_string(c, "role", vxg_role_name(p->role));
		rte_tel_data_add_dict_string(c, "mac", mac);
		rte_tel_data_add_dict_u64(c, "port_id", p->port_id);
		rte_tel_data_add_dict_u64(c, "mtu", p->mtu);
		rte_tel_data_add_dict_u64(c, "rx_packets", st.ipackets);
		rte_tel_data_add_dict_u64(c, "tx_packets", st.opackets);
		rte_tel_data_add_dict_u64(c, "rx_missed", st.imissed);
		rte_tel_data_add_dict_u64(c, "rx_errors", st.ierrors);
		rte_tel_data_add_dict_u64(c, "tx_errors", st.oerrors);
		rte_tel_data_add_dict_container(d, p->name, c, 0);
	}
	pthread_mutex_unlock(&vxg_daemon.lock);
	return 0;
}

static int
tel_config(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vxg_config_counts n;

	rte_tel_data_start_dict(d);
	pthread_mutex_lock(&vxg_daemon.lock);
	if (vxg_daemon.cfg == NULL) {
		pthread_mutex_unlock(&vxg_daemon.lock);
		return -ENODEV; /* stopping */
	}
	vxg_config_count(vxg_daemon.cfg, &n);
	rte_tel_data_add_dict_string(d, "file", vxg_daemon.cfg->path);
	rte_tel_data_add_dict_u64(d, "generation", vxg_daemon.gen_id);
	pthread_mutex_unlock(&vxg_daemon.lock);
	rte_tel_data_add_dict_u64(d, "vpcs", n.vpcs);
	rte_tel_data_add_dict_u64(d, "networks", n.networks);
	rte_tel_data_add_dict_u64(d, "ports", n.ports);
	rte_tel_data_add_dict_u64(d, "security_groups", n.security_groups);
	rte_tel_data_add_dict_u64(d, "rules", n.rules);
	return 0;
}

int
vxg_telemetry_init(void)
{
	int ret = 0;

	ret |= rte_telemetry_register_cmd("/vxgate/stats", tel_stats,
		"Worker packet, cycle and drop counters, summed. No parameters");
	ret |= rte_telemetry_register_cmd("/vxgate/interfaces", tel_interfaces,
		"Interfaces with role, MAC, MTU and counters. No parameters");
	ret |= rte_telemetry_register_cmd("/vxgate/config", tel_config,
		"Config file, generation and object counts. No parameters");
	return ret;
}
