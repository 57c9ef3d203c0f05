/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fuzzers' daemon (fuzz_daemon.h): vxgate's start-up without ports or worker lcores,
 * the worker's pass on frames the fuzzer hands in, and the checks every pass ends with.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sanitizer/lsan_interface.h>

#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "core/cli.h"
#include "core/daemon.h"
#include "core/feature.h"
#include "l2/fdb.h"
#include "l2/l2_feature.h"
#include "l3/l3_feature.h"
#include "pipeline.h"

#include "fuzz_daemon.h"

/* Rounds of control and worker after a burst: a punt's answer may draw another punt
 * (a DHCP reply flooded, a routed packet that waited for its neighbour), not forever. */
#define SETTLE_ROUNDS 8

static struct vxg_worker *fz_w;
/* The pipeline's seeds (fz_seeds_load). */
static struct fz_seed {
	size_t len;
	uint8_t data[4096];
} seeds[64];
static unsigned n_seeds;
static FILE *null_out;

struct vxg_daemon *
fz_daemon(void)
{
	return &vxg_daemon;
}

FILE *
fz_null(void)
{
	return null_out;
}

const char *
fz_config_path(void)
{
	const char *p = getenv("VXG_FUZZ_CONFIG");

	return p != NULL ? p : VXG_FUZZ_DIR "/vxgate-fuzz.yaml";
}

static void fz_die(const char *what, const char *why) __attribute__((noreturn));

static void
fz_die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, why);
	abort();
}

/* DPDK's memory is one mapping LeakSanitizer does not look into: the heap blocks that only
 * DPDK's memory points to (a generation's parts) would look leaked. */
static int
fz_lsan_root(const struct rte_memseg_list *msl, void *arg)
{
	__lsan_register_root_region(msl->base_va, msl->len);
	return 0;
}

void
fz_eal_init(void)
{
	char *argv[] = {"vxgate-fuzz", "--no-huge", "--no-pci", "--no-shconf", "--no-telemetry",
		"-m", "512", "-l", "0", "--log-level", "*:error",
		/* `show interfaces` asks ethdev about ports that do not exist */
		"--log-level", "lib.ethdev:critical", NULL};
	cpu_set_t cpus;

	/* EAL pins its main thread to lcore 0's CPU: the fuzzer gives it back its own. */
	if (sched_getaffinity(0, sizeof(cpus), &cpus) < 0)
		fz_die("sched_getaffinity", strerror(errno));
	if (rte_eal_init(RTE_DIM(argv) - 1, argv) < 0)
		fz_die("EAL", rte_strerror(rte_errno));
	sched_setaffinity(0, sizeof(cpus), &cpus);
	rte_memseg_list_walk(fz_lsan_root, NULL);
	/* VXG_FUZZ_VERBOSE shows what the commands print (to see what a seed reaches). */
	null_out = getenv("VXG_FUZZ_VERBOSE") != NULL ? stdout : fopen("/dev/null", "w");
	if (null_out == NULL)
		fz_die("/dev/null", strerror(errno));
}

/* Ports 0..n-1 stand for the config's interfaces, with its MACs and MTUs. */
static void
fz_ifaces(struct vxg_daemon *d)
{
	const struct vxg_config *cfg = d->cfg;

	d->n_ifs = cfg->n_interfaces;
	for (unsigned i = 0; i < d->n_ifs; i++) {
		struct vxg_iface *p = &d->ifs[i];

		snprintf(p->name, sizeof(p->name), "%s", cfg->interfaces[i].name);
		snprintf(p->device, sizeof(p->device), "%s", cfg->interfaces[i].device);
		snprintf(p->devname, sizeof(p->devname), "fuzz%u", i);
		p->role = cfg->interfaces[i].role;
		p->port_id = (uint16_t)i;
		p->mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0x0f, (uint8_t)i}};
		if (cfg->interfaces[i].mac_set)
			p->mac = cfg->interfaces[i].mac;
		p->mtu = cfg->interfaces[i].mtu;
		p->n_rxq = p->n_txq = 1;
		p->ctl_txq = -1; /* control's frames go through the worker's inject ring */
		p->started = true;
	}
}

/* The pool, punt ring, QSBR and one worker, as vxg_daemon_init makes them. */
static void
fz_worker_create(struct vxg_daemon *d)
{
	struct vxg_worker *w = rte_zmalloc("vxg_worker", sizeof(*w), RTE_CACHE_LINE_SIZE);
	uint16_t mtu = RTE_ETHER_MTU;

	for (unsigned i = 0; i < d->n_ifs; i++)
		mtu = RTE_MAX(mtu, d->ifs[i].mtu);
	d->pool = rte_pktmbuf_pool_create("vxg_mbufs", d->cfg->dataplane.mbufs, 0, 0,
		RTE_MAX(RTE_MBUF_DEFAULT_BUF_SIZE,
			RTE_PKTMBUF_HEADROOM + mtu + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN),
		SOCKET_ID_ANY);
	d->qsbr = rte_zmalloc("vxg_qsbr", rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	d->punt_ring = rte_ring_create("vxg_punt", 4096, SOCKET_ID_ANY, RING_F_SC_DEQ);
	if (w == NULL || d->pool == NULL || d->qsbr == NULL || d->punt_ring == NULL ||
		rte_rcu_qsbr_init(d->qsbr, 1) < 0)
		fz_die("start", "out of memory");
	w->ctl_ring = rte_ring_create_elem("vxg_ctl0", sizeof(struct vxg_msg), 64, SOCKET_ID_ANY,
		RING_F_SP_ENQ | RING_F_SC_DEQ);
	w->inject_ring =
		rte_ring_create("vxg_inj0", 1024, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	w->lport_ctr = rte_zmalloc("vxg_lport_ctr", VXG_LPORT_MAX * sizeof(*w->lport_ctr), 0);
	if (w->ctl_ring == NULL || w->inject_ring == NULL || w->lport_ctr == NULL)
		fz_die("start", "out of memory");
	w->n_workers = 1;
	w->punt_ring = d->punt_ring;
	w->qsbr = d->qsbr;
	w->burst = d->cfg->dataplane.burst;
	vxg_ratelimit_init(&w->icmp_rl, rte_get_tsc_hz(), 1000, 100);
	vxg_ratelimit_init(&w->host_rl, rte_get_tsc_hz(), VXG_HOST_PUNT_RATE, VXG_HOST_PUNT_BURST);
	d->workers[0] = w;
	d->n_workers = 1;
	fz_w = w;
}

void
fz_daemon_start(const char *path)
{
	struct vxg_daemon *d = &vxg_daemon;
	char err[VXG_ERR_MAX];
	struct vxg_gen *g;

	if (vxg_config_load(path, &d->cfg, err, sizeof(err)) < 0)
		fz_die(path, err);
	d->opt.config = path;
	d->loaded_at = time(NULL);
	fz_ifaces(d);
	fz_worker_create(d);
	if (vxg_meta_register() < 0 || vxg_features_init(d, err, sizeof(err)) < 0)
		fz_die("features", err);
	g = vxg_gen_alloc(d->cfg, d->ifs, d->n_ifs, ++d->gen_id);
	if (g == NULL || vxg_features_build(d, g, d->cfg, err, sizeof(err)) < 0)
		fz_die("generation", g == NULL ? "out of memory" : err);
	/* No worker to wait for: publishing returns at once, the worker reads d->gen. */
	if (vxg_publisher_init(&d->pub, d->workers, 0, d->qsbr) < 0)
		fz_die("publisher", "out of memory");
	d->gen = g;
	vxg_gen_publish(&d->pub, g, NULL, 0);
	vxg_features_published(d, g, d->cfg, NULL, NULL);
	fz_w->gen = g;
	if (vxg_cli_init(d, false) < 0)
		fz_die("commands", "out of memory");
	/* Before LeakSanitizer's own check at exit: what stopping leaves is a leak. */
	atexit(fz_daemon_stop);
}

void
fz_daemon_stop(void)
{
	struct vxg_daemon *d = &vxg_daemon;

	vxg_cli_fini();
	vxg_publisher_fini(&d->pub);
	vxg_gen_free(d->gen);
	d->gen = NULL;
	vxg_features_fini(d);
	rte_ring_free(fz_w->ctl_ring);
	rte_ring_free(fz_w->inject_ring);
	rte_free(fz_w->lport_ctr);
	rte_free(fz_w);
	d->workers[0] = fz_w = NULL;
	d->n_workers = 0;
	rte_ring_free(d->punt_ring);
	rte_free(d->qsbr);
	rte_mempool_free(d->pool);
	vxg_config_free(d->cfg);
	d->cfg = NULL;
}

struct rte_mbuf *
fz_frame(unsigned ifindex, const uint8_t *data, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(vxg_daemon.pool);

	if (m == NULL)
		return NULL;
	len = RTE_MIN(len, (size_t)rte_pktmbuf_tailroom(m));
	if (len > 0)
		memcpy(rte_pktmbuf_append(m, (uint16_t)len), data, len);
	m->port = vxg_daemon.ifs[ifindex].port_id;
	return m;
}

/* A transmitted frame must be a sound mbuf that holds at least an Ethernet header. */
static void
fz_tx_check(uint16_t port, struct rte_mbuf *m)
{
	const char *why = NULL;
	char what[64];

	if (rte_mbuf_check(m, 1, &why) == 0 && m->pkt_len < RTE_ETHER_HDR_LEN)
		why = "shorter than an Ethernet header";
	if (why == NULL && (port >= vxg_daemon.n_ifs || m->pkt_len > m->buf_len))
		why = "sent to no port, or longer than its buffer";
	if (why == NULL)
		return;
	snprintf(what, sizeof(what), "frame sent on port %u (%u bytes)", port, m->pkt_len);
	fz_die(what, why);
}

/* What the worker would transmit: checked, then freed. Returns how many. */
static unsigned
fz_tx_flush(void)
{
	unsigned n = 0;

	for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++) {
		struct vxg_tx_buf *b = &fz_w->tx[p];

		for (uint16_t i = 0; i < b->n; i++)
			fz_tx_check(p, b->pkts[i]);
		rte_pktmbuf_free_bulk(b->pkts, b->n);
		n += b->n;
		b->n = 0;
	}
	fz_w->stats.tx += n;
	return n;
}

/* The worker's inject path (core/worker.c): frames control sends on a port, or into a
 * network through L2 output. Returns how many it took. */
static unsigned
fz_inject(void)
{
	struct rte_mbuf *pkts[32];
	struct vxg_l2_burst b = {.in_port = VXG_INJECT_NET};
	unsigned n = rte_ring_sc_dequeue_burst(fz_w->inject_ring, (void **)pkts, 32, NULL);

	if (n > 0)
		vxg_worker_pcache_begin(fz_w);
	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (m->port != VXG_INJECT_NET) {
			vxg_tx_enqueue(fz_w, m->port, m);
			continue;
		}
		b.net[b.n] = vxg_net_by_vni(&fz_w->gen->vx, vxg_meta(m)->vni);
		if (b.net[b.n] == NULL) {
			vxg_drop(fz_w, m, VXG_DROP_no_stage);
			continue;
		}
		m->l2_len = RTE_ETHER_HDR_LEN;
		b.src[b.n] = 0;
		b.pkts[b.n++] = m;
	}
	if (b.n > 0)
		vxg_l2_output(fz_w, &b);
	return n;
}

/* Control and worker in turns until nothing moves; what is left then is dropped. */
static void
fz_settle(void)
{
	struct vxg_daemon *d = &vxg_daemon;
	struct rte_mbuf *m;

	fz_w->gen = d->gen;
	for (unsigned r = 0; r < SETTLE_ROUNDS; r++) {
		unsigned moved = fz_tx_flush();

		if (rte_ring_count(d->punt_ring) > 0) {
			moved++;
			vxg_daemon_tick(d);
			fz_w->gen = d->gen;
		}
		moved += fz_inject();
		if (moved == 0)
			return;
	}
	fz_tx_flush();
	while (rte_ring_dequeue(d->punt_ring, (void **)&m) == 0)
		rte_pktmbuf_free(m);
	while (rte_ring_dequeue(fz_w->inject_ring, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

void
fz_rx(unsigned ifindex, struct rte_mbuf **pkts, uint16_t n)
{
	const struct vxg_gen *g = vxg_daemon.gen;

	fz_w->gen = vxg_daemon.gen; /* a command may have reloaded meanwhile */
	fz_w->stats.rx += n;
	vxg_eth_input(fz_w, &g->ifs[g->if_of_port[vxg_daemon.ifs[ifindex].port_id]], pkts, n);
	fz_settle();
}

static void
fz_chunk(const uint8_t *p, size_t len)
{
	struct rte_mbuf *pkts[4];
	unsigned ifi, copies;
	uint16_t n = 0;

	if (len == 0)
		return;
	ifi = (p[0] & 7) % vxg_daemon.n_ifs;
	copies = ((p[0] >> 3) & 3) + 1;
	for (unsigned i = 0; i < copies; i++)
		if ((pkts[n] = fz_frame(ifi, p + 1, len - 1)) != NULL)
			n++;
	fz_rx(ifi, pkts, n);
	if (p[0] & 0x20)
		fz_tick();
}

void
fz_run(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;

	for (unsigned c = 0; c < FZ_MAX_CHUNKS && p < end; c++) {
		const uint8_t *sep = memmem(p, (size_t)(end - p), FZ_SEP, FZ_SEP_LEN);
		size_t len = (size_t)((sep != NULL ? sep : end) - p);

		fz_chunk(p, len);
		p += len + FZ_SEP_LEN;
	}
}

void
fz_seeds_load(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];
		struct fz_seed *sd = &seeds[n_seeds];
		FILE *f;

		bool file = names[i]->d_type == DT_REG;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		free(names[i]);
		if (n_seeds == RTE_DIM(seeds) || !file || (f = fopen(path, "rb")) == NULL)
			continue;
		sd->len = fread(sd->data, 1, sizeof(sd->data), f);
		fclose(f);
		n_seeds++;
	}
	free(names);
}

void
fz_seeds_run(void)
{
	for (unsigned i = 0; i < n_seeds; i++)
		fz_run(seeds[i].data, seeds[i].len);
}

void
fz_tick(void)
{
	vxg_daemon_tick(&vxg_daemon);
	fz_w->gen = vxg_daemon.gen;
	fz_settle();
}

void
fz_forget(void)
{
	/* The router's table is read-only to other features; the fuzzer clears it as a
	 * restart would. */
	struct vxg_l3_neigh_table *l3n = (struct vxg_l3_neigh_table *)vxg_router_neigh();
	const uint64_t *ev = fz_w->stats.events;
	static uint64_t learned, connections, sessions;

	/* A sweep walks the whole table: only where the input made something. */
	if (ev[VXG_EV_fdb_learned] != learned)
		vxg_fdb_clear(vxg_l2_fdb(), 0);
	if (ev[VXG_EV_ct_created] != connections)
		vxg_cli_exec("clear conntrack", false, null_out);
	if (ev[VXG_EV_nat_session_created] != sessions)
		vxg_cli_exec("clear nat sessions", false, null_out);
	learned = ev[VXG_EV_fdb_learned];
	connections = ev[VXG_EV_ct_created];
	sessions = ev[VXG_EV_nat_session_created];
	vxg_l3n_clear(l3n, 0);
	/* A fresh budget of ICMP errors, so that an input does the same whatever came before. */
	vxg_ratelimit_init(&fz_w->icmp_rl, rte_get_tsc_hz(), 1000, 100);
	vxg_ratelimit_init(
		&fz_w->host_rl, rte_get_tsc_hz(), VXG_HOST_PUNT_RATE, VXG_HOST_PUNT_BURST);
	fz_settle();
}

void
fz_check_pool(const char *when)
{
	const struct rte_mempool *mp = vxg_daemon.pool;
	unsigned out = mp->size - rte_mempool_avail_count(mp);
	char what[96];

	if (out == 0)
		return;
	snprintf(what, sizeof(what), "%u mbufs not back in the pool", out);
	fz_die(what, when);
}

/* DPDK's heap in use: allocated bytes, all sockets. */
static size_t
fz_heap_used(void)
{
	struct rte_malloc_socket_stats st;
	size_t used = 0;

	for (int s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (rte_malloc_get_socket_stats(s, &st) == 0)
			used += st.heap_allocsz_bytes;
	return used;
}

/*
 * Tables are sized at start, so DPDK's heap stays as the first input left it: a leak of
 * rte_malloc'd memory (which LeakSanitizer does not see) is a finding once it passes
 * HEAP_SLACK. VXG_FUZZ_HEAP shows every new high.
 */
#define HEAP_SLACK (16u << 20)

void
fz_check_heap(const char *when)
{
	static size_t base, high;
	size_t used = fz_heap_used();
	char what[96];

	if (base == 0)
		base = high = used;
	if (used > high && getenv("VXG_FUZZ_HEAP") != NULL)
		fprintf(stderr, "fuzz: DPDK heap up by %zu bytes %s\n", used - base, when);
	high = RTE_MAX(high, used);
	if (used <= base + HEAP_SLACK)
		return;
	snprintf(what, sizeof(what), "DPDK heap grew by %zu bytes", used - base);
	fz_die(what, when);
}
