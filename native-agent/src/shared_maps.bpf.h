/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * shared_maps.bpf.h: the maps probes.bpf.c owns and sched.bpf.c reuses by fd
 * (bpf_map__reuse_fd in src/sched.c). libbpf refuses a reuse whose type, key
 * and value sizes or max_entries differ, so both objects take the one
 * definition from here.
 */
#ifndef GC_SHARED_MAPS_BPF_H
#define GC_SHARED_MAPS_BPF_H

/* Watched tgids (value unused); GC_WATCH_MAX in control.h is the agent's side of the bound. */
#define GC_WATCHED_MAX 64

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GC_WATCHED_MAX);
	__type(key, __u32);
	__type(value, __u8);
} watched SEC(".maps");

/*
 * The time of the latest player input (slot 0, bpf_ktime_get_ns): probes.bpf.c
 * writes it on every input, the scheduler's boost window starts there. Unlike
 * probes.bpf.c's pending_input_ns it is never cleared.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} last_input SEC(".maps");

#endif /* GC_SHARED_MAPS_BPF_H */
