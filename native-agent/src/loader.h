/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* loader.h: opening, loading and attaching probes.bpf.c (loader.c). */
#ifndef GC_LOADER_H
#define GC_LOADER_H

#include <stdarg.h>
#include <stdbool.h>
#include <bpf/libbpf.h>

struct agent;

/* -v: libbpf's debug log and more detail in failures. */
extern bool gc_verbose;

int gc_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args);
/* Before LISTENING, a failure is also reported to the app on stdout as "FAILED <step>: <err>". */
void report_failure(const char *step, int err);
/* Opens, loads and attaches the input hook (fentry, then kprobe, then none) into a->skel. */
int load_with_input_hook(struct agent *a);
/* Attaches the scheduler tracepoints, exec/exit and the synthetic-input uprobe. */
int attach_all(struct agent *a);

#endif /* GC_LOADER_H */
