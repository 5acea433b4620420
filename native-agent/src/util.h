/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* util.h: the small helpers every part of the agent uses (util.c). */
#ifndef GC_UTIL_H
#define GC_UTIL_H

#include <stdint.h>

/* "EPERM" for -EPERM or EPERM; "EUNKNOWN" for a number the C library cannot name. */
const char *errname(int err);
/* CLOCK_MONOTONIC in milliseconds. */
int64_t now_ms(void);

#endif /* GC_UTIL_H */
