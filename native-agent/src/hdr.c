// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* hdr.c: see hdr.h. Index math as in HdrHistogram's AbstractHistogram. */
#include <errno.h>
#include <stdlib.h>
#include "hdr.h"

#define SUB_BUCKET_COUNT_MAGNITUDE 11 /* ceil(log2(2 * 10^3)): 3 significant digits */

int gc_hdr_init(struct gc_hdr *h, int64_t highest)
{
	int64_t smallest_untrackable = 1ll << SUB_BUCKET_COUNT_MAGNITUDE;
	int32_t buckets = 1;

	while (smallest_untrackable <= highest) {
		if (smallest_untrackable > INT64_MAX / 2) {
			buckets++;
			break;
		}
		smallest_untrackable <<= 1;
		buckets++;
	}
	h->highest = highest;
	h->sub_bucket_half_count_magnitude = SUB_BUCKET_COUNT_MAGNITUDE - 1;
	h->sub_bucket_half_count = 1 << h->sub_bucket_half_count_magnitude;
	h->sub_bucket_mask = (1ll << SUB_BUCKET_COUNT_MAGNITUDE) - 1;
	h->bucket_count = buckets;
	h->counts_len = (buckets + 1) * h->sub_bucket_half_count;
	h->total_count = 0;
	h->max_value = 0;
	h->counts = calloc((size_t)h->counts_len, sizeof(*h->counts));
	return h->counts ? 0 : -ENOMEM;
}

void gc_hdr_free(struct gc_hdr *h)
{
	free(h->counts);
	h->counts = NULL;
}

int32_t gc_hdr_index(const struct gc_hdr *h, int64_t value)
{
	int32_t pow2ceiling = 64 - __builtin_clzll((uint64_t)(value | h->sub_bucket_mask));
	int32_t bucket = pow2ceiling - (h->sub_bucket_half_count_magnitude + 1);
	int32_t sub_bucket = (int32_t)(value >> bucket);

	return ((bucket + 1) << h->sub_bucket_half_count_magnitude) +
	       (sub_bucket - h->sub_bucket_half_count);
}

void gc_hdr_record(struct gc_hdr *h, int64_t value)
{
	if (value < 0)
		value = 0;
	if (value > h->highest)
		value = h->highest;
	h->counts[gc_hdr_index(h, value)]++;
	h->total_count++;
	if (value > h->max_value)
		h->max_value = value;
}

/* The lowest value that lands in counts[index]. */
static int64_t value_from_index(const struct gc_hdr *h, int32_t index)
{
	int32_t bucket = (index >> h->sub_bucket_half_count_magnitude) - 1;
	int32_t sub_bucket = (index & (h->sub_bucket_half_count - 1)) + h->sub_bucket_half_count;

	if (bucket < 0) {
		sub_bucket -= h->sub_bucket_half_count;
		bucket = 0;
	}
	return (int64_t)sub_bucket << bucket;
}

int64_t gc_hdr_value_at_percentile(const struct gc_hdr *h, double p)
{
	int64_t want, seen = 0;

	if (h->total_count == 0)
		return 0;
	want = (int64_t)(p / 100.0 * (double)h->total_count + 0.5);
	if (want < 1)
		want = 1;
	for (int32_t i = 0; i < h->counts_len; i++) {
		seen += h->counts[i];
		if (seen >= want)
			return value_from_index(h, i);
	}
	return h->max_value;
}
