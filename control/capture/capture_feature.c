/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A capture's life on the control thread (capture_feature.h), and the feature that runs
 * it: the tick moves a stopping capture along, fini ends one at exit, and the memory and
 * metrics hooks report it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>
#include <rte_version.h>

#include "capture/capture_feature.h"
#include "core/feature.h"

#define CAP_POOL_CACHE 64
/* The writer's pcapng blocks: two of its batches at once, at most. */
#define WRITER_POOL 255
/* The largest frame the writer's blocks hold in one segment: a jumbo frame with two
 * VLAN tags (a longer one takes a chain). */
#define WRITER_FRAME_MAX (9216u + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN)

enum cap_phase {
	PH_NONE,
	PH_RUNNING,
	PH_QUIESCE, /* the workers were sent NULL: wait until each has been quiescent */
	PH_DRAIN, /* the writer drains the rings and closes the file */
	PH_STOPPED,
};

static struct {
	enum cap_phase phase;
	struct vxg_capture_req req;
	struct vxg_capture *cap; /* the last capture's; shared parts freed once stopped */
	struct vxg_capture_writer wr;
	bool stop_unsent; /* the workers' control rings had no room: the tick sends it */
	/* By interface: the tap on its control tx queue, if it has one and tx is captured. */
	const struct rte_eth_rxtx_callback *ctl_cb[VXG_IF_MAX];
	uint64_t token; /* QSBR token taken after the workers were sent NULL */
	time_t started, stopped;
	char why[128];
	unsigned seq; /* names of rings and pools */
	/* The captures before the last, summed, for the metrics (counters since start). */
	struct vxg_capture_ctr total[VXG_CAP_DIRS];
	uint64_t total_written, total_bytes, total_discarded;
} cs;

struct vxg_capture *
vxg_capture_alloc(unsigned n_workers, unsigned pool_size, char *err, size_t errlen)
{
	char name[RTE_RING_NAMESIZE];
	unsigned seq = cs.seq++;
	struct vxg_capture *c;

	c = rte_zmalloc("vxg_capture", sizeof(*c) + (n_workers + 1) * sizeof(c->wk[0]),
		RTE_CACHE_LINE_SIZE);
	if (c == NULL) {
		snprintf(err, errlen, "cannot allocate the capture: out of memory");
		return NULL;
	}
	c->n_workers = n_workers;
	snprintf(name, sizeof(name), "vxg_cap%u", seq);
	c->pool = rte_pktmbuf_pool_create(name, pool_size, CAP_POOL_CACHE,
		RTE_ALIGN(sizeof(struct vxg_capture_stamp), RTE_MBUF_PRIV_ALIGN),
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	for (unsigned i = 0; i < vxg_capture_slots(c) && c->pool != NULL; i++) {
		snprintf(name, sizeof(name), "vxg_cap%u_%u", seq, i);
		c->wk[i].ring = rte_ring_create(
			name, VXG_CAPTURE_RING, rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (c->wk[i].ring == NULL)
			break;
	}
	if (c->pool == NULL || c->wk[n_workers].ring == NULL) {
		snprintf(err, errlen,
			"cannot create the capture's pool of %u mbufs and its rings: %s; give EAL "
			"more memory",
			pool_size, rte_strerror(rte_errno));
		vxg_capture_free_shared(c);
		rte_free(c);
		return NULL;
	}
	return c;
}

void
vxg_capture_free_shared(struct vxg_capture *c)
{
	struct rte_mbuf *m;

	if (c == NULL)
		return;
	for (unsigned i = 0; i < vxg_capture_slots(c); i++) {
		if (c->wk[i].ring == NULL)
			continue;
		while (rte_ring_sc_dequeue(c->wk[i].ring, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(c->wk[i].ring);
		c->wk[i].ring = NULL;
	}
	rte_mempool_free(c->pool);
	c->pool = NULL;
	vxg_filter_free(&c->filter);
}

/* Hand c (NULL: none) to every worker, or to none: -ENOBUFS when a control ring is full. */
static int
capture_send(struct vxg_daemon *d, struct vxg_capture *c)
{
	struct vxg_msg msg = {.type = VXG_MSG_CAPTURE, .arg = c};

	/* Control is the rings' only producer: room seen now is room at the enqueue. */
	for (unsigned i = 0; i < d->n_workers; i++)
		if (rte_ring_free_count(d->workers[i]->ctl_ring) == 0)
			return -ENOBUFS;
	for (unsigned i = 0; i < d->n_workers; i++)
		rte_ring_enqueue_elem(d->workers[i]->ctl_ring, &msg, sizeof(msg));
	return 0;
}

/* The control thread's own frames on a port's control queue (vxg_ctl_tx), tapped into
 * the control slot by a tx callback, which runs on the thread that transmits there. */
static uint16_t
capture_ctl_tx(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	struct vxg_capture *c = arg;

	vxg_capture_tap(c, c->n_workers, port, queue, pkts, n, VXG_CAP_DIR_TX);
	return n;
}

static int
capture_ctl_tap_add(const struct vxg_daemon *d, struct vxg_capture *c, char *err, size_t errlen)
{
	for (unsigned i = 0; i < d->n_ifs; i++) {
		const struct vxg_iface *p = &d->ifs[i];

		if (p->ctl_txq < 0 || !(c->dir[p->port_id] & VXG_CAP_BIT(VXG_CAP_DIR_TX)))
			continue;
		cs.ctl_cb[i] = rte_eth_add_tx_callback(
			p->port_id, (uint16_t)p->ctl_txq, capture_ctl_tx, c);
		if (cs.ctl_cb[i] == NULL) {
			snprintf(err, errlen, "cannot tap the control queue of interface %s: %s",
				d->cfg->interfaces[i].name, rte_strerror(rte_errno));
			return -ENOTSUP;
		}
	}
	return 0;
}

/* Take the taps off: from the thread that transmits on those queues, so that none is in
 * flight and each is freed at once (as rte_eth_remove_tx_callback allows). */
static void
capture_ctl_tap_remove(const struct vxg_daemon *d)
{
	for (unsigned i = 0; i < d->n_ifs; i++) {
		if (cs.ctl_cb[i] == NULL)
			continue;
		rte_eth_remove_tx_callback(
			d->ifs[i].port_id, (uint16_t)d->ifs[i].ctl_txq, cs.ctl_cb[i]);
		rte_free((void *)(uintptr_t)cs.ctl_cb[i]);
		cs.ctl_cb[i] = NULL;
	}
}

static int
capture_open(const char *path, char *err, size_t errlen)
{
	int fd;

	if (path[0] != '/') {
		snprintf(err, errlen, "capture file %s: give an absolute path", path);
		return -EINVAL;
	}
	/* Never through a symbolic link, never over a file: the daemon runs as root. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd >= 0)
		return fd;
	fd = -errno;
	if (fd == -EEXIST)
		snprintf(err, errlen,
			"capture file %s exists: a capture never overwrites a file; remove it or "
			"name another",
			path);
	else
		snprintf(err, errlen, "cannot create capture file %s: %s", path, strerror(-fd));
	return fd;
}

/* The index of port in the file's interface blocks: rte_pcapng_fdopen writes one per
 * DPDK port, in RTE_ETH_FOREACH_DEV order. */
static unsigned
capture_file_if(uint16_t port)
{
	unsigned n = 0;
	uint16_t p;

	RTE_ETH_FOREACH_DEV (p) {
		if (p == port)
			break;
		n++;
	}
	return n;
}

static const char *const dir_names[] = {"", "rx", "tx", "both"};

/* The section's comment: which of the file's interfaces is which of ours, and the filter. */
static void
capture_comment(
	const struct vxg_daemon *d, const struct vxg_capture_req *req, char *buf, size_t len)
{
	size_t n = snprintf(buf, len, "vxgate capture;");

	for (unsigned i = 0; i < d->n_ifs && n < len; i++)
		if (req->dir[i] != 0)
			n += snprintf(buf + n, len - n, " %s (interface %u) %s;",
				d->cfg->interfaces[i].name, capture_file_if(d->ifs[i].port_id),
				dir_names[req->dir[i] & 3]);
	if (n < len)
		snprintf(buf + n, len - n, " filter: %s", req->filter[0] ? req->filter : "none");
}

/* The file's headers written by rte_pcapng_fdopen, on fd; wr->bytes their size. */
static int
capture_pcapng(const struct vxg_daemon *d, const struct vxg_capture_req *req, int fd,
	struct vxg_capture_writer *wr, char *err, size_t errlen)
{
	char comment[VXG_FILTER_MAX + 64 * VXG_IF_MAX], app[96], os[160] = "Linux";
	struct utsname u;
	off_t off;

	capture_comment(d, req, comment, sizeof(comment));
	snprintf(app, sizeof(app), "vxgate %s (%s)", VXG_VERSION, rte_version());
	if (uname(&u) == 0)
		snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
	wr->pcapng = rte_pcapng_fdopen(fd, os, NULL, app, comment);
	off = lseek(fd, 0, SEEK_CUR);
	if (wr->pcapng == NULL || off < 0) {
		snprintf(err, errlen, "cannot write the headers of capture file %s: %s", req->file,
			strerror(errno ? errno : EIO));
		return -EIO;
	}
	wr->bytes = (uint64_t)off;
	return 0;
}

/* The writer's own pool of pcapng blocks, each frame in one segment up to a jumbo frame. */
static int
capture_writer_pool(struct vxg_capture_writer *wr, unsigned seq, char *err, size_t errlen)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	snprintf(name, sizeof(name), "vxg_capw%u", seq);
	wr->pool = rte_pktmbuf_pool_create_by_ops(name, WRITER_POOL, 0, 0,
		rte_pcapng_mbuf_size(RTE_MIN(wr->snaplen, WRITER_FRAME_MAX)), rte_socket_id(),
		"ring_sp_sc");
	if (wr->pool == NULL) {
		snprintf(err, errlen, "cannot create the capture writer's pool: %s",
			rte_strerror(rte_errno));
		return -ENOMEM;
	}
	return 0;
}

/* Undo a start that failed at some step: nothing may be left behind, the file neither. */
static void
capture_undo(struct vxg_capture *c, struct vxg_capture_writer *wr, int fd, const char *path)
{
	if (wr->started) {
		__atomic_store_n(&wr->drain, true, __ATOMIC_RELEASE);
		vxg_capture_writer_join(wr); /* nothing was queued: it returns at once */
	} else if (wr->pcapng != NULL) {
		rte_pcapng_close(wr->pcapng);
	} else if (fd >= 0) {
		close(fd);
	}
	if (fd >= 0)
		unlink(path);
	rte_mempool_free(wr->pool);
	vxg_capture_free_shared(c);
	rte_free(c);
}

/* c's ports and directions from req's interfaces. */
static void
capture_ports(const struct vxg_daemon *d, const struct vxg_capture_req *req, struct vxg_capture *c)
{
	for (unsigned i = 0; i < d->n_ifs; i++)
		c->dir[d->ifs[i].port_id] = req->dir[i];
}

/* Everything a capture needs, up to the writer running: into *cp and cs.wr. */
static int
capture_make(struct vxg_daemon *d, const struct vxg_capture_req *req, struct vxg_capture **cp,
	int *fdp, char *err, size_t errlen)
{
	struct vxg_capture_writer *wr = &cs.wr;
	struct vxg_capture *c;
	int ret;

	*wr = (struct vxg_capture_writer){.snaplen = req->snaplen,
		.max_packets = req->max_packets,
		.max_bytes = req->max_bytes};
	vxg_capture_writer_clock(wr); /* before any worker can stamp a copy */
	c = vxg_capture_alloc(
		d->n_workers, d->n_workers * (VXG_CAPTURE_RING + 2 * CAP_POOL_CACHE), err, errlen);
	if (c == NULL)
		return -ENOMEM;
	*cp = wr->cap = c;
	if ((ret = vxg_filter_compile(req->filter, &c->filter, err, errlen)) < 0)
		return ret;
	capture_ports(d, req, c);
	if ((ret = capture_writer_pool(wr, cs.seq, err, errlen)) < 0)
		return ret;
	if ((*fdp = capture_open(req->file, err, errlen)) < 0)
		return *fdp;
	if ((ret = capture_pcapng(d, req, *fdp, wr, err, errlen)) < 0)
		return ret;
	return vxg_capture_writer_start(wr, err, errlen);
}

static int
capture_check(
	const struct vxg_daemon *d, const struct vxg_capture_req *req, char *err, size_t errlen)
{
	unsigned dirs = 0;

	for (unsigned i = 0; i < d->n_ifs; i++)
		dirs |= req->dir[i];
	if (dirs == 0) {
		snprintf(err, errlen, "no interface to capture on");
		return -EINVAL;
	}
	if (req->snaplen < VXG_CAPTURE_SNAPLEN_MIN || req->snaplen > VXG_CAPTURE_SNAPLEN_DEFAULT) {
		snprintf(err, errlen, "snaplen %u: give %u to %u bytes", req->snaplen,
			VXG_CAPTURE_SNAPLEN_MIN, VXG_CAPTURE_SNAPLEN_DEFAULT);
		return -EINVAL;
	}
	if (req->max_bytes < VXG_CAPTURE_MAX_BYTES_MIN) {
		snprintf(err, errlen, "max-bytes %" PRIu64 ": give at least %u", req->max_bytes,
			VXG_CAPTURE_MAX_BYTES_MIN);
		return -EINVAL;
	}
	return 0;
}

int
vxg_capture_start(struct vxg_daemon *d, const struct vxg_capture_req *req, char *err, size_t errlen)
{
	struct vxg_capture_writer prev = cs.wr; /* the last capture's, for show capture */
	struct vxg_capture *c = NULL;
	int ret, fd = -1;

	if (cs.phase == PH_RUNNING || cs.phase == PH_QUIESCE || cs.phase == PH_DRAIN) {
		snprintf(err, errlen, "a capture to %s is %s: one at a time", cs.req.file,
			cs.phase == PH_RUNNING ? "running (capture stop)" : "finishing its file");
		return -EBUSY;
	}
	if ((ret = capture_check(d, req, err, errlen)) < 0)
		return ret;
	ret = capture_make(d, req, &c, &fd, err, errlen);
	if (ret == 0)
		ret = capture_ctl_tap_add(d, c, err, errlen);
	if (ret == 0 && (ret = capture_send(d, c)) < 0)
		snprintf(err, errlen, "a worker's control ring is full: try again");
	if (ret < 0) {
		capture_ctl_tap_remove(d);
		capture_undo(c, &cs.wr, fd, req->file);
		cs.wr = prev;
		return ret;
	}
	rte_free(cs.cap); /* the last capture's counters: its shared parts are gone */
	cs.cap = c;
	cs.req = *req;
	cs.phase = PH_RUNNING;
	cs.started = time(NULL);
	cs.why[0] = '\0';
	return 0;
}

/* Take the capture back from the workers; the tick does the rest. */
static void
capture_stop_begin(struct vxg_daemon *d, const char *why)
{
	snprintf(cs.why, sizeof(cs.why), "%s", why);
	capture_ctl_tap_remove(d);
	cs.phase = PH_QUIESCE;
	cs.stop_unsent = capture_send(d, NULL) < 0;
	/* The token orders the enqueues before any worker's next quiescent report: a worker
	 * that reports past it takes NULL at the top of its next pass, before any packet. */
	if (!cs.stop_unsent)
		cs.token = rte_rcu_qsbr_start(d->qsbr);
}

int
vxg_capture_stop(struct vxg_daemon *d)
{
	if (cs.phase == PH_QUIESCE || cs.phase == PH_DRAIN)
		return -EALREADY;
	if (cs.phase != PH_RUNNING)
		return -ENOENT;
	capture_stop_begin(d, "capture stop");
	return 0;
}

/* The writer is done and the file closed: free what the capture held, keep its counters. */
static void
capture_finish(void)
{
	vxg_capture_writer_join(&cs.wr);
	rte_mempool_free(cs.wr.pool);
	cs.wr.pool = NULL;
	vxg_capture_free_shared(cs.cap);
	for (unsigned k = 0; k < vxg_capture_slots(cs.cap); k++)
		for (unsigned dir = 0; dir < VXG_CAP_DIRS; dir++) {
			const struct vxg_capture_ctr *c = &cs.cap->wk[k].ctr[dir];

			cs.total[dir].captured += c->captured;
			cs.total[dir].filtered += c->filtered;
			cs.total[dir].ring_full += c->ring_full;
			cs.total[dir].pool_empty += c->pool_empty;
		}
	cs.total_written += cs.wr.written;
	cs.total_bytes += cs.wr.bytes;
	cs.total_discarded += cs.wr.discarded;
	cs.phase = PH_STOPPED;
	cs.stopped = time(NULL);
	fprintf(stderr,
		"vxgate: capture to %s stopped (%s): %" PRIu64 " packets, %" PRIu64 " bytes\n",
		cs.req.file, cs.why, cs.wr.written, cs.wr.bytes);
}

/* Why the writer ended, as show capture and the log say it. */
static void
capture_end_reason(char *buf, size_t len)
{
	switch (__atomic_load_n(&cs.wr.end, __ATOMIC_ACQUIRE)) {
	case VXG_CAP_END_PACKETS:
		snprintf(buf, len, "max-packets %" PRIu64 " reached", cs.req.max_packets);
		break;
	case VXG_CAP_END_BYTES:
		snprintf(buf, len, "max-bytes %" PRIu64 " reached", cs.req.max_bytes);
		break;
	default:
		snprintf(buf, len, "write error: %s", strerror(cs.wr.error));
	}
}

static void
capture_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	char why[128];

	switch (cs.phase) {
	case PH_RUNNING:
		if (__atomic_load_n(&cs.wr.end, __ATOMIC_ACQUIRE) == VXG_CAP_END_NONE)
			break;
		capture_end_reason(why, sizeof(why));
		capture_stop_begin(d, why);
		break;
	case PH_QUIESCE:
		if (cs.stop_unsent) {
			if (capture_send(d, NULL) == 0) {
				cs.stop_unsent = false;
				cs.token = rte_rcu_qsbr_start(d->qsbr);
			}
			break;
		}
		if (rte_rcu_qsbr_check(d->qsbr, cs.token, false) != 1)
			break;
		__atomic_store_n(&cs.wr.drain, true, __ATOMIC_RELEASE);
		cs.phase = PH_DRAIN;
		break;
	case PH_DRAIN:
		if (__atomic_load_n(&cs.wr.done, __ATOMIC_ACQUIRE))
			capture_finish();
		break;
	default:
		break;
	}
}

/* At exit, the workers stopped: end a capture there, waiting for its last writes. */
static void
capture_fini(struct vxg_daemon *d)
{
	if (cs.phase == PH_RUNNING)
		snprintf(cs.why, sizeof(cs.why), "vxgate stopped");
	capture_ctl_tap_remove(d);
	if (cs.phase == PH_RUNNING || cs.phase == PH_QUIESCE || cs.phase == PH_DRAIN) {
		__atomic_store_n(&cs.wr.drain, true, __ATOMIC_RELEASE);
		capture_finish();
	}
	rte_free(cs.cap);
	cs.cap = NULL;
	cs.phase = PH_NONE;
}

const char *
vxg_capture_state_name(enum vxg_capture_state st)
{
	static const char *const names[] = {"none", "running", "stopping", "stopped"};

	return names[st];
}

void
vxg_capture_status(struct vxg_capture_status *s)
{
	static const enum vxg_capture_state of_phase[] = {
		[PH_NONE] = VXG_CAPTURE_NONE,
		[PH_RUNNING] = VXG_CAPTURE_RUNNING,
		[PH_QUIESCE] = VXG_CAPTURE_STOPPING,
		[PH_DRAIN] = VXG_CAPTURE_STOPPING,
		[PH_STOPPED] = VXG_CAPTURE_STOPPED,
	};

	*s = (struct vxg_capture_status){.state = of_phase[cs.phase]};
	if (cs.phase == PH_NONE)
		return;
	s->req = &cs.req;
	s->cap = cs.cap;
	s->written = cs.wr.written;
	s->bytes = cs.wr.bytes;
	s->discarded = cs.wr.discarded;
	s->started = cs.started;
	s->stopped = cs.stopped;
	s->why = cs.why;
}

/* Every capture's counters since start, the live one's included. */
static void
capture_totals(struct vxg_capture_ctr t[VXG_CAP_DIRS], uint64_t w[3])
{
	bool live = cs.phase == PH_RUNNING || cs.phase == PH_QUIESCE || cs.phase == PH_DRAIN;

	memcpy(t, cs.total, sizeof(cs.total));
	w[0] = cs.total_written + (live ? cs.wr.written : 0);
	w[1] = cs.total_bytes + (live ? cs.wr.bytes : 0);
	w[2] = cs.total_discarded + (live ? cs.wr.discarded : 0);
	for (unsigned k = 0; live && k < vxg_capture_slots(cs.cap); k++)
		for (unsigned dir = 0; dir < VXG_CAP_DIRS; dir++) {
			const struct vxg_capture_ctr *c = &cs.cap->wk[k].ctr[dir];

			t[dir].captured += c->captured;
			t[dir].filtered += c->filtered;
			t[dir].ring_full += c->ring_full;
			t[dir].pool_empty += c->pool_empty;
		}
}

/* The metrics endpoint: whether a capture is on, and what became of the frames of every
 * capture since start. */
static unsigned
capture_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	static const char *const dirs[VXG_CAP_DIRS] = {"rx", "tx"};
	static const char *const help = "Frames of captured interfaces and directions, by what "
					"became of their copy";
	struct vxg_capture_ctr t[VXG_CAP_DIRS];
	uint64_t w[3];
	unsigned n = 0;

	capture_totals(t, w);
	n = vxg_metric_add(rows, max, n, "vxgate_capture_running",
		"1 while a capture runs or finishes its file",
		cs.phase >= PH_RUNNING && cs.phase <= PH_DRAIN, NULL);
	for (unsigned dir = 0; dir < VXG_CAP_DIRS; dir++) {
		n = vxg_metric_add(rows, max, n, "vxgate_capture_packets_total", help,
			t[dir].captured, "direction", dirs[dir], "result", "captured", NULL);
		n = vxg_metric_add(rows, max, n, "vxgate_capture_packets_total", help,
			t[dir].filtered, "direction", dirs[dir], "result", "filtered", NULL);
		n = vxg_metric_add(rows, max, n, "vxgate_capture_packets_total", help,
			t[dir].ring_full, "direction", dirs[dir], "result", "ring_full", NULL);
		n = vxg_metric_add(rows, max, n, "vxgate_capture_packets_total", help,
			t[dir].pool_empty, "direction", dirs[dir], "result", "pool_empty", NULL);
	}
	n = vxg_metric_add(rows, max, n, "vxgate_capture_written_packets_total",
		"Packets written to capture files", w[0], NULL);
	n = vxg_metric_add(rows, max, n, "vxgate_capture_written_bytes_total",
		"Bytes written to capture files, headers included", w[1], NULL);
	return vxg_metric_add(rows, max, n, "vxgate_capture_discarded_packets_total",
		"Captured copies not written: past a limit or a write error", w[2], NULL);
}

/* show memory: the pools of a capture that holds them (created at start, freed at stop). */
static unsigned
capture_memory(const struct vxg_daemon *d, struct vxg_mem_row *rows)
{
	uint64_t copies, blocks = 0;
	struct rte_mempool *mp = cs.cap != NULL ? cs.cap->pool : NULL;

	if (mp == NULL)
		return 0;
	copies = vxg_mempool_bytes(mp);
	if (cs.wr.pool != NULL)
		blocks = vxg_mempool_bytes(cs.wr.pool);
	rows[0] = (struct vxg_mem_row){
		"capture copies", copies, (int64_t)(mp->size - rte_mempool_avail_count(mp))};
	rows[1] = (struct vxg_mem_row){"capture writer", blocks, -1};
	return 2;
}

static struct vxg_feature capture_feature = {
	.name = "capture",
	.order = 1000,
	.fini = capture_fini,
	.tick = capture_tick,
	.memory = capture_memory,
	.metrics = capture_metrics,
};

VXG_FEATURE_REGISTER(capture_feature)
