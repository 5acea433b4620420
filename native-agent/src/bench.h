/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* bench.h: the BENCH commands (bench.c), loaded only with --bench. */
#ifndef GC_BENCH_H
#define GC_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct agent;

/* BENCH FILL: writes count records into ring (or every ring, count each, with GC_RING_ALL). */
int bench_fill(struct agent *a, int ring, uint64_t count, uint64_t *written, uint64_t *lost);
/* BENCH CONSUME: drains all 16 rings with ring_buffer__consume. */
int bench_consume(struct agent *a, bool work, uint64_t *records, uint64_t *elapsed_ns);
/* BENCH PINGPONG: formats "<prog>=<run_cnt>:<run_time_ns> ..." into out. */
int bench_pingpong(struct agent *a, uint64_t round_trips, char *out, size_t out_len);

#endif /* GC_BENCH_H */
