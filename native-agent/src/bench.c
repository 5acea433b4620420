// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench.c: the agent's benchmark commands (only with --bench).
 * - FILL: bench_fill (raw_tp) run through BPF_PROG_TEST_RUN writes records
 *   into any ring, so all 16 rings can be filled on a 2-CPU machine.
 * - CONSUME: the C reference reader, libbpf's ring_buffer__consume over all
 *   16 rings; work=1 decodes every field and records the latency into an
 *   HDR histogram (the Java reader's work), work=0 only counts.
 * - PINGPONG: per-program run_cnt/run_time_ns under BPF_STATS_RUN_TIME while
 *   two processes ping-pong a byte over pipes (lots of sched_switch and
 *   sched_wakeup of unwatched tasks), and in_filter: how many of the two
 *   find their watched_filter slot set (they then pay the hash lookup).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "agent.h"
#include "bench.h"
#include "gamer_events.h"
#include "hdr.h"
#include "probes.skel.h"
#include "watch.h"

#define FILL_CHUNK (1u << 23) /* bpf_loop's iteration limit */

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int fill_ring(struct agent *a, int ring, uint64_t count, uint64_t *written)
{
	int prog_fd = bpf_program__fd(a->skel->progs.bench_fill);

	while (count) {
		__u64 args[2] = { (__u64)ring, count < FILL_CHUNK ? count : FILL_CHUNK };
		LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(args));
		int err = bpf_prog_test_run_opts(prog_fd, &opts);

		if (err)
			return err;
		*written += opts.retval;
		count -= args[1];
	}
	return 0;
}

int bench_fill(struct agent *a, int ring, uint64_t count, uint64_t *written, uint64_t *lost)
{
	int first = ring == GC_RING_ALL ? 0 : ring;
	int last = ring == GC_RING_ALL ? GC_RING_COUNT - 1 : ring;
	uint64_t asked = 0;

	*written = 0;
	for (int r = first; r <= last; r++) {
		int err = fill_ring(a, r, count, written);

		if (err)
			return err;
		asked += count;
	}
	*lost = asked - *written;
	return 0;
}

struct consume_state {
	bool work;
	uint64_t records;
	uint64_t checksum; /* keeps the decoding from being optimised away */
	struct gc_hdr hist;
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct consume_state *c = ctx;
	const struct gc_event *e = data;

	c->records++;
	if (!c->work || size < sizeof(*e))
		return 0;
	c->checksum += e->pid ^ e->tgid ^ e->cpu ^ e->ring ^ e->kind ^ e->source ^ e->input_type ^
		       e->input_code ^ e->reserved;
	gc_hdr_record(&c->hist, (int64_t)(e->end_ns - e->start_ns));
	return 0;
}

static struct consume_state consume;

int bench_consume(struct agent *a, bool work, uint64_t *records, uint64_t *elapsed_ns)
{
	uint64_t start;
	int n;

	if (!consume.hist.counts && gc_hdr_init(&consume.hist, GC_HDR_HIGHEST_NS))
		return -ENOMEM;
	if (!a->bench_rb) {
		char name[8];

		for (int i = 0; i < GC_RING_COUNT; i++) {
			int fd;

			snprintf(name, sizeof(name), "rb_%d", i);
			fd = bpf_map__fd(bpf_object__find_map_by_name(a->skel->obj, name));
			if (i == 0)
				a->bench_rb = ring_buffer__new(fd, on_record, &consume, NULL);
			else if (ring_buffer__add(a->bench_rb, fd, on_record, &consume))
				return -errno;
			if (!a->bench_rb)
				return -errno;
		}
	}
	consume.work = work;
	consume.records = 0;
	start = mono_ns();
	do {
		n = ring_buffer__consume(a->bench_rb);
	} while (n > 0);
	*elapsed_ns = mono_ns() - start;
	*records = consume.records;
	if (n < 0)
		return n;
	if (a->verbose && work)
		fprintf(stderr,
			"consume: %llu records, p50 %lld ns, p99 %lld ns, max %lld ns (%llx)\n",
			(unsigned long long)consume.records,
			(long long)gc_hdr_value_at_percentile(&consume.hist, 50),
			(long long)gc_hdr_value_at_percentile(&consume.hist, 99),
			(long long)consume.hist.max_value, (unsigned long long)consume.checksum);
	return 0;
}

/* One end of the ping-pong: `first` writes before it reads. Never returns. */
static void pong(int in, int out, uint64_t trips, bool first)
{
	char b = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (uint64_t i = 0; i < trips; i++) {
		if (first && write(out, &b, 1) != 1)
			_exit(1);
		if (read(in, &b, 1) != 1)
			_exit(1);
		if (!first && write(out, &b, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

struct prog_stats {
	const char *name;
	int fd;
	__u64 run_cnt, run_time_ns;
};

static int snapshot(struct agent *a, struct prog_stats *ps, int max, bool after)
{
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, a->skel->obj)
	{
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0 || n == max)
			continue;
		if (bpf_prog_get_info_by_fd(fd, &info, &len))
			return -errno;
		if (after) {
			ps[n].run_cnt = info.run_cnt - ps[n].run_cnt;
			ps[n].run_time_ns = info.run_time_ns - ps[n].run_time_ns;
		} else {
			ps[n] = (struct prog_stats){ bpf_program__name(prog), fd, info.run_cnt,
						     info.run_time_ns };
		}
		n++;
	}
	return n;
}

int bench_pingpong(struct agent *a, uint64_t round_trips, char *out, size_t out_len)
{
	struct prog_stats ps[32];
	int ab[2] = { -1, -1 }, ba[2] = { -1, -1 }, stats_fd, n, err = 0, status;
	pid_t kids[2] = { -1, -1 };
	size_t used = 0;
	int in_filter = 0;

	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0)
		return stats_fd;
	n = snapshot(a, ps, 32, false);
	if (n < 0) {
		err = n;
		goto cleanup;
	}
	if (pipe2(ab, O_CLOEXEC) || pipe2(ba, O_CLOEXEC)) {
		err = -errno;
		goto cleanup;
	}
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] < 0) {
			err = -errno;
			goto cleanup;
		}
		if (kids[k] == 0) {
			if (k == 0)
				pong(ba[0], ab[1], round_trips, true);
			pong(ab[0], ba[1], round_trips, false);
		}
	}
	/*
	 * A ping-pong process whose tgid shares a watched_filter slot with a
	 * watched tgid pays the hash lookup on every switch (the ratio then reads
	 * about 1.8 instead of 1.1-1.2): say so next to the figures.
	 */
	for (int k = 0; k < 2; k++) {
		uint32_t slot = (uint32_t)kids[k] & GC_WATCHED_FILTER_MASK;

		in_filter += a->skel->bss->watched_filter[slot] != 0;
	}
	for (int k = 0; k < 2; k++) {
		if (waitpid(kids[k], &status, 0) == kids[k] &&
		    (!WIFEXITED(status) || WEXITSTATUS(status)))
			err = -EIO;
		kids[k] = -1;
	}
	if (err)
		goto cleanup;
	n = snapshot(a, ps, n, true);
	if (n < 0) {
		err = n;
		goto cleanup;
	}
	out[0] = '\0';
	for (int i = 0; i < n && used < out_len; i++)
		used += (size_t)snprintf(out + used, out_len - used, "%s%s=%llu:%llu", i ? " " : "",
					 ps[i].name, (unsigned long long)ps[i].run_cnt,
					 (unsigned long long)ps[i].run_time_ns);
	if (used < out_len)
		snprintf(out + used, out_len - used, " in_filter=%d", in_filter);
cleanup:
	for (int k = 0; k < 2; k++)
		if (kids[k] > 0) {
			kill(kids[k], SIGKILL);
			waitpid(kids[k], NULL, 0);
		}
	for (int k = 0; k < 2; k++) {
		if (ab[k] >= 0)
			close(ab[k]);
		if (ba[k] >= 0)
			close(ba[k]);
	}
	close(stats_fd);
	return err;
}
