// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fakegame: the VM test's game-like program, and its CPU hogs.
 *
 *   fakegame game DEVICE SECONDS [STATS]
 *                                  (ends after SECONDS or at SIGTERM; the render loop runs
 *                                  between SIGUSR1 and SIGUSR2, so the test can attach and
 *                                  detach the scheduler on a quiet VM) input thread blocks in read(DEVICE) (an evdev node); render
 *                                  thread burns FRAME_BURN_US of CPU per 60 Hz frame and sleeps
 *                                  for the rest. Prints "READY <pid>", then at the end
 *                                  "GAME keys=<EV_KEY events read> key_reads=<reads that returned
 *                                  at least one> slept_key_reads=<those of them in which the
 *                                  thread blocked> frames=<n> late_frames=<n> read_p99_us=<p99
 *                                  of event-time-to-read>". Two transitions that arrive before
 *                                  the input thread runs are one wake-up and one read. With
 *                                  STATS, the GAME line also goes to that file: under `ab`, the
 *                                  game's stdout is a pipe that ab stops reading as it exits.
 *   fakegame hog SECONDS           spins until SECONDS or SIGTERM; prints "HOG loops=<n>
 *                                  seconds=<s>" at the end (throughput = loops / seconds).
 *
 * A read "slept" when the kernel counted a voluntary context switch of the input thread during
 * it (ru_nvcsw of RUSAGE_THREAD): the thread blocked in read() and a key's wake-up is what ran
 * it again. A read that returns without sleeping got a key that arrived while the thread was
 * still running (in user space, or on its way into read() when the wake-up found it on its
 * CPU): such a key never had to be scheduled, and input_to_run has no sample for it (README.md).
 *
 * The event-to-read latency uses the evdev timestamps switched to CLOCK_MONOTONIC
 * (EVIOCSCLOCKID): a cross-check of the agent's input_to_run from user space.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define FRAME_NS 16666667ll
#define FRAME_BURN_US 6000
/* The A/B phases read 40-50 keys a second for minutes; only read_p99_us uses them. */
#define MAX_SAMPLES 65536

static volatile int stop;
static volatile int rendering; /* SIGUSR1 starts the render loop, SIGUSR2 pauses it */
static long long keys, key_reads, slept_key_reads, frames, late_frames;
static long long samples_us[MAX_SAMPLES];
static int nsamples;

static long long now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void *input_thread(void *arg)
{
	int fd = *(int *)arg;
	struct input_event ev[16];

	while (!stop) {
		struct rusage before, after;
		ssize_t n;
		long long t;

		getrusage(RUSAGE_THREAD, &before);
		n = read(fd, ev, sizeof(ev));
		t = now_ns(CLOCK_MONOTONIC);
		getrusage(RUSAGE_THREAD, &after);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		bool got_key = false;

		for (size_t i = 0; i < (size_t)n / sizeof(ev[0]); i++) {
			long long ev_ns;

			if (ev[i].type != EV_KEY)
				continue;
			keys++;
			got_key = true;
			ev_ns = ev[i].input_event_sec * 1000000000ll + ev[i].input_event_usec * 1000ll;
			if (nsamples < MAX_SAMPLES)
				samples_us[nsamples++] = (t - ev_ns) / 1000;
		}
		key_reads += got_key;
		slept_key_reads += got_key && after.ru_nvcsw > before.ru_nvcsw;
	}
	return NULL;
}

static void *render_thread(void *arg)
{
	long long next = now_ns(CLOCK_MONOTONIC);

	(void)arg;
	while (!stop) {
		long long burn_end = now_ns(CLOCK_THREAD_CPUTIME_ID) + FRAME_BURN_US * 1000ll;
		struct timespec ts;

		if (!rendering) {
			usleep(10000);
			next = now_ns(CLOCK_MONOTONIC);
			continue;
		}
		while (now_ns(CLOCK_THREAD_CPUTIME_ID) < burn_end && !stop)
			;
		frames++;
		next += FRAME_NS;
		if (now_ns(CLOCK_MONOTONIC) > next) {
			late_frames++;
			next = now_ns(CLOCK_MONOTONIC);
			continue;
		}
		ts.tv_sec = next / 1000000000ll;
		ts.tv_nsec = next % 1000000000ll;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	return NULL;
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		rendering = 1;
	else if (sig == SIGUSR2)
		rendering = 0;
	else
		stop = 1;
}

static void stop_on_term(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int game(const char *dev, double seconds, const char *stats)
{
	int clk = CLOCK_MONOTONIC, fd = open(dev, O_RDONLY | O_CLOEXEC);
	pthread_t in, render;
	long long p99 = -1, end = now_ns(CLOCK_MONOTONIC) + (long long)(seconds * 1e9);
	sigset_t mask;
	char line[256];

	if (fd < 0) {
		fprintf(stderr, "fakegame: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (ioctl(fd, EVIOCSCLOCKID, &clk))
		fprintf(stderr, "fakegame: EVIOCSCLOCKID: %s (read latency unusable)\n", strerror(errno));
	/* Only the main thread takes SIGTERM: the input thread must stay blocked in read(). */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	pthread_create(&in, NULL, input_thread, &fd);
	pthread_setname_np(in, "game-input");
	pthread_create(&render, NULL, render_thread, NULL);
	pthread_setname_np(render, "game-render");
	pthread_sigmask(SIG_UNBLOCK, &mask, NULL);
	stop_on_term();
	printf("READY %d\n", (int)getpid());
	fflush(stdout);
	while (!stop && now_ns(CLOCK_MONOTONIC) < end)
		usleep(100000);
	stop = 1;
	pthread_join(render, NULL);
	/* The input thread sits in read(): the process exit ends it. */
	if (nsamples) {
		qsort(samples_us, (size_t)nsamples, sizeof(samples_us[0]), cmp_ll);
		p99 = samples_us[(nsamples * 99 + 99) / 100 - 1];
	}
	snprintf(line, sizeof(line), "GAME keys=%lld key_reads=%lld slept_key_reads=%lld frames=%lld "
		 "late_frames=%lld read_p99_us=%lld\n", keys, key_reads, slept_key_reads, frames,
		 late_frames, p99);
	fputs(line, stdout);
	fflush(stdout);
	if (stats) {
		FILE *f = fopen(stats, "w");

		if (!f || fputs(line, f) < 0 || fclose(f))
			fprintf(stderr, "fakegame: cannot write %s: %s\n", stats, strerror(errno));
	}
	_exit(0);
}

static int hog(double seconds)
{
	long long start = now_ns(CLOCK_MONOTONIC), end = start + (long long)(seconds * 1e9);
	volatile unsigned long long loops = 0;

	stop_on_term();
	while (!stop && now_ns(CLOCK_MONOTONIC) < end)
		for (int i = 0; i < 10000; i++)
			loops++;
	printf("HOG loops=%llu seconds=%.3f\n", loops, (now_ns(CLOCK_MONOTONIC) - start) / 1e9);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "game"))
		return game(argv[2], atof(argv[3]), argc == 5 ? argv[4] : NULL);
	if (argc == 3 && !strcmp(argv[1], "hog"))
		return hog(atof(argv[2]));
	fprintf(stderr, "usage: fakegame game DEVICE SECONDS [STATS] | fakegame hog SECONDS\n");
	return 64;
}
