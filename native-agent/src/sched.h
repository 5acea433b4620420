/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sched.h: the agent's side of the sched_ext scheduler "gamer" (sched.c):
 * detection, SCHED ON|OFF, tunables, exit reports and restarts.
 */
#ifndef GC_SCHED_H
#define GC_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "control.h"

struct agent;

/* The epoll tag (epoll_event.data.u32) of the scheduler's exit ring. */
#define GC_EPOLL_TAG_SCHED 100u

/* Allocates the scheduler state (nothing is loaded). Returns 0 or -ENOMEM. */
int sched_init(struct agent *a);
/* Test-only (--test-ops-name): attach under another ops name ([a-z0-9_], 1..31). 0 or -EINVAL. */
int sched_set_test_ops_name(struct agent *a, const char *name);
/* SCHED ON / SCHED OFF: replies OK or ERR on the control socket. */
void sched_command(struct agent *a, bool on);
/* Validated SET of a scheduler key: stored, and applied at once when the scheduler runs. */
void sched_set(struct agent *a, enum gc_set_key key, uint64_t value);
/* Writes the STATUS fields "sched=... sched_owner=... ..." into out. */
void sched_status(struct agent *a, char *out, size_t out_len);
/* The exit ring became readable: report the exit, restart if asked. */
void sched_on_event(struct agent *a);
/* Detaches (if attached) and frees everything. */
void sched_cleanup(struct agent *a);

#endif /* GC_SCHED_H */
