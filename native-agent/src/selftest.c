// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gamer-selftest: a small game-like workload and the synthetic input source.
 *
 *   gamer-selftest [--seconds S] [--input-hz H] [--sleeps N] [--render-hz F] [--burn-us B]
 *                  [--pairs P] [--pair-hz R] [--spread 0|1]
 *
 * Prints "READY <pid>", waits for a line "GO" on stdin (so the app can WATCH
 * this process first and the counts are exact), then runs four threads:
 * - injector: every 1/H s calls gc_synthetic_input(EV_KEY, code) (the agent's
 *   uprobe turns that into an input event) and writes one byte to a pipe;
 * - game input: blocked in read() on that pipe, so every input wakes it;
 * - render: each frame burns B µs of CPU, then sleeps until the next frame;
 * - sleeper: exactly N clock_nanosleep(1 ms) calls, one wake-up each;
 * - only with --pairs P (default 0, benchmarks): P ping-pong thread pairs that
 *   bounce one byte over two pipes R times a second each (--pair-hz, default
 *   10000), two wake-ups per round trip: about 2*P*R extra samples a second.
 * With --spread 1 the four threads are pinned to different CPUs (tests that
 * need events from every CPU). Stops after S seconds or when stdin closes (the parent died), and prints one
 * JSON line with what it did.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gamer_events.h"

#define NS_PER_S 1000000000ll

/* The uprobe target: must stay a real, non-inlined call with a symbol in .symtab. */
__attribute__((noinline, used)) void gc_synthetic_input(unsigned int type, unsigned int code)
{
	asm volatile("" : : "r"(type), "r"(code) : "memory");
}

struct config {
	double seconds;
	unsigned int input_hz, render_hz, burn_us;
	unsigned long sleeps;
	unsigned int pairs, pair_hz;
	bool spread;
};

static struct config cfg = {
	.seconds = 5,
	.input_hz = 100,
	.sleeps = 1000,
	.render_hz = 60,
	.burn_us = 2000,
	.pairs = 0,
	.pair_hz = 10000,
};
#define MAX_PAIRS 64
static atomic_bool stop;
static int input_pipe[2];
static atomic_ulong inputs_fired, input_reads, frames, sleeps_done;

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void sleep_until(int64_t t_ns)
{
	struct timespec ts = { .tv_sec = t_ns / NS_PER_S, .tv_nsec = t_ns % NS_PER_S };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void *injector(void *arg)
{
	int64_t period = NS_PER_S / cfg.input_hz, next = mono_ns() + period;
	unsigned int code = 30; /* KEY_A */
	char b = 'k';

	(void)arg;
	while (!atomic_load(&stop)) {
		sleep_until(next);
		next += period;
		if (atomic_load(&stop))
			break;
		gc_synthetic_input(GC_EV_KEY, code);
		atomic_fetch_add(&inputs_fired, 1);
		if (write(input_pipe[1], &b, 1) != 1)
			break;
		code = code == 38 ? 30 : code + 1; /* KEY_A..KEY_L */
	}
	close(input_pipe[1]);
	return NULL;
}

static void *game_input(void *arg)
{
	char buf[64];

	(void)arg;
	for (;;) {
		ssize_t n = read(input_pipe[0], buf, sizeof(buf));

		if (n > 0)
			atomic_fetch_add(&input_reads, 1);
		else if (n == 0 || errno != EINTR)
			return NULL;
	}
}

static void *render(void *arg)
{
	int64_t period = NS_PER_S / cfg.render_hz, next = mono_ns();

	(void)arg;
	while (!atomic_load(&stop)) {
		int64_t burn_end = mono_ns() + (int64_t)cfg.burn_us * 1000;
		volatile uint64_t spin = 0;

		while (mono_ns() < burn_end)
			spin++;
		atomic_fetch_add(&frames, 1);
		next += period;
		sleep_until(next);
	}
	return NULL;
}

static void *sleeper(void *arg)
{
	const struct timespec one_ms = { .tv_nsec = 1000000 };

	(void)arg;
	for (unsigned long i = 0; i < cfg.sleeps && !atomic_load(&stop); i++) {
		clock_nanosleep(CLOCK_MONOTONIC, 0, &one_ms, NULL);
		atomic_fetch_add(&sleeps_done, 1);
	}
	return NULL;
}

/* One side of a ping-pong pair: fds[0] is read, fds[1] written. */
struct pair_end {
	int rfd, wfd;
	bool ping;
};

static struct pair_end pair_ends[2 * MAX_PAIRS];

static void *pair_thread(void *arg)
{
	struct pair_end *e = arg;
	unsigned int per_ms = cfg.pair_hz / 1000 ? cfg.pair_hz / 1000 : 1;
	int64_t next = mono_ns() + 1000000;
	unsigned int n = 0;
	char b = 'p';

	for (;;) {
		if (e->ping) {
			if (atomic_load(&stop) || write(e->wfd, &b, 1) != 1)
				break;
			if (read(e->rfd, &b, 1) != 1)
				break;
			if (++n == per_ms) {
				n = 0;
				sleep_until(next);
				next += 1000000;
			}
		} else {
			if (read(e->rfd, &b, 1) != 1 || write(e->wfd, &b, 1) != 1)
				break;
		}
	}
	close(e->wfd);
	return NULL;
}

/*
 * --spread 1: thread i runs on online CPU i % n only, so that the workload's
 * events come from every CPU (and so every ring that has a CPU) even when the
 * machine's load would let the scheduler keep all four threads on one.
 */
static void spread_thread(pthread_t thread, int i)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (n < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(i % n, &set);
	if (pthread_setaffinity_np(thread, sizeof(set), &set))
		fprintf(stderr, "gamer-selftest: --spread: pthread_setaffinity_np failed\n");
}

static int start_pairs(pthread_t *threads)
{
	for (unsigned int i = 0; i < cfg.pairs; i++) {
		int ab[2], ba[2];

		if (pipe(ab) || pipe(ba))
			return -1;
		pair_ends[2 * i] = (struct pair_end){ .rfd = ba[0], .wfd = ab[1], .ping = true };
		pair_ends[2 * i + 1] =
			(struct pair_end){ .rfd = ab[0], .wfd = ba[1], .ping = false };
		if (pthread_create(&threads[2 * i], NULL, pair_thread, &pair_ends[2 * i]) ||
		    pthread_create(&threads[2 * i + 1], NULL, pair_thread, &pair_ends[2 * i + 1]))
			return -1;
	}
	return 0;
}

static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i += 2) {
		unsigned long v;
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(opt, "--seconds") && !parse_uint(val, 1, 86400, &v))
			cfg.seconds = (double)v;
		else if (!strcmp(opt, "--input-hz") && !parse_uint(val, 1, 10000, &v))
			cfg.input_hz = (unsigned int)v;
		else if (!strcmp(opt, "--sleeps") && !parse_uint(val, 0, 100000000, &v))
			cfg.sleeps = v;
		else if (!strcmp(opt, "--render-hz") && !parse_uint(val, 1, 1000, &v))
			cfg.render_hz = (unsigned int)v;
		else if (!strcmp(opt, "--burn-us") && !parse_uint(val, 0, 1000000, &v))
			cfg.burn_us = (unsigned int)v;
		else if (!strcmp(opt, "--pairs") && !parse_uint(val, 0, MAX_PAIRS, &v))
			cfg.pairs = (unsigned int)v;
		else if (!strcmp(opt, "--pair-hz") && !parse_uint(val, 1000, 1000000, &v))
			cfg.pair_hz = (unsigned int)v;
		else if (!strcmp(opt, "--spread") && !parse_uint(val, 0, 1, &v))
			cfg.spread = v == 1;
		else {
			fprintf(stderr,
				"usage: gamer-selftest [--seconds 1..86400] [--input-hz 1..10000] "
				"[--sleeps 0..100000000] [--render-hz 1..1000] [--burn-us 0..1000000] "
				"[--pairs 0..64] [--pair-hz 1000..1000000] [--spread 0|1]\n"
				"bad option or value: %s %s\n",
				opt, val ? val : "");
			return -1;
		}
	}
	return 0;
}

/* Waits for "GO" on stdin; false if stdin closed or said something else. */
static bool wait_for_go(void)
{
	char line[64];

	if (!fgets(line, sizeof(line), stdin))
		return false;
	return strcmp(line, "GO\n") == 0 || strcmp(line, "GO") == 0;
}

/* Sleeps until the deadline or until stdin closes (the parent died). */
static void run_until_done(int64_t deadline)
{
	for (;;) {
		int64_t left_ms = (deadline - mono_ns()) / 1000000;
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		char buf[256];

		if (left_ms <= 0)
			return;
		if (poll(&p, 1, (int)(left_ms > 1000 ? 1000 : left_ms)) > 0) {
			if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
				return;
			if ((p.revents & POLLIN) && read(STDIN_FILENO, buf, sizeof(buf)) <= 0)
				return;
		}
	}
}

int main(int argc, char **argv)
{
	pthread_t threads[4], pair_threads[2 * MAX_PAIRS];
	void *(*fns[4])(void *) = { game_input, injector, render, sleeper };
	int64_t start;

	if (parse_args(argc, argv))
		return 2;
	if (pipe(input_pipe)) {
		perror("pipe");
		return 1;
	}
	printf("READY %d\n", (int)getpid());
	fflush(stdout);
	if (!wait_for_go()) {
		fprintf(stderr, "gamer-selftest: expected GO on stdin\n");
		return 1;
	}
	start = mono_ns();
	for (int i = 0; i < 4; i++) {
		if (pthread_create(&threads[i], NULL, fns[i], NULL)) {
			fprintf(stderr, "gamer-selftest: pthread_create failed\n");
			return 1;
		}
		if (cfg.spread)
			spread_thread(threads[i], i);
	}
	if (start_pairs(pair_threads)) {
		fprintf(stderr, "gamer-selftest: starting ping-pong pairs failed\n");
		return 1;
	}
	run_until_done(start + (int64_t)(cfg.seconds * NS_PER_S));
	atomic_store(&stop, true);
	for (int i = 3; i >= 0; i--)
		pthread_join(threads[i], NULL);
	for (int i = 0; i < 2 * (int)cfg.pairs; i++)
		pthread_join(pair_threads[i], NULL);
	printf("{\"pid\":%d,\"inputs_fired\":%lu,\"input_reads\":%lu,\"frames\":%lu,"
	       "\"sleeps_done\":%lu,\"seconds\":%.3f}\n",
	       (int)getpid(), atomic_load(&inputs_fired), atomic_load(&input_reads),
	       atomic_load(&frames), atomic_load(&sleeps_done),
	       (double)(mono_ns() - start) / NS_PER_S);
	return 0;
}
