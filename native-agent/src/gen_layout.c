// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gen_layout: prints the layout of include/gamer_events.h as a properties
 * file (build/gamer_events.properties) that the Java layout test compares
 * its MemoryLayout against: sizes, field offsets and sizes, and constants.
 */
#include <stddef.h>
#include <stdio.h>
#include "gamer_events.h"

#define STRUCT(s) printf(#s ".size=%zu\n", sizeof(struct s))
#define FIELD(s, f)                                                                      \
	printf(#s "." #f ".offset=%zu\n" #s "." #f ".size=%zu\n", offsetof(struct s, f), \
	       sizeof(((struct s *)0)->f))
#define CONST(c) printf(#c "=%llu\n", (unsigned long long)(c))
#define CONST_STR(c) printf(#c "=%s\n", c)

int main(void)
{
	STRUCT(gc_event);
	FIELD(gc_event, start_ns);
	FIELD(gc_event, end_ns);
	FIELD(gc_event, pid);
	FIELD(gc_event, tgid);
	FIELD(gc_event, cpu);
	FIELD(gc_event, ring);
	FIELD(gc_event, kind);
	FIELD(gc_event, source);
	FIELD(gc_event, input_type);
	FIELD(gc_event, input_code);
	FIELD(gc_event, reserved);

	STRUCT(gc_ring_counters);
	FIELD(gc_ring_counters, emitted);
	FIELD(gc_ring_counters, lost);
	FIELD(gc_ring_counters, reserved);

	STRUCT(gc_exec_event);
	FIELD(gc_exec_event, what);
	FIELD(gc_exec_event, pid);
	FIELD(gc_exec_event, ppid);
	FIELD(gc_exec_event, reserved);
	FIELD(gc_exec_event, comm);
	FIELD(gc_exec_event, path);

	CONST(GC_RING_COUNT);
	CONST(GC_RING_BYTES_DEFAULT);
	CONST(GC_RING_BYTES_MIN);
	CONST(GC_RING_BYTES_MAX);
	CONST(GC_KIND_WAKEUP_TO_RUN);
	CONST(GC_KIND_PREEMPT_TO_RUN);
	CONST(GC_KIND_INPUT_TO_RUN);
	CONST(GC_KIND_COUNT);
	CONST(GC_SRC_NONE);
	CONST(GC_SRC_FENTRY);
	CONST(GC_SRC_KPROBE);
	CONST(GC_SRC_SYNTHETIC);
	CONST(GC_EV_KEY);
	CONST(GC_EV_REL);
	CONST(GC_EV_ABS);
	CONST(GC_COMM_LEN);
	CONST(GC_PATH_LEN);
	CONST(GC_EXEC_EXEC);
	CONST(GC_EXEC_EXIT);
	CONST_STR(GC_SYNTHETIC_INPUT_FUNC);
	return 0;
}
