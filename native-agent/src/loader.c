// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * loader.c: opens, configures, loads and attaches probes.bpf.c (the runqlat
 * shape: open -> set max_entries / globals -> choose autoload -> load ->
 * attach). The input hook is tried as fentry, then kprobe, then none; a failed
 * load poisons a bpf_object, so every try opens a fresh one. Every failure is
 * reported as "failed to <step>: <err>" on stderr and "FAILED <step>: <err>"
 * on stdout (the app reads that line instead of LISTENING).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "agent.h"
#include "gamer_events.h"
#include "loader.h"
#include "probes.skel.h"
#include "util.h"

bool gc_verbose;

int gc_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (!gc_verbose)
		return 0;
	(void)level;
	return vfprintf(stderr, fmt, args);
}

/* Before LISTENING, a failure is also reported to the app on stdout. */
void report_failure(const char *step, int err)
{
	fprintf(stderr, "failed to %s: %s (%s)%s\n", step, errname(err),
		strerror(err < 0 ? -err : err), gc_verbose ? "" : "; run with -v for libbpf's log");
	printf("FAILED %s: %s\n", step, errname(err));
	fflush(stdout);
}

/* "fentry refused (EPERM)" -> "unavailable:fentry_refused_(EPERM)". */
static void set_state(char *dst, const char *prefix, const char *reason)
{
	size_t n = (size_t)snprintf(dst, GC_STATE_LEN, "%s%s", prefix, reason);

	for (size_t i = 0; i < n && i < GC_STATE_LEN; i++)
		if (dst[i] == ' ')
			dst[i] = '_';
}

/* ---------------------------------------------------------------- loading */

static int configure(struct agent *a, struct probes *skel, int input_try)
{
	char name[8];
	int err;

	for (int i = 0; i < GC_RING_COUNT; i++) {
		struct bpf_map *map;

		snprintf(name, sizeof(name), "rb_%d", i);
		map = bpf_object__find_map_by_name(skel->obj, name);
		if (!map)
			return -ENOENT;
		err = bpf_map__set_max_entries(map, a->ring_bytes);
		if (err)
			return err;
	}
	skel->data->wakeup_bytes = a->ring_bytes / 4;
	bpf_program__set_autoload(skel->progs.handle_input_fentry, input_try == 0);
	bpf_program__set_autoload(skel->progs.handle_input_kprobe, input_try == 1);
	bpf_program__set_autoload(skel->progs.bench_fill, a->bench);
	bpf_program__set_autoload(skel->progs.bench_empty_switch, a->bench);
	return 0;
}

/*
 * Opens, loads and attaches the input hook, trying fentry, then kprobe, then
 * none. On success a->skel is loaded and a->input_hook says what happened.
 */
int load_with_input_hook(struct agent *a)
{
	char reason[GC_STATE_LEN] = "";
	int err = 0;

	for (int input_try = 0; input_try < 3; input_try++) {
		struct probes *skel = probes__open();
		struct bpf_program *hook;
		size_t used = strlen(reason);

		if (!skel) {
			err = -errno;
			report_failure("open BPF object", err);
			return err;
		}
		err = configure(a, skel, input_try);
		if (err) {
			probes__destroy(skel);
			report_failure("configure BPF object", err);
			return err;
		}
		err = probes__load(skel);
		if (err) {
			probes__destroy(skel);
			if (input_try == 2) {
				report_failure("load BPF object", err);
				return err;
			}
			snprintf(reason + used, sizeof(reason) - used, "%s%s", used ? "; " : "",
				 input_try == 0 ? "fentry refused (" : "kprobe: ");
			used = strlen(reason);
			snprintf(reason + used, sizeof(reason) - used, "%s%s", errname(err),
				 input_try == 0 ? ")" : "");
			continue;
		}
		if (input_try == 2) {
			set_state(a->input_hook, "unavailable:", reason);
			a->skel = skel;
			return 0;
		}
		hook = input_try == 0 ? skel->progs.handle_input_fentry
				      : skel->progs.handle_input_kprobe;
		if (input_try == 0)
			skel->links.handle_input_fentry = bpf_program__attach(hook);
		else
			skel->links.handle_input_kprobe = bpf_program__attach(hook);
		if (!(input_try == 0 ? skel->links.handle_input_fentry
				     : skel->links.handle_input_kprobe)) {
			err = -errno;
			probes__destroy(skel);
			snprintf(reason + used, sizeof(reason) - used, "%s%s%s", used ? "; " : "",
				 input_try == 0 ? "fentry attach: " : "kprobe: ", errname(err));
			continue;
		}
		set_state(a->input_hook, "attached:", input_try == 0 ? "fentry" : "kprobe");
		a->skel = skel;
		return 0;
	}
	return err;
}

static void attach_synthetic(struct agent *a)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = GC_SYNTHETIC_INPUT_FUNC);
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct bpf_link *link;

	if (n < 0) {
		set_state(a->synthetic, "unavailable:", "cannot read /proc/self/exe");
		return;
	}
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s/gamer-selftest", dirname(exe));
	if (access(path, R_OK)) {
		set_state(a->synthetic, "unavailable:", "gamer-selftest not next to gamer-agent");
		return;
	}
	link = bpf_program__attach_uprobe_opts(a->skel->progs.handle_synthetic_input, -1, path, 0,
					       &opts);
	if (!link) {
		char reason[64];

		snprintf(reason, sizeof(reason), "uprobe attach: %s", errname(errno));
		set_state(a->synthetic, "unavailable:", reason);
		return;
	}
	a->skel->links.handle_synthetic_input = link;
	set_state(a->synthetic, "attached", "");
}

int attach_all(struct agent *a)
{
	struct probes *s = a->skel;
	struct {
		struct bpf_program *prog;
		struct bpf_link **link;
		const char *step;
	} required[] = {
		{ s->progs.handle_sched_wakeup, &s->links.handle_sched_wakeup,
		  "attach sched_wakeup" },
		{ s->progs.handle_sched_wakeup_new, &s->links.handle_sched_wakeup_new,
		  "attach sched_wakeup_new" },
		{ s->progs.handle_sched_switch, &s->links.handle_sched_switch,
		  "attach sched_switch" },
		{ s->progs.bench_empty_switch, &s->links.bench_empty_switch,
		  "attach bench_empty_switch" },
	};

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!bpf_program__autoload(required[i].prog))
			continue;
		*required[i].link = bpf_program__attach(required[i].prog);
		if (!*required[i].link) {
			int err = -errno;

			report_failure(required[i].step, err);
			return err;
		}
	}
	s->links.handle_exec = bpf_program__attach(s->progs.handle_exec);
	s->links.handle_exit =
		s->links.handle_exec ? bpf_program__attach(s->progs.handle_exit) : NULL;
	if (s->links.handle_exec && s->links.handle_exit) {
		set_state(a->exec_hook, "attached", "");
	} else {
		char reason[64];

		snprintf(reason, sizeof(reason), "tp_btf attach: %s", errname(errno));
		set_state(a->exec_hook, "unavailable:", reason);
	}
	attach_synthetic(a);
	return 0;
}
