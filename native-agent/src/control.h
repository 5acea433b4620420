/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * control.h: the control protocol's grammar (docs/PROTOCOL.md), pure C with
 * no BPF and no I/O so it can be unit-tested (src/test/native/).
 */
#ifndef GC_CONTROL_H
#define GC_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GC_PROTOCOL_VERSION 1
#define GC_CMD_MAX_BYTES 512 /* per packet, including an optional trailing '\n' */
#define GC_SET_MAX_PAIRS 8
#define GC_TGID_MAX 4194304u
#define GC_WATCH_MAX 64
#define GC_WAKEUP_BYTES_MAX (64u * 1024u * 1024u)
#define GC_BENCH_FILL_MAX 10000000u
#define GC_BENCH_PINGPONG_MAX 10000000u
#define GC_RING_ALL (-1)

enum gc_err {
	GC_OK = 0,
	GC_ERR_SYNTAX,
	GC_ERR_UNKNOWN,
	GC_ERR_RANGE,
	GC_ERR_TOOLONG,
	GC_ERR_STATE,
	GC_ERR_NOENT,
	GC_ERR_LIMIT,
	GC_ERR_VERSION,
	GC_ERR_INTERNAL,
};

enum gc_verb {
	GC_CMD_HELLO,
	GC_CMD_WATCH,
	GC_CMD_UNWATCH,
	GC_CMD_UNWATCH_ALL,
	GC_CMD_SET,
	GC_CMD_STATUS,
	GC_CMD_PING,
	GC_CMD_QUIT,
	GC_CMD_BENCH_FILL,
	GC_CMD_BENCH_CONSUME,
	GC_CMD_BENCH_PINGPONG,
	GC_CMD_SCHED, /* arg: 1 = ON, 0 = OFF */
};

enum gc_set_key {
	GC_SET_WAKEUP_BYTES,
	GC_SET_BOOST_WINDOW_US, /* scheduler tunables (gamer_sched.h): µs here, ns in BPF */
	GC_SET_GAME_SLICE_US,
	GC_SET_OTHER_SLICE_US,
	GC_SET_PREEMPT_ON_INPUT,
	GC_SET_KEY_COUNT,
};

struct gc_set_pair {
	enum gc_set_key key;
	uint64_t value;
};

struct gc_cmd {
	enum gc_verb verb;
	uint64_t arg;  /* HELLO version, (UN)WATCH tgid, FILL count, CONSUME work, PINGPONG trips */
	int ring;      /* BENCH FILL: 0..15 or GC_RING_ALL */
	int set_count; /* SET: number of pairs */
	struct gc_set_pair set[GC_SET_MAX_PAIRS];
};

/* "SYNTAX", "RANGE", ...: the code word of an ERR reply. */
const char *gc_err_name(enum gc_err err);

/* "wakeup_bytes", ...: the protocol name of a SET key. */
const char *gc_set_key_name(enum gc_set_key key);

/*
 * Strict unsigned decimal: 1..19 digits, no sign, no leading zero except "0"
 * itself. Returns 0 and stores the value, or -1.
 */
int gc_parse_u64(const char *s, size_t len, uint64_t *out);

/*
 * Parses one packet (len bytes, not NUL-terminated). With bench false the
 * BENCH commands are unknown. Returns GC_OK and fills *cmd, or an error with
 * a human-readable reason in msg. Checks grammar and ranges only; state
 * (HELLO first, watched limits, process existence) is the caller's.
 */
enum gc_err gc_parse_command(const char *buf, size_t len, bool bench, struct gc_cmd *cmd, char *msg,
			     size_t msg_len);

/*
 * Escapes a NUL-terminated string of at most in_max bytes for an EXEC line:
 * every byte outside 0x21..0x7e, and '\', becomes \xHH (lower-case hex).
 * Always NUL-terminates out (out_len >= 1); out_len >= 4 * in_max + 1 never
 * truncates, otherwise output stops before an escape that does not fit.
 * Returns the length written.
 */
size_t gc_escape(const char *in, size_t in_max, char *out, size_t out_len);

#endif /* GC_CONTROL_H */
