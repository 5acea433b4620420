/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* watch.h: the set of watched processes (watch.c). */
#ifndef GC_WATCH_H
#define GC_WATCH_H

#include <stddef.h>
#include <stdint.h>
#include "control.h"

struct agent;

/* probes.bpf.c's watched_filter: a count per slot tgid & GC_WATCHED_FILTER_MASK. */
#define GC_WATCHED_FILTER_MASK 4095u

/* The index of tgid in a->watched, or -1. */
int watched_index(const struct agent *a, uint32_t tgid);
/* WATCH: GC_OK (also when already watched), or an error with a reason for people in msg. */
enum gc_err watch(struct agent *a, uint32_t tgid, char *msg, size_t msg_len);
/* Stops watching a->watched[i] (the last entry moves into its place). */
void unwatch_at(struct agent *a, int i);

#endif /* GC_WATCH_H */
