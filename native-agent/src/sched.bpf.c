/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sched.bpf.c: the sched_ext scheduler "gamer".
 *
 * What it does
 * - Base: weighted vtime fairness, the scx_simple idea. Every task that is
 *   not boosted goes into one shared DSQ ordered by its virtual time; a
 *   task's vtime advances by the time it ran, scaled by 100 / weight, and a
 *   waking task's vtime is clamped to at most one slice behind the global
 *   vtime so a long sleeper cannot bank unlimited credit.
 * - Gaming boost: a thread of a watched process (the map "watched", the same
 *   map probes.bpf.c uses: the agent hands its fd to this object with
 *   bpf_map__reuse_fd) that wakes up within boost_window_ns of the latest
 *   player input (the map "last_input", written by probes.bpf.c's input
 *   hooks, shared the same way) is boosted: it goes straight to an idle
 *   CPU's local DSQ when select_cpu finds one, otherwise into PRIO_DSQ,
 *   which every CPU consumes before the shared DSQ. With preempt_on_input
 *   set, a CPU that runs a non-game task is kicked with SCX_KICK_PREEMPT so
 *   the boosted thread does not wait for a slice to end.
 * - Watched threads get game_slice_ns, everyone else other_slice_ns. A task's
 *   vtime is kept within [global - 1 slice, global + VTIME_AHEAD_SLICES
 *   slices] on enqueue, so a low-weight task waits a bounded time.
 * - Tunables are plain globals (.bss/.data, mmapped by the skeleton): the
 *   agent changes them while the scheduler runs; every callback reads them
 *   afresh.
 * - Safety: ops.timeout_ms is the kernel watchdog (a runnable task that
 *   does not run for GC_SCHED_TIMEOUT_MS aborts the scheduler with
 *   ERROR_STALL and the kernel falls back to its default scheduler). A CPU
 *   serves the shared DSQ before PRIO_DSQ once it has dispatched
 *   GC_PRIO_STREAK_MAX boosted tasks in a row or GC_STARVE_BOUND_NS have
 *   passed since it last served (or found empty) the shared DSQ, so
 *   non-game tasks always make progress.
 * - ops.exit copies the exit info (kind, exit code, reason, message) into
 *   sched_exit_rb; the agent turns it into a SCHED line for the app and
 *   restarts the scheduler when the exit code has SCX_ECODE_ACT_RESTART.
 * - Attached through SEC(".struct_ops.link"): when the agent dies, even by
 *   SIGKILL, the link's last fd closes and the kernel unregisters "gamer".
 *
 * Where it falls short
 * - One shared DSQ: no NUMA or cache awareness, like scx_simple.
 * - The boost is by time window, not by causality: any watched thread that
 *   wakes within the window after any input is boosted, including ones the
 *   input had nothing to do with.
 * - A watched task is recognised by a hash lookup of its tgid on every
 *   enqueue (at most 64 entries); probes.bpf.c's byte filter lives in its
 *   .bss, which this object cannot share.
 * - Preemption picks the first CPU (lowest id) that runs a non-game task;
 *   with many CPUs a smarter choice (the least recently started) would be
 *   fairer.
 *
 * Benign races
 * - cpu_ctx.running_game of another CPU is read without a lock; a stale
 *   value costs one useless kick or one missed preemption.
 * - last_input is a plain 64-bit store/load; a torn read is impossible on
 *   x86-64 and a stale one shifts the window by one input.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "gamer_sched.h"

char LICENSE[] SEC("license") = "GPL";

#define SHARED_DSQ 0
#define PRIO_DSQ 1
#define MAX_CPUS 256
#define EXIT_RB_BYTES 4096
#define VTIME_AHEAD_SLICES 4

#include "shared_maps.bpf.h" /* watched, last_input: probes.bpf.c's maps, reused by fd */

struct cpu_ctx {
	__u64 last_shared_ns; /* last time this CPU served or found empty the shared DSQ */
	__u32 prio_streak;    /* boosted dispatches since then */
	__u32 running_game;   /* the task on this CPU is a watched thread */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_ctx);
} cpu_ctxs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, EXIT_RB_BYTES);
} sched_exit_rb SEC(".maps");

/* Tunables: written by the agent (SET ...), ns. */
volatile __u64 boost_window_ns = GC_BOOST_WINDOW_US_DEFAULT * 1000ull;
volatile __u64 game_slice_ns = GC_GAME_SLICE_US_DEFAULT * 1000ull;
volatile __u64 other_slice_ns = GC_OTHER_SLICE_US_DEFAULT * 1000ull;
volatile __u64 preempt_on_input = GC_PREEMPT_ON_INPUT_DEFAULT;

/* Set by the agent before load. */
const volatile __u32 nr_cpus = 1;

/* Counters for STATUS. */
__u64 nr_boosted;
__u64 nr_boosted_direct;
__u64 nr_preempt_kicks;
__u64 nr_starve_serves;

static __u64 vtime_now;

static __always_inline bool is_watched(const struct task_struct *p)
{
	__u32 tgid = p->tgid;

	return bpf_map_lookup_elem(&watched, &tgid) != NULL;
}

static __always_inline bool in_boost_window(void)
{
	__u32 zero = 0;
	__u64 *last = bpf_map_lookup_elem(&last_input, &zero);
	__u64 t;

	if (!last || !*last)
		return false;
	t = *last;
	return bpf_ktime_get_ns() - t <= boost_window_ns;
}

static __always_inline bool vtime_before(__u64 a, __u64 b)
{
	return (__s64)(a - b) < 0;
}

static __always_inline struct cpu_ctx *this_cpu_ctx(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_ctxs, &zero);
}

/* Kicks the first CPU that runs a non-game task, so PRIO_DSQ is served now. */
static __always_inline void preempt_one(void)
{
	__u32 zero = 0;

	for (__u32 cpu = 0; cpu < MAX_CPUS && cpu < nr_cpus; cpu++) {
		struct cpu_ctx *c = bpf_map_lookup_percpu_elem(&cpu_ctxs, &zero, cpu);

		if (!c || c->running_game)
			continue;
		scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT);
		__sync_fetch_and_add(&nr_preempt_kicks, 1);
		return;
	}
}

SEC("struct_ops/gamer_select_cpu")
s32 BPF_PROG(gamer_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu;

	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle && is_watched(p) && in_boost_window()) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, game_slice_ns, 0);
		__sync_fetch_and_add(&nr_boosted, 1);
		__sync_fetch_and_add(&nr_boosted_direct, 1);
	}
	return cpu;
}

SEC("struct_ops/gamer_enqueue")
void BPF_PROG(gamer_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 vtime = p->scx.dsq_vtime;
	bool game = is_watched(p);

	if (game && (enq_flags & SCX_ENQ_WAKEUP) && in_boost_window()) {
		scx_bpf_dsq_insert(p, PRIO_DSQ, game_slice_ns, enq_flags);
		__sync_fetch_and_add(&nr_boosted, 1);
		if (preempt_on_input)
			preempt_one();
		return;
	}
	/* A sleeper may be at most one slice behind: no unlimited banked credit. */
	if (vtime_before(vtime, vtime_now - other_slice_ns))
		vtime = vtime_now - other_slice_ns;
	/*
	 * ... and at most VTIME_AHEAD_SLICES slices ahead: a nice-19 task (weight 1) is charged
	 * 100x its run time, and one 20 ms slice would otherwise put it 2 s behind everyone,
	 * long enough to trip the watchdog on a busy machine.
	 */
	if (vtime_before(vtime_now + VTIME_AHEAD_SLICES * other_slice_ns, vtime))
		vtime = vtime_now + VTIME_AHEAD_SLICES * other_slice_ns;
	scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, game ? game_slice_ns : other_slice_ns, vtime,
				 enq_flags);
}

SEC("struct_ops/gamer_dispatch")
void BPF_PROG(gamer_dispatch, s32 cpu, struct task_struct *prev)
{
	struct cpu_ctx *c = this_cpu_ctx();
	__u64 now = bpf_ktime_get_ns();
	bool shared_first;

	if (!c) {
		if (!scx_bpf_dsq_move_to_local(PRIO_DSQ))
			scx_bpf_dsq_move_to_local(SHARED_DSQ);
		return;
	}
	shared_first = c->prio_streak >= GC_PRIO_STREAK_MAX ||
		       now - c->last_shared_ns > GC_STARVE_BOUND_NS;
	if (shared_first) {
		if (scx_bpf_dsq_move_to_local(SHARED_DSQ)) {
			if (scx_bpf_dsq_nr_queued(PRIO_DSQ))
				__sync_fetch_and_add(&nr_starve_serves, 1);
			c->prio_streak = 0;
			c->last_shared_ns = now;
			return;
		}
		/* Nobody is waiting in the shared DSQ: nobody is starving. */
		c->prio_streak = 0;
		c->last_shared_ns = now;
		scx_bpf_dsq_move_to_local(PRIO_DSQ);
		return;
	}
	if (scx_bpf_dsq_move_to_local(PRIO_DSQ)) {
		c->prio_streak++;
		return;
	}
	c->prio_streak = 0;
	c->last_shared_ns = now;
	scx_bpf_dsq_move_to_local(SHARED_DSQ);
}

SEC("struct_ops/gamer_running")
void BPF_PROG(gamer_running, struct task_struct *p)
{
	struct cpu_ctx *c = this_cpu_ctx();

	if (c)
		c->running_game = is_watched(p);
	if (vtime_before(vtime_now, p->scx.dsq_vtime))
		vtime_now = p->scx.dsq_vtime;
}

SEC("struct_ops/gamer_stopping")
void BPF_PROG(gamer_stopping, struct task_struct *p, bool runnable)
{
	struct cpu_ctx *c = this_cpu_ctx();
	u64 slice = is_watched(p) ? game_slice_ns : other_slice_ns;
	u64 used = slice > p->scx.slice ? slice - p->scx.slice : 0;

	/* Until the next running(): a CPU going idle must not look busy with a game thread. */
	if (c)
		c->running_game = 0;
	/* weight 100 is nice 0: a heavier task's vtime advances more slowly. */
	p->scx.dsq_vtime += used * 100 / (p->scx.weight ? p->scx.weight : 100);
}

SEC("struct_ops/gamer_enable")
void BPF_PROG(gamer_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = vtime_now;
}

SEC("struct_ops.s/gamer_init")
s32 BPF_PROG(gamer_init)
{
	s32 err = scx_bpf_create_dsq(SHARED_DSQ, -1);

	if (err)
		return err;
	return scx_bpf_create_dsq(PRIO_DSQ, -1);
}

SEC("struct_ops/gamer_exit")
void BPF_PROG(gamer_exit, struct scx_exit_info *ei)
{
	struct gc_sched_exit *e = bpf_ringbuf_reserve(&sched_exit_rb, sizeof(*e), 0);

	if (!e)
		return;
	e->exit_code = ei->exit_code;
	e->kind = ei->kind;
	e->reserved = 0;
	if (bpf_probe_read_kernel_str(e->reason, sizeof(e->reason), ei->reason) < 0)
		e->reason[0] = '\0';
	if (bpf_probe_read_kernel_str(e->msg, sizeof(e->msg), ei->msg) < 0)
		e->msg[0] = '\0';
	bpf_ringbuf_submit(e, 0);
}

SEC(".struct_ops.link")
struct sched_ext_ops gamer_ops = {
	.select_cpu = (void *)gamer_select_cpu,
	.enqueue = (void *)gamer_enqueue,
	.dispatch = (void *)gamer_dispatch,
	.running = (void *)gamer_running,
	.stopping = (void *)gamer_stopping,
	.enable = (void *)gamer_enable,
	.init = (void *)gamer_init,
	.exit = (void *)gamer_exit,
	.timeout_ms = GC_SCHED_TIMEOUT_MS,
	.name = GC_SCHED_OPS_NAME,
};
