// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* util.c: see util.h. */
#define _GNU_SOURCE
#include <string.h>
#include <time.h>
#include "util.h"

const char *errname(int err)
{
	const char *name = strerrorname_np(err < 0 ? -err : err);

	return name ? name : "EUNKNOWN";
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
