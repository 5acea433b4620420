/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* agent.h: state shared by the agent's lifecycle (agent.c) and its benchmarks (bench.c). */
#ifndef GC_AGENT_H
#define GC_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include <bpf/libbpf.h>
#include "control.h"
#include "conn.h"
#include "util.h"

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

/* -v: libbpf's debug log and more detail in failures (loader.c). */
extern bool gc_verbose;

/* loader.c */
int gc_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args);
/* Before LISTENING, a failure is also reported to the app on stdout as "FAILED <step>: <err>". */
void report_failure(const char *step, int err);
/* Opens, loads and attaches the input hook (fentry, then kprobe, then none) into a->skel. */
int load_with_input_hook(struct agent *a);
/* Attaches the scheduler tracepoints, exec/exit and the synthetic-input uprobe. */
int attach_all(struct agent *a);

/* watch.c */
int watched_index(const struct agent *a, uint32_t tgid);
enum gc_err watch(struct agent *a, uint32_t tgid, char *msg, size_t msg_len);
void unwatch_at(struct agent *a, int i);

/* BENCH FILL: writes count records into ring (or every ring, count each, with GC_RING_ALL). */
int bench_fill(struct agent *a, int ring, uint64_t count, uint64_t *written, uint64_t *lost);
/* BENCH CONSUME: drains all 16 rings with ring_buffer__consume. */
int bench_consume(struct agent *a, bool work, uint64_t *records, uint64_t *elapsed_ns);
/* BENCH PINGPONG: formats "<prog>=<run_cnt>:<run_time_ns> ..." into out. */
int bench_pingpong(struct agent *a, uint64_t round_trips, char *out, size_t out_len);

#endif /* GC_AGENT_H */
