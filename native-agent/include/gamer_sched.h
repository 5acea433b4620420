/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * gamer_sched.h: the contract between sched.bpf.c (the sched_ext scheduler
 * "gamer") and the agent (src/sched.c). Fixed-width types only.
 */
#ifndef GAMER_SCHED_H
#define GAMER_SCHED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define GC_SCHED_OPS_NAME "gamer"
/* The kernel's SCX_OPS_NAME_LEN is 128; our names (and the test's other name) stay far below. */
#define GC_SCHED_OPS_NAME_MAX 32

/* Tunable ranges (µs on the control socket, ns in BPF: the agent converts once). */
#define GC_BOOST_WINDOW_US_DEFAULT 20000u
#define GC_BOOST_WINDOW_US_MAX 1000000u
#define GC_GAME_SLICE_US_DEFAULT 5000u
#define GC_OTHER_SLICE_US_DEFAULT 20000u
#define GC_SLICE_US_MIN 100u
#define GC_SLICE_US_MAX 100000u
#define GC_PREEMPT_ON_INPUT_DEFAULT 1u

/* The scheduler's watchdog: a runnable task not run for this long aborts it (ERROR_STALL). */
#define GC_SCHED_TIMEOUT_MS 5000u
/* Starvation bound: a CPU serves the shared DSQ at least this often while it is non-empty. */
#define GC_STARVE_BOUND_NS (50ull * 1000 * 1000)
/* ... and after at most this many boosted dispatches in a row. */
#define GC_PRIO_STREAK_MAX 8u

/* Exit record (ops.exit -> ring "sched_exit_rb" -> agent), a copy of the kernel's scx_exit_info. */
#define GC_SCHED_REASON_LEN 128
#define GC_SCHED_MSG_LEN 256
struct gc_sched_exit {
	__s64 exit_code; /* SCX_ECODE_*: bit 48 (ACT_RESTART) asks the loader to restart */
	__u32 kind;	 /* enum scx_exit_kind */
	__u32 reserved;
	char reason[GC_SCHED_REASON_LEN];
	char msg[GC_SCHED_MSG_LEN];
};

/* SCX_ECODE_ACT_RESTART from enum scx_exit_code. */
#define GC_SCHED_ECODE_ACT_RESTART (1ull << 48)

#endif /* GAMER_SCHED_H */
