// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sched.c: the agent's side of the sched_ext scheduler "gamer" (sched.bpf.c).
 *
 * Shape (scx_simple.c): open -> set rodata and tunables -> reuse the probes'
 * "watched" and "last_input" maps by fd -> load -> attach the struct_ops
 * link -> watch the exit ring in the agent's epoll loop. SCHED OFF, the end
 * of the agent and a kernel-side exit all end in sched_detach().
 *
 * Never replaces someone else's scheduler: SCHED ON first reads
 * /sys/kernel/sched_ext/state; anything but "disabled" (while we run
 * nothing) is an ERR STATE naming the running ops. Should another
 * scheduler win a race between that check and the attach, the kernel
 * refuses the attach (EBUSY/EEXIST) and that is reported the same way.
 *
 * Exits: ops.exit writes a struct gc_sched_exit into sched_exit_rb. The
 * agent sends `SCHED disabled gamer <kind> <reason> <msg>`, detaches, and
 * when the exit code carries SCX_ECODE_ACT_RESTART (CPU hotplug, for one)
 * loads it again (at most RESTART_MAX times per RESTART_PERIOD_MS) and
 * sends `SCHED enabled gamer`.
 *
 * Test-only: --test-ops-name (sched_set_test_ops_name) attaches the same
 * scheduler under another ops name, so the VM test can play "someone
 * else's scheduler" with a second agent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "agent.h"
#include "conn.h"
#include "gamer_sched.h"
#include "probes.skel.h"
#include "sched.h"
#include "sched.skel.h"
#include "util.h"

#define SCHED_SYSFS "/sys/kernel/sched_ext"
#define RESTART_MAX 3
#define RESTART_PERIOD_MS 60000
#define OPS_NAME_LEN 64
#define NS_PER_US 1000ull

struct sched_ctl {
	struct sched *skel;		      /* non-NULL while "gamer" is attached */
	char ops_name[GC_SCHED_OPS_NAME_MAX]; /* GC_SCHED_OPS_NAME unless a test renamed it */
	struct ring_buffer *exit_rb;
	/* Tunables in protocol units (µs, 0/1); converted to ns when written into the skeleton. */
	uint64_t boost_window_us;
	uint64_t game_slice_us;
	uint64_t other_slice_us;
	uint64_t preempt_on_input;
	bool exit_pending;
	struct gc_sched_exit last_exit;
	bool have_last_exit;
	unsigned int restarts;
	/* The counters of the last scheduler that ran, kept after it detaches (STATUS). */
	uint64_t boosted, boosted_direct, preempt_kicks, starve_serves;
	int64_t restart_window_start_ms;
};

/* Reads one line of a sysfs file without its newline; "" when unreadable. */
static void read_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "re");

	out[0] = '\0';
	if (!f)
		return;
	if (fgets(out, (int)len, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

/* "absent", or the kernel's state ("disabled", "enabled", "enabling", ...) and its ops name. */
static void kernel_state(char *state, size_t state_len, char *ops, size_t ops_len)
{
	struct stat st;

	ops[0] = '\0';
	if (stat(SCHED_SYSFS, &st)) {
		snprintf(state, state_len, "absent");
		return;
	}
	read_line(SCHED_SYSFS "/state", state, state_len);
	if (!state[0])
		snprintf(state, state_len, "unknown");
	read_line(SCHED_SYSFS "/root/ops", ops, ops_len);
	for (char *p = ops; *p; p++)
		if (*p <= ' ' || *p > '~')
			*p = '_';
}

static const char *exit_kind_name(uint32_t kind)
{
	switch (kind) {
	case 0:
		return "none";
	case 1:
		return "done";
	case 64:
		return "unreg";
	case 65:
		return "unreg_bpf";
	case 66:
		return "unreg_kern";
	case 67:
		return "sysrq";
	case 68:
		return "parent";
	case 1024:
		return "error";
	case 1025:
		return "error_bpf";
	case 1026:
		return "error_stall";
	default:
		return "unknown";
	}
}

/* A free-text field as one token: escaped like EXEC paths, "-" when empty. */
static void token(const char *in, size_t in_max, char *out, size_t out_len)
{
	if (!gc_escape(in, in_max, out, out_len))
		snprintf(out, out_len, "-");
}

static void apply_tunables(struct sched_ctl *s)
{
	if (!s->skel)
		return;
	s->skel->data->boost_window_ns = s->boost_window_us * NS_PER_US;
	s->skel->data->game_slice_ns = s->game_slice_us * NS_PER_US;
	s->skel->data->other_slice_ns = s->other_slice_us * NS_PER_US;
	s->skel->data->preempt_on_input = s->preempt_on_input;
}

static int on_exit_record(void *ctx, void *data, size_t size)
{
	struct sched_ctl *s = ctx;

	if (size < sizeof(s->last_exit))
		return 0;
	memcpy(&s->last_exit, data, sizeof(s->last_exit));
	s->last_exit.reason[GC_SCHED_REASON_LEN - 1] = '\0';
	s->last_exit.msg[GC_SCHED_MSG_LEN - 1] = '\0';
	s->have_last_exit = true;
	s->exit_pending = true;
	return 0;
}

static void sched_detach(struct agent *a)
{
	struct sched_ctl *s = a->sched;

	if (s->exit_rb) {
		epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, ring_buffer__epoll_fd(s->exit_rb), NULL);
		ring_buffer__free(s->exit_rb);
		s->exit_rb = NULL;
	}
	if (s->skel) {
		s->boosted = s->skel->bss->nr_boosted;
		s->boosted_direct = s->skel->bss->nr_boosted_direct;
		s->preempt_kicks = s->skel->bss->nr_preempt_kicks;
		s->starve_serves = s->skel->bss->nr_starve_serves;
		/*
		 * Closing the struct_ops link unregisters "gamer". The skeleton does not own that link
		 * (libbpf 1.4 skeletons track program links only, see the Makefile), so
		 * sched__destroy() alone would leave the scheduler attached until the agent exits.
		 */
		bpf_link__destroy(s->skel->links.gamer_ops);
		s->skel->links.gamer_ops = NULL;
	}
	sched__destroy(s->skel);
	s->skel = NULL;
}

/* Writes name into the ops' name member, found by BTF (the skeleton's shadow type omits it). */
static int set_ops_name(struct sched *skel, const char *name)
{
	const struct btf *btf = bpf_object__btf(skel->obj);
	__s32 id = btf ? btf__find_by_name_kind(btf, "sched_ext_ops", BTF_KIND_STRUCT) : -ENOENT;
	const struct btf_type *t;
	const struct btf_member *m;
	size_t size;
	char *data = bpf_map__initial_value(skel->maps.gamer_ops, &size);

	if (id < 0 || !data)
		return -ENOENT;
	t = btf__type_by_id(btf, id);
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		size_t off = btf_member_bit_offset(t, i) / 8;

		if (strcmp(btf__name_by_offset(btf, m->name_off), "name"))
			continue;
		if (off + GC_SCHED_OPS_NAME_MAX > size)
			return -ERANGE;
		memset(data + off, 0, GC_SCHED_OPS_NAME_MAX);
		memcpy(data + off, name, strlen(name));
		return 0;
	}
	return -ENOENT;
}

/* Loads and attaches "gamer". Returns 0, or -errno with a reason for people in msg. */
static int sched_attach(struct agent *a, char *msg, size_t msg_len)
{
	struct sched_ctl *s = a->sched;
	struct bpf_link *link;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = GC_EPOLL_TAG_SCHED };
	const char *step;
	int err;

	s->skel = sched__open();
	if (!s->skel) {
		err = -errno;
		step = "open";
		goto fail;
	}
	s->skel->rodata->nr_cpus = (__u32)a->cpus;
	apply_tunables(s);
	step = "set the ops name";
	if (strcmp(s->ops_name, GC_SCHED_OPS_NAME)) {
		err = set_ops_name(s->skel, s->ops_name);
		if (err)
			goto fail;
	}
	step = "reuse the watched map";
	err = bpf_map__reuse_fd(s->skel->maps.watched, bpf_map__fd(a->skel->maps.watched));
	if (err)
		goto fail;
	step = "reuse the last_input map";
	err = bpf_map__reuse_fd(s->skel->maps.last_input, bpf_map__fd(a->skel->maps.last_input));
	if (err)
		goto fail;
	step = "load";
	err = sched__load(s->skel);
	if (err)
		goto fail;
	step = "attach struct_ops";
	link = bpf_map__attach_struct_ops(s->skel->maps.gamer_ops);
	if (!link) {
		err = -errno;
		goto fail;
	}
	s->skel->links.gamer_ops = link;
	step = "watch the exit ring";
	s->exit_rb =
		ring_buffer__new(bpf_map__fd(s->skel->maps.sched_exit_rb), on_exit_record, s, NULL);
	if (!s->exit_rb) {
		err = -errno;
		goto fail;
	}
	if (epoll_ctl(a->epoll_fd, EPOLL_CTL_ADD, ring_buffer__epoll_fd(s->exit_rb), &ev)) {
		err = -errno;
		goto fail;
	}
	return 0;
fail:
	snprintf(msg, msg_len, "failed to %s the %s scheduler: %s", step, s->ops_name,
		 errname(err));
	fprintf(stderr, "%s\n", msg);
	sched_detach(a);
	return err ? err : -EINVAL;
}

int sched_init(struct agent *a)
{
	struct sched_ctl *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->boost_window_us = GC_BOOST_WINDOW_US_DEFAULT;
	s->game_slice_us = GC_GAME_SLICE_US_DEFAULT;
	s->other_slice_us = GC_OTHER_SLICE_US_DEFAULT;
	s->preempt_on_input = GC_PREEMPT_ON_INPUT_DEFAULT;
	snprintf(s->ops_name, sizeof(s->ops_name), "%s", GC_SCHED_OPS_NAME);
	a->sched = s;
	return 0;
}

int sched_set_test_ops_name(struct agent *a, const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len >= GC_SCHED_OPS_NAME_MAX ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz"
			 "0123456789_") != len)
		return -EINVAL;
	snprintf(a->sched->ops_name, sizeof(a->sched->ops_name), "%s", name);
	return 0;
}

void sched_command(struct agent *a, bool on)
{
	struct sched_ctl *s = a->sched;
	char state[32], ops[OPS_NAME_LEN], msg[256], line[320];
	int err;

	kernel_state(state, sizeof(state), ops, sizeof(ops));
	if (!on) {
		if (!s->skel) {
			snprintf(line, sizeof(line),
				 "ERR STATE the gamer scheduler is not running "
				 "(sched_ext: %s%s%s)",
				 state, ops[0] ? " " : "", ops);
			conn_send(&a->ctl, line);
			return;
		}
		sched_detach(a);
		conn_send(&a->ctl, "OK SCHED OFF");
		return;
	}
	if (s->skel) {
		snprintf(line, sizeof(line), "OK SCHED ON %s", s->ops_name);
		conn_send(&a->ctl, line);
		return;
	}
	if (!strcmp(state, "absent")) {
		conn_send(&a->ctl, "ERR STATE sched_ext is absent: this kernel has no " SCHED_SYSFS
				   " (CONFIG_SCHED_CLASS_EXT); the agent runs monitor-only");
		return;
	}
	if (strcmp(state, "disabled")) {
		snprintf(line, sizeof(line),
			 "ERR STATE another sched_ext scheduler is %s: %s; it is never replaced, "
			 "stop it first",
			 state, ops[0] ? ops : "(unnamed)");
		conn_send(&a->ctl, line);
		return;
	}
	err = sched_attach(a, msg, sizeof(msg));
	if (err) {
		if (err == -EBUSY || err == -EEXIST || err == -EALREADY) {
			kernel_state(state, sizeof(state), ops, sizeof(ops));
			snprintf(line, sizeof(line),
				 "ERR STATE another sched_ext scheduler got there first: %s (%s)",
				 ops[0] ? ops : "(unnamed)", state);
		} else {
			snprintf(line, sizeof(line), "ERR INTERNAL %s", msg);
		}
		conn_send(&a->ctl, line);
		return;
	}
	s->restarts = 0;
	snprintf(line, sizeof(line), "OK SCHED ON %s", s->ops_name);
	conn_send(&a->ctl, line);
}

void sched_set(struct agent *a, enum gc_set_key key, uint64_t value)
{
	struct sched_ctl *s = a->sched;

	switch (key) {
	case GC_SET_BOOST_WINDOW_US:
		s->boost_window_us = value;
		break;
	case GC_SET_GAME_SLICE_US:
		s->game_slice_us = value;
		break;
	case GC_SET_OTHER_SLICE_US:
		s->other_slice_us = value;
		break;
	case GC_SET_PREEMPT_ON_INPUT:
		s->preempt_on_input = value;
		break;
	default:
		return;
	}
	apply_tunables(s);
}

void sched_status(struct agent *a, char *out, size_t out_len)
{
	struct sched_ctl *s = a->sched;
	char state[32], ops[OPS_NAME_LEN], sched[OPS_NAME_LEN + 40];
	const char *owner;
	uint64_t boosted = s->boosted, direct = s->boosted_direct, kicks = s->preempt_kicks;
	uint64_t starve = s->starve_serves;

	kernel_state(state, sizeof(state), ops, sizeof(ops));
	if (!strcmp(state, "enabled"))
		snprintf(sched, sizeof(sched), "enabled:%s", ops[0] ? ops : "_");
	else
		snprintf(sched, sizeof(sched), "%s", state);
	owner = s->skel							 ? "agent"
		: !strcmp(state, "absent") || !strcmp(state, "disabled") ? "none"
									 : "other";
	if (s->skel) {
		boosted = s->skel->bss->nr_boosted;
		direct = s->skel->bss->nr_boosted_direct;
		kicks = s->skel->bss->nr_preempt_kicks;
		starve = s->skel->bss->nr_starve_serves;
	}
	snprintf(out, out_len,
		 "sched=%s sched_owner=%s boost_window_us=%llu game_slice_us=%llu "
		 "other_slice_us=%llu preempt_on_input=%llu sched_boosted=%llu "
		 "sched_boosted_direct=%llu sched_preempt_kicks=%llu sched_starve_serves=%llu "
		 "sched_restarts=%u sched_last_exit=%s",
		 sched, owner, (unsigned long long)s->boost_window_us,
		 (unsigned long long)s->game_slice_us, (unsigned long long)s->other_slice_us,
		 (unsigned long long)s->preempt_on_input, (unsigned long long)boosted,
		 (unsigned long long)direct, (unsigned long long)kicks, (unsigned long long)starve,
		 s->restarts, s->have_last_exit ? exit_kind_name(s->last_exit.kind) : "none");
}

void sched_on_event(struct agent *a)
{
	struct sched_ctl *s = a->sched;
	char reason[4 * GC_SCHED_REASON_LEN + 1], msg[4 * GC_SCHED_MSG_LEN + 1];
	char line[sizeof(reason) + sizeof(msg) + 64], err_msg[256];
	bool restart;
	int64_t now;

	if (!s->exit_rb)
		return;
	ring_buffer__consume(s->exit_rb);
	if (!s->exit_pending)
		return;
	s->exit_pending = false;
	token(s->last_exit.reason, GC_SCHED_REASON_LEN, reason, sizeof(reason));
	token(s->last_exit.msg, GC_SCHED_MSG_LEN, msg, sizeof(msg));
	snprintf(line, sizeof(line), "SCHED disabled %s %s %s %s", s->ops_name,
		 exit_kind_name(s->last_exit.kind), reason, msg);
	fprintf(stderr, "EXIT: %s (%s)\n", s->last_exit.reason, s->last_exit.msg);
	sched_detach(a);
	if (a->hello_done)
		conn_send(&a->ctl, line);

	restart = (uint64_t)s->last_exit.exit_code & GC_SCHED_ECODE_ACT_RESTART;
	if (!restart)
		return;
	now = now_ms();
	if (now - s->restart_window_start_ms > RESTART_PERIOD_MS) {
		s->restart_window_start_ms = now;
		s->restarts = 0;
	}
	if (s->restarts >= RESTART_MAX) {
		fprintf(stderr,
			"the gamer scheduler asked for a restart %d times within %d s: "
			"leaving it off\n",
			RESTART_MAX, RESTART_PERIOD_MS / 1000);
		return;
	}
	s->restarts++;
	if (sched_attach(a, err_msg, sizeof(err_msg))) {
		fprintf(stderr, "restart: %s\n", err_msg);
		return;
	}
	snprintf(line, sizeof(line), "SCHED enabled %s", s->ops_name);
	if (a->hello_done)
		conn_send(&a->ctl, line);
}

void sched_cleanup(struct agent *a)
{
	if (!a->sched)
		return;
	sched_detach(a);
	free(a->sched);
	a->sched = NULL;
}
