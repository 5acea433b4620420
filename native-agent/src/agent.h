/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * agent.h: struct agent, the agent's state, shared by its parts: agent.c
 * (lifecycle, commands), loader.c, watch.c, bench.c and sched.c. Each part
 * declares its functions in its own header; the calls run one way, from
 * agent.c down (conn.c and util.c call nobody).
 */
#ifndef GC_AGENT_H
#define GC_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "conn.h"
#include "control.h"

struct probes;
struct ring_buffer;
struct sched_ctl;

#define GC_STATE_LEN 192

struct agent {
	struct probes *skel;
	bool bench;
	bool verbose;
	uint32_t ring_bytes;
	int cpus;
	/* Protocol tokens: "attached:fentry", "unavailable:<reason_with_underscores>". */
	char input_hook[GC_STATE_LEN];
	char synthetic[GC_STATE_LEN];
	char exec_hook[GC_STATE_LEN];
	uint32_t watched[GC_WATCH_MAX];
	int watched_count;
	uid_t allowed_uid;
	/* Connections from other uids: counted, logged at a bounded rate (agent.c). */
	uint64_t rejected_total;
	uint64_t rejected_unlogged;
	int64_t rejected_logged_ms;
	int rejected_last_uid;
	int listen_fd;
	struct conn ctl; /* the control connection (conn.c); ctl.fd < 0 before it is accepted */
	int epoll_fd;
	int signal_fd;
	bool hello_done;
	bool quit;
	bool quit_asked; /* QUIT: drain the queue before exiting */
	struct ring_buffer *exec_rb;
	struct ring_buffer *bench_rb; /* all 16 sample rings, created on the first BENCH CONSUME */
	struct sched_ctl *sched;      /* the sched_ext scheduler "gamer" (sched.c) */
};

#endif /* GC_AGENT_H */
