// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * watch.c: the set of watched processes. The agent keeps three views in step:
 * its own array (for UNWATCH ALL and EXITED), the BPF hash map "watched" (the
 * authority), and the .bss byte filter watched_filter[tgid & 4095] that lets
 * the handlers return after one load for unwatched tasks. Map first, filter
 * second on WATCH; filter first, map second on UNWATCH: a nonzero filter slot
 * never lacks the map entry a handler would look up.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "agent.h"
#include "probes.skel.h"
#include "util.h"
#include "watch.h"

int watched_index(const struct agent *a, uint32_t tgid)
{
	for (int i = 0; i < a->watched_count; i++)
		if (a->watched[i] == tgid)
			return i;
	return -1;
}

/* True if /proc/<tgid> is a process (not just a thread) in our pid namespace. */
static bool process_exists(uint32_t tgid)
{
	char path[64], line[128];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/status", tgid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned int v;

		if (sscanf(line, "Tgid: %u", &v) == 1) {
			found = v == tgid;
			break;
		}
	}
	fclose(f);
	return found;
}

#define PF_EXITING 0x00000004 /* include/linux/sched.h: the task is in do_exit() */

/*
 * True while some thread of tgid is alive: neither a zombie or dead (state
 * Z, X) nor on its way there (PF_EXITING, set before it counts itself out of
 * signal->live). A process whose leader thread exited while others still run
 * shows Z for the leader alone, so every thread is looked at.
 */
static bool process_alive(uint32_t tgid)
{
	char path[64], stat[512];
	struct dirent *d;
	bool alive = false;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%u/task", tgid);
	dir = opendir(path);
	if (!dir)
		return false;
	while (!alive && (d = readdir(dir))) {
		unsigned int flags;
		const char *p;
		uint64_t tid;
		char state;
		FILE *f;
		size_t n;

		if (gc_parse_u64(d->d_name, strlen(d->d_name), &tid) || tid > UINT32_MAX)
			continue;
		snprintf(path, sizeof(path), "/proc/%u/task/%u/stat", tgid, (unsigned int)tid);
		f = fopen(path, "re");
		if (!f)
			continue;
		n = fread(stat, 1, sizeof(stat) - 1, f);
		fclose(f);
		stat[n] = '\0';
		/* "tid (comm) state ppid pgrp session tty_nr tpgid flags ...": comm may hold anything. */
		p = strrchr(stat, ')');
		if (!p || sscanf(p, ") %c %*d %*d %*d %*d %*d %u", &state, &flags) != 2)
			continue;
		alive = state != 'Z' && state != 'X' && state != 'x' && !(flags & PF_EXITING);
	}
	closedir(dir);
	return alive;
}

enum gc_err watch(struct agent *a, uint32_t tgid, char *msg, size_t msg_len)
{
	__u8 one = 1;
	int map_fd = bpf_map__fd(a->skel->maps.watched);

	if (watched_index(a, tgid) >= 0)
		return GC_OK;
	if (!process_exists(tgid)) {
		snprintf(msg, msg_len, "no process %u", tgid);
		return GC_ERR_NOENT;
	}
	if (a->watched_count == GC_WATCH_MAX) {
		snprintf(msg, msg_len, "at most %d processes are watched", GC_WATCH_MAX);
		return GC_ERR_LIMIT;
	}
	if (bpf_map_update_elem(map_fd, &tgid, &one, BPF_ANY)) {
		snprintf(msg, msg_len, "bpf_map_update_elem(watched): %s", errname(errno));
		return GC_ERR_INTERNAL;
	}
	/* Map first, filter second: a set filter slot always has the map entry behind it. */
	a->skel->bss->watched_filter[tgid & GC_WATCHED_FILTER_MASK]++;
	/*
	 * An exited process that is not reaped yet (a zombie) still has its
	 * /proc entry, but its exit has passed the exit tracepoint: no EXITED
	 * would ever come, and it would hold a watch slot for good. It is
	 * checked once the filter and the map say "watched": a thread that sets
	 * PF_EXITING after this check reaches the exit tracepoint later and
	 * sees the watch, so the last one sends EXIT; a process whose threads
	 * all exit(ed) before is refused here (an EXIT it may still send finds
	 * no watch and is ignored). The barrier orders our filter store before
	 * the reads of the threads' flags, against their flag store before
	 * their filter load (the atomic decrement of signal->live between).
	 */
	__sync_synchronize();
	if (!process_alive(tgid)) {
		a->skel->bss->watched_filter[tgid & GC_WATCHED_FILTER_MASK]--;
		bpf_map_delete_elem(map_fd, &tgid);
		snprintf(msg, msg_len,
			 "process %u has exited (a zombie not yet reaped by its parent)", tgid);
		return GC_ERR_NOENT;
	}
	a->watched[a->watched_count++] = tgid;
	/* An input from before the watch must not become this process's first sample. */
	a->skel->bss->pending_input_ns = 0;
	return GC_OK;
}

/* Drops the per-thread wait state of a process's threads (a later WATCH must not see stale waits). */
static void forget_threads(struct agent *a, uint32_t tgid)
{
	char path[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%u/task", tgid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		uint64_t tid;

		if (gc_parse_u64(d->d_name, strlen(d->d_name), &tid) == 0 && tid <= UINT32_MAX) {
			__u32 key = (__u32)tid;

			bpf_map_delete_elem(bpf_map__fd(a->skel->maps.thread_states), &key);
		}
	}
	closedir(dir);
}

void unwatch_at(struct agent *a, int i)
{
	uint32_t tgid = a->watched[i];

	a->skel->bss->watched_filter[tgid & GC_WATCHED_FILTER_MASK]--;
	bpf_map_delete_elem(bpf_map__fd(a->skel->maps.watched), &tgid);
	forget_threads(a, tgid);
	a->watched[i] = a->watched[--a->watched_count];
}
