/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probes.bpf.c: latency samples for the threads of watched processes.
 *
 * What it does
 * - sched_wakeup / sched_wakeup_new of a watched thread start a "wait"
 *   (kind WAKEUP); sched_switch of a watched thread that is still runnable
 *   (prev_state == TASK_RUNNING) starts a wait of kind PREEMPT. When the
 *   thread is next switched in, a gc_event of kind WAKEUP_TO_RUN or
 *   PREEMPT_TO_RUN is written (start = wait start, end = now).
 * - Player input (fentry/input_event, or kprobe/input_event where fentry is
 *   refused, or the uprobe on gc_synthetic_input in a watched gamer-selftest)
 *   sets one global "pending input" if none is pending, so the earliest
 *   unclaimed input wins. The first watched wake-up after it claims it with an atomic
 *   exchange; a preempted thread that holds no claim may claim an input that
 *   arrived after its preemption when it is switched back in. The claimer
 *   writes an INPUT_TO_RUN event (start = input time) when it runs. Each
 *   input yields at most one sample.
 * - Events go to ring cpu % GC_RING_COUNT (16 static RINGBUF maps: the
 *   verifier needs a constant map per call, hence the switch). A failed
 *   reservation counts as lost in ring_counters, never blocks. Submits do
 *   not wake the reader unless the ring holds more than wakeup_bytes of
 *   unread data; the reader also drains on a timer.
 * - Unwatched tasks cost one plain byte load from watched_filter (a 4096
 *   slot count of watched tgids by tgid & 4095, kept by the agent through
 *   the mmapped .bss) and return; only a nonzero slot does the hash lookup.
 * - exec of any process and the exit of the last thread of a watched process
 *   go to exec_rb for the agent (game detection, EXITED lines).
 *
 * Where it falls short
 * - A wake-up of a thread that is on a CPU (ttwu_runnable of the current
 *   task) starts no wait and claims nothing: no switch-in follows it.
 * - A thread that never leaves the CPU produces no sample, and an input no
 *   watched thread wakes up for stays pending until one does (the agent
 *   clears it on WATCH so a new watch does not claim an old input).
 * - Per-thread state lives in an LRU hash: with more than
 *   THREAD_STATE_MAX threads waiting at once, the oldest waits are dropped
 *   (no sample, not counted as lost).
 *
 * Benign races (no locks on the hot path, by choice)
 * - The pending input is {ts, meta}: the input handler wins ts with
 *   cmpxchg and then writes meta. A claimer that exchanges ts in the few
 *   instructions between the two reads the previous input's type/code. The
 *   timestamps are always right.
 * - watched_filter is written by the agent with plain stores; a handler
 *   that races a WATCH/UNWATCH sees either the old or the new slot, and the
 *   hash lookup behind it is the authority.
 * - The per-thread state is touched only by the wake-up path of that
 *   thread and by switches of that thread; a wake-up on another CPU racing
 *   the switch-in can lose one sample.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "gamer_events.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define WATCHED_FILTER_SLOTS 4096
#define THREAD_STATE_MAX 16384
#define EXEC_RB_BYTES (256 * 1024)
#define TASK_RUNNING_STATE 0

/* Wait kinds in struct thread_state.wait_kind; 0 = not waiting. */
#define WAIT_NONE 0
#define WAIT_WAKEUP 1
#define WAIT_PREEMPT 2

#define DEFINE_RING(n)                                      \
	struct {                                            \
		__uint(type, BPF_MAP_TYPE_RINGBUF);         \
		__uint(max_entries, GC_RING_BYTES_DEFAULT); \
	} rb_##n SEC(".maps")

DEFINE_RING(0);
DEFINE_RING(1);
DEFINE_RING(2);
DEFINE_RING(3);
DEFINE_RING(4);
DEFINE_RING(5);
DEFINE_RING(6);
DEFINE_RING(7);
DEFINE_RING(8);
DEFINE_RING(9);
DEFINE_RING(10);
DEFINE_RING(11);
DEFINE_RING(12);
DEFINE_RING(13);
DEFINE_RING(14);
DEFINE_RING(15);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, GC_RING_COUNT);
	__type(key, __u32);
	__type(value, struct gc_ring_counters);
} ring_counters SEC(".maps");

#include "shared_maps.bpf.h" /* watched, last_input: reused by sched.bpf.c */

struct thread_state {
	__u64 wait_start_ns;
	__u64 input_ns; /* claimed input, 0 = none */
	__u32 wait_kind;
	__u16 input_source;
	__u16 input_type;
	__u16 input_code;
	__u16 pad[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, THREAD_STATE_MAX);
	__type(key, __u32);
	__type(value, struct thread_state);
} thread_states SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, EXEC_RB_BYTES);
} exec_rb SEC(".maps");

/* Set by the agent (SET wakeup_bytes=); .data is mmapped by the skeleton. */
volatile __u64 wakeup_bytes = GC_RING_BYTES_DEFAULT / 4;

/* Count of watched tgids per slot tgid & (WATCHED_FILTER_SLOTS - 1); agent-maintained. */
__u8 watched_filter[WATCHED_FILTER_SLOTS];

/* The earliest unclaimed input: ts 0 = none pending. meta = source | type << 16 | code << 32. */
__u64 pending_input_ns;
__u64 pending_input_meta;

__u64 inputs_seen;
__u64 inputs_claimed;

static __always_inline bool is_watched(__u32 tgid)
{
	if (!watched_filter[tgid & (WATCHED_FILTER_SLOTS - 1)])
		return false;
	return bpf_map_lookup_elem(&watched, &tgid) != NULL;
}

static __always_inline void *ring_map(__u32 ring)
{
	switch (ring) {
	case 0:
		return &rb_0;
	case 1:
		return &rb_1;
	case 2:
		return &rb_2;
	case 3:
		return &rb_3;
	case 4:
		return &rb_4;
	case 5:
		return &rb_5;
	case 6:
		return &rb_6;
	case 7:
		return &rb_7;
	case 8:
		return &rb_8;
	case 9:
		return &rb_9;
	case 10:
		return &rb_10;
	case 11:
		return &rb_11;
	case 12:
		return &rb_12;
	case 13:
		return &rb_13;
	case 14:
		return &rb_14;
	default:
		return &rb_15;
	}
}

static __always_inline void count_ring(__u32 ring, bool lost)
{
	struct gc_ring_counters *c = bpf_map_lookup_elem(&ring_counters, &ring);

	if (!c)
		return;
	if (lost)
		__sync_fetch_and_add(&c->lost, 1);
	else
		__sync_fetch_and_add(&c->emitted, 1);
}

/*
 * Copies *ev into ring ev->ring; returns 1 if written, 0 if the ring was full
 * (counted as lost). The reader is woken only when the ring then holds more
 * than wake_above_bytes of unread data.
 */
static __noinline int emit(const struct gc_event *ev, __u64 wake_above_bytes)
{
	__u32 ring = ev->ring & (GC_RING_COUNT - 1);
	void *rb = ring_map(ring);
	struct gc_event *e;
	__u64 flags;

	e = bpf_ringbuf_reserve(rb, sizeof(*e), 0);
	if (!e) {
		count_ring(ring, true);
		return 0;
	}
	__builtin_memcpy(e, ev, sizeof(*e));
	flags = bpf_ringbuf_query(rb, BPF_RB_AVAIL_DATA) > wake_above_bytes ? BPF_RB_FORCE_WAKEUP
									    : BPF_RB_NO_WAKEUP;
	bpf_ringbuf_submit(e, flags);
	count_ring(ring, false);
	return 1;
}

static __always_inline __u64 pack_meta(__u32 source, __u32 type, __u32 code)
{
	return (__u64)(source & 0xffff) | (__u64)(type & 0xffff) << 16 |
	       (__u64)(code & 0xffff) << 32;
}

static __always_inline void store_claim(struct thread_state *st, __u64 input_ns)
{
	__u64 meta = pending_input_meta;

	st->input_ns = input_ns;
	st->input_source = meta & 0xffff;
	st->input_type = (meta >> 16) & 0xffff;
	st->input_code = (meta >> 32) & 0xffff;
	__sync_fetch_and_add(&inputs_claimed, 1);
}

static __always_inline int on_input(__u32 source, __u32 type, __u32 code)
{
	__u32 zero = 0;
	__u64 now, *last;

	if (type != GC_EV_KEY && type != GC_EV_REL && type != GC_EV_ABS)
		return 0;
	__sync_fetch_and_add(&inputs_seen, 1);
	now = bpf_ktime_get_ns();
	last = bpf_map_lookup_elem(&last_input, &zero);
	if (last)
		*last = now;
	if (__sync_val_compare_and_swap(&pending_input_ns, 0, now) == 0)
		pending_input_meta = pack_meta(source, type, code);
	return 0;
}

static __always_inline int on_wakeup(struct task_struct *p)
{
	struct task_struct *task = p;
	struct thread_state *st, zero = {};
	__u32 pid = p->pid;
	__u64 input_ns;

	if (!is_watched(p->tgid))
		return 0;
	/*
	 * A wake-up of a running thread (ttwu_runnable) starts no wait: no switch-in follows.
	 * on_cpu is an int up to 6.x and a u8 in 7.x: read it with its real size (the macro
	 * declares its own "p", hence the other name).
	 */
	if (BPF_CORE_READ_BITFIELD(task, on_cpu))
		return 0;
	st = bpf_map_lookup_elem(&thread_states, &pid);
	if (!st) {
		bpf_map_update_elem(&thread_states, &pid, &zero, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&thread_states, &pid);
		if (!st)
			return 0;
	}
	/* A preempted thread woken again has been runnable since its preemption: keep that wait. */
	if (st->wait_kind == WAIT_NONE) {
		st->wait_start_ns = bpf_ktime_get_ns();
		st->wait_kind = WAIT_WAKEUP;
	}
	/* Test before exchanging: most wake-ups find nothing pending and then write nothing. */
	if (st->input_ns || !pending_input_ns)
		return 0;
	input_ns = __sync_lock_test_and_set(&pending_input_ns, 0);
	if (input_ns)
		store_claim(st, input_ns);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(handle_sched_wakeup, struct task_struct *p)
{
	return on_wakeup(p);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(handle_sched_wakeup_new, struct task_struct *p)
{
	return on_wakeup(p);
}

static __always_inline void on_preempted(struct task_struct *prev, __u64 now)
{
	struct thread_state *st, zero = {};
	__u32 pid = prev->pid;

	st = bpf_map_lookup_elem(&thread_states, &pid);
	if (!st) {
		bpf_map_update_elem(&thread_states, &pid, &zero, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&thread_states, &pid);
		if (!st)
			return;
	}
	st->wait_start_ns = now;
	st->wait_kind = WAIT_PREEMPT;
	/* A thread that was running cannot hold a claim from a wake-up; drop anything stale. */
	st->input_ns = 0;
}

static __always_inline void on_switched_in(struct task_struct *next, __u64 now)
{
	struct gc_event ev = {};
	struct thread_state *st;
	__u32 pid = next->pid;
	__u64 pending;

	st = bpf_map_lookup_elem(&thread_states, &pid);
	if (!st || st->wait_kind == WAIT_NONE)
		return;
	if (st->wait_kind == WAIT_PREEMPT && !st->input_ns) {
		pending = pending_input_ns;
		/*
		 * Only an input from this wait: after the preemption and not after this switch's
		 * own time stamp. An input another CPU stamps between "now" and this read is later
		 * than the switch; claimed here it gives a negative latency, which the recorder
		 * rejects (a VM run rejected one record: under TCG a vCPU can stall between the
		 * two). It stays pending for the wait that really follows it.
		 */
		if (pending > st->wait_start_ns && pending <= now &&
		    __sync_val_compare_and_swap(&pending_input_ns, pending, 0) == pending)
			store_claim(st, pending);
	}
	ev.start_ns = st->wait_start_ns;
	ev.end_ns = now;
	ev.pid = next->pid;
	ev.tgid = next->tgid;
	ev.cpu = bpf_get_smp_processor_id();
	ev.ring = ev.cpu % GC_RING_COUNT;
	ev.kind = st->wait_kind == WAIT_PREEMPT ? GC_KIND_PREEMPT_TO_RUN : GC_KIND_WAKEUP_TO_RUN;
	emit(&ev, wakeup_bytes);
	if (st->input_ns) {
		ev.start_ns = st->input_ns;
		ev.kind = GC_KIND_INPUT_TO_RUN;
		ev.source = st->input_source;
		ev.input_type = st->input_type;
		ev.input_code = st->input_code;
		emit(&ev, wakeup_bytes);
	}
	st->wait_kind = WAIT_NONE;
	st->wait_start_ns = 0;
	st->input_ns = 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(handle_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	bool prev_watched = false, next_watched;
	__u64 now = 0;

	if (prev_state == TASK_RUNNING_STATE)
		prev_watched = is_watched(prev->tgid);
	next_watched = is_watched(next->tgid);
	if (!prev_watched && !next_watched)
		return 0;
	now = bpf_ktime_get_ns();
	if (prev_watched)
		on_preempted(prev, now);
	if (next_watched)
		on_switched_in(next, now);
	return 0;
}

SEC("fentry/input_event")
int BPF_PROG(handle_input_fentry, struct input_dev *dev, unsigned int type, unsigned int code,
	     int value)
{
	return on_input(GC_SRC_FENTRY, type, code);
}

SEC("kprobe/input_event")
int BPF_KPROBE(handle_input_kprobe, struct input_dev *dev, unsigned int type, unsigned int code,
	       int value)
{
	return on_input(GC_SRC_KPROBE, type, code);
}

/*
 * The uprobe is attached to gamer-selftest's gc_synthetic_input for every
 * process (pid -1): the agent does not know in advance which self-test it
 * will be asked to watch, and one attachment serves them all. Only a caller
 * that this agent watches counts as an input, so another self-test on the
 * machine (another Gamer Companion's, say) never feeds our input_to_run or
 * inputs_seen. Unwatched callers cost the same one-byte filter load as
 * unwatched tasks in the scheduler handlers.
 */
SEC("uprobe")
int BPF_UPROBE(handle_synthetic_input, unsigned int type, unsigned int code)
{
	if (!is_watched(bpf_get_current_pid_tgid() >> 32))
		return 0;
	return on_input(GC_SRC_SYNTHETIC, type, code);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct gc_exec_event *e = bpf_ringbuf_reserve(&exec_rb, sizeof(*e), 0);

	if (!e)
		return 0;
	e->what = GC_EXEC_EXEC;
	e->pid = p->tgid;
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	e->reserved = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_probe_read_kernel_str(e->path, sizeof(e->path), bprm->filename) < 0)
		e->path[0] = '\0';
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/*
 * Only the task argument is used: kernels before 6.16 lack the group_dead
 * argument. do_exit() decrements signal->live before this tracepoint, so
 * live == 0 means the last thread of the process is exiting.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_exit, struct task_struct *p)
{
	struct gc_exec_event *e;
	__u32 pid = p->pid, tgid = p->tgid;

	if (!is_watched(tgid))
		return 0;
	bpf_map_delete_elem(&thread_states, &pid);
	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	e = bpf_ringbuf_reserve(&exec_rb, sizeof(*e), 0);
	if (!e)
		return 0;
	__builtin_memset(e, 0, sizeof(*e));
	e->what = GC_EXEC_EXIT;
	e->pid = tgid;
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* ---- bench-only programs (autoload off unless the agent runs with --bench) ---- */

struct fill_ctx {
	struct gc_event ev;
	__u64 start_ns;
	__u64 written;
};

/* Varied but valid records: latency 1000..66535 ns, kinds in turn, a key code on inputs. */
static long fill_one(__u64 i, void *data)
{
	struct fill_ctx *f = data;
	__u32 kind = i % GC_KIND_COUNT;

	f->ev.end_ns = f->start_ns + 1000 + (i & 0xffff);
	f->ev.pid = (__u32)i;
	f->ev.kind = kind;
	f->ev.source = kind == GC_KIND_INPUT_TO_RUN ? GC_SRC_SYNTHETIC : GC_SRC_NONE;
	f->ev.input_type = kind == GC_KIND_INPUT_TO_RUN ? GC_EV_KEY : 0;
	f->ev.input_code = kind == GC_KIND_INPUT_TO_RUN ? (i & 0xff) : 0;
	/* Never wakes: a fill pre-loads rings for a reader that starts afterwards. */
	f->written += emit(&f->ev, ~0ull);
	return 0;
}

/*
 * BPF_PROG_TEST_RUN ctx_in: args[0] = ring (0..15), args[1] = count (<= 1 << 23).
 * Returns the number of records written; count - written were lost (and counted as lost).
 */
SEC("raw_tp")
int bench_fill(struct bpf_raw_tracepoint_args *ctx)
{
	struct fill_ctx f = {};
	__u64 count = ctx->args[1];

	f.start_ns = bpf_ktime_get_ns();
	f.ev.start_ns = f.start_ns;
	f.ev.tgid = 1;
	f.ev.cpu = bpf_get_smp_processor_id();
	f.ev.ring = ctx->args[0] & (GC_RING_COUNT - 1);
	if (count > (1 << 23))
		count = 1 << 23;
	bpf_loop(count, fill_one, &f, 0);
	return f.written;
}

/* The baseline for the cost of handle_sched_switch on unwatched tasks. */
SEC("tp_btf/sched_switch")
int BPF_PROG(bench_empty_switch)
{
	return 0;
}
