/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * hdr.h: the smallest HDR histogram that does the same recording work as
 * HdrHistogram's Histogram(1, highest, 3): sub-bucket count 2048, unit 1,
 * identical bucket/sub-bucket index math. Used by BENCH CONSUME work=1 so
 * the C and Java readers are compared doing equal work. Single writer.
 */
#ifndef GC_HDR_H
#define GC_HDR_H

#include <stdint.h>

#define GC_HDR_HIGHEST_NS 3600000000000ull /* one hour */

struct gc_hdr {
	int64_t highest;
	int32_t sub_bucket_half_count_magnitude;
	int32_t sub_bucket_half_count;
	int64_t sub_bucket_mask;
	int32_t bucket_count;
	int32_t counts_len;
	int64_t total_count;
	int64_t max_value;
	int64_t *counts;
};

/* Histogram of 1..highest with 3 significant digits. Returns 0 or -ENOMEM. */
int gc_hdr_init(struct gc_hdr *h, int64_t highest);
void gc_hdr_free(struct gc_hdr *h);
/* Values < 0 count as 0, values > highest as highest. */
void gc_hdr_record(struct gc_hdr *h, int64_t value);
int32_t gc_hdr_index(const struct gc_hdr *h, int64_t value);
/* The smallest value equivalent to the value at percentile p (0..100). */
int64_t gc_hdr_value_at_percentile(const struct gc_hdr *h, double p);

#endif /* GC_HDR_H */
