/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * gamer_events.h: the one contract between the BPF programs, the agent
 * (native-agent/src) and the Java ring reader (app/.../ring/EventLayout.java).
 *
 * Fixed-width types only. The Java side mirrors struct gc_event as one
 * MemoryLayout; a test compares every size and offset with the values the
 * build extracts from this header (native-agent/build/gamer_events.properties),
 * so a change here that is not made there fails the build's tests.
 */
#ifndef GAMER_EVENTS_H
#define GAMER_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Number of sample rings. A handler on CPU c writes to ring c % GC_RING_COUNT. */
#define GC_RING_COUNT 16

/* Default and allowed data-area size of each ring (bytes, power of two, page multiple). */
#define GC_RING_BYTES_DEFAULT (512u * 1024u)
#define GC_RING_BYTES_MIN (64u * 1024u)
#define GC_RING_BYTES_MAX (64u * 1024u * 1024u)

/* Sample kinds (struct gc_event.kind). Definitions: docs/METRICS.md. */
#define GC_KIND_WAKEUP_TO_RUN 0
#define GC_KIND_PREEMPT_TO_RUN 1
#define GC_KIND_INPUT_TO_RUN 2
#define GC_KIND_COUNT 3

/* Where an input came from (struct gc_event.source); GC_SRC_NONE for non-input kinds. */
#define GC_SRC_NONE 0
#define GC_SRC_FENTRY 1
#define GC_SRC_KPROBE 2
#define GC_SRC_SYNTHETIC 3

/* Linux input event types that count as player input (from linux/input-event-codes.h). */
#define GC_EV_KEY 0x01
#define GC_EV_REL 0x02
#define GC_EV_ABS 0x03

/*
 * One latency sample, 40 bytes; with the ring's 8-byte record header a record
 * takes 48 bytes of ring space.
 * latency_ns = end_ns - start_ns; both are bpf_ktime_get_ns() (CLOCK_MONOTONIC).
 */
struct gc_event {
	__u64 start_ns;	  /* wake-up, preemption or input time */
	__u64 end_ns;	  /* time the thread was switched in */
	__u32 pid;	  /* thread id */
	__u32 tgid;	  /* process id */
	__u32 cpu;	  /* CPU the thread was switched in on */
	__u16 ring;	  /* cpu % GC_RING_COUNT: the ring this record is in */
	__u16 kind;	  /* GC_KIND_* */
	__u16 source;	  /* GC_SRC_* (input_to_run only) */
	__u16 input_type; /* EV_* of the input (input_to_run only) */
	__u16 input_code; /* KEY_* / REL_* / ABS_* code (input_to_run only) */
	__u16 reserved;	  /* zero */
};

/*
 * Per-ring counters, one 64-byte slot per ring (a cache line each, so CPUs of
 * different rings do not share one) in the BPF_F_MMAPABLE array map
 * "ring_counters" with GC_RING_COUNT entries. The BPF side only adds with
 * atomic fetch-add; readers load them with plain 64-bit loads.
 */
struct gc_ring_counters {
	__u64 emitted; /* records submitted to the ring */
	__u64 lost;    /* reservations that failed because the ring was full */
	__u64 reserved[6];
};

/* Exec notification, agent-internal ring "exec_rb"; the agent forwards it as an EXEC line. */
#define GC_COMM_LEN 16
#define GC_PATH_LEN 256
#define GC_EXEC_EXEC 0
#define GC_EXEC_EXIT 1
struct gc_exec_event {
	__u32 what; /* GC_EXEC_EXEC or GC_EXEC_EXIT (exit of a whole process) */
	__u32 pid;  /* tgid of the process */
	__u32 ppid; /* tgid of its parent */
	__u32 reserved;
	char comm[GC_COMM_LEN];
	char path[GC_PATH_LEN]; /* filename passed to exec, NUL-terminated, may be truncated */
};

/* The synthetic input function in gamer-selftest; the agent attaches a uprobe to it. */
#define GC_SYNTHETIC_INPUT_FUNC "gc_synthetic_input"

#endif /* GAMER_EVENTS_H */
