/* SPDX-License-Identifier: BSD-3-Clause */
/* Reading captures: one packet at a time, or a whole file into memory (--unordered). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapcheck.h"

pcap_t *
open_capture(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);

	if (!p) {
		fprintf(stderr, "pcapcheck: %s\n", err);
		return NULL;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "pcapcheck: %s: link type %s, only Ethernet is decoded\n", path,
			pcap_datalink_val_to_name(pcap_datalink(p)));
		pcap_close(p);
		return NULL;
	}
	return p;
}

/* 1: a packet in k, 0: end of file, -1: read error (reported). */
int
next_pkt(pcap_t *p, const char *path, struct pkt *k)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(p, &h, &data);

	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		fprintf(stderr, "pcapcheck: %s: %s\n", path, pcap_geterr(p));
		return -1;
	}
	k->data = (uint8_t *)data;
	k->caplen = h->caplen;
	k->len = h->len;
	return 1;
}

int
load(const char *path, struct capture *c)
{
	pcap_t *p = open_capture(path);
	struct pkt k;
	int rc;

	if (!p)
		return -1;
	while ((rc = next_pkt(p, path, &k)) > 0) {
		if (c->n == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 1024;
			c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
		}
		c->v[c->n] = k;
		c->v[c->n].data = xrealloc(NULL, k.caplen);
		memcpy(c->v[c->n].data, k.data, k.caplen);
		c->n++;
	}
	pcap_close(p);
	return rc;
}

void
capture_free(struct capture *c)
{
	for (size_t k = 0; k < c->n; k++)
		free(c->v[k].data);
	free(c->v);
}

int
count_rest(pcap_t *p, const char *path, size_t *n)
{
	struct pkt k;
	int rc;

	while ((rc = next_pkt(p, path, &k)) > 0)
		(*n)++;
	return rc;
}
