// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of the agent's control-line grammar (native-agent/src/control.c),
 * EXEC escaping and the HDR histogram index math (native-agent/src/hdr.c).
 * Run by `make -C native-agent test`; prints "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>
#include "control.h"
#include "hdr.h"

static int passed, failed;

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (cond) {                                                   \
			passed++;                                             \
		} else {                                                      \
			failed++;                                             \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);           \
			printf(__VA_ARGS__);                                  \
			printf("\n");                                         \
		}                                                             \
	} while (0)

static enum gc_err parse_bench(const char *line, bool bench, struct gc_cmd *cmd)
{
	char msg[256];
	enum gc_err err = gc_parse_command(line, strlen(line), bench, cmd, msg, sizeof(msg));

	/* Every error names its reason. */
	if (err && msg[0] == '\0') {
		failed++;
		printf("FAIL: no message for '%s'\n", line);
	}
	return err;
}

static enum gc_err parse(const char *line, struct gc_cmd *cmd)
{
	return parse_bench(line, false, cmd);
}

static void expect(const char *line, enum gc_err want)
{
	struct gc_cmd cmd;
	enum gc_err got = parse(line, &cmd);

	CHECK(got == want, "'%s': want %s, got %s", line, gc_err_name(want), gc_err_name(got));
}

static void test_valid_commands(void)
{
	struct gc_cmd cmd;

	CHECK(parse("HELLO 1", &cmd) == GC_OK && cmd.verb == GC_CMD_HELLO && cmd.arg == 1, "HELLO 1");
	CHECK(parse("HELLO 1\n", &cmd) == GC_OK, "trailing newline is allowed");
	CHECK(parse("WATCH 1", &cmd) == GC_OK && cmd.verb == GC_CMD_WATCH && cmd.arg == 1, "WATCH 1");
	CHECK(parse("WATCH 4194304", &cmd) == GC_OK && cmd.arg == 4194304, "WATCH max tgid");
	CHECK(parse("UNWATCH 77", &cmd) == GC_OK && cmd.verb == GC_CMD_UNWATCH && cmd.arg == 77,
	      "UNWATCH");
	CHECK(parse("UNWATCH ALL", &cmd) == GC_OK && cmd.verb == GC_CMD_UNWATCH_ALL, "UNWATCH ALL");
	CHECK(parse("STATUS", &cmd) == GC_OK && cmd.verb == GC_CMD_STATUS, "STATUS");
	CHECK(parse("PING", &cmd) == GC_OK && cmd.verb == GC_CMD_PING, "PING");
	CHECK(parse("QUIT", &cmd) == GC_OK && cmd.verb == GC_CMD_QUIT, "QUIT");
	CHECK(parse("SET wakeup_bytes=0", &cmd) == GC_OK && cmd.verb == GC_CMD_SET &&
		      cmd.set_count == 1 && cmd.set[0].key == GC_SET_WAKEUP_BYTES &&
		      cmd.set[0].value == 0,
	      "SET wakeup_bytes=0");
	CHECK(parse("SET wakeup_bytes=67108864", &cmd) == GC_OK && cmd.set[0].value == 67108864,
	      "SET max");
}

static void test_framing(void)
{
	char line[600];
	struct gc_cmd cmd;
	char msg[256];

	memset(line, 'A', sizeof(line));
	CHECK(gc_parse_command(line, 513, false, &cmd, msg, sizeof(msg)) == GC_ERR_TOOLONG,
	      "513 bytes is too long");
	/* 512 bytes including the newline passes the length check (the verb is then unknown). */
	line[511] = '\n';
	CHECK(gc_parse_command(line, 512, false, &cmd, msg, sizeof(msg)) == GC_ERR_UNKNOWN,
	      "512 bytes is not too long");
	expect("", GC_ERR_SYNTAX);
	expect("\n", GC_ERR_SYNTAX);
	expect("PING\n\n", GC_ERR_SYNTAX);
	expect("PING\r", GC_ERR_SYNTAX);
	expect("PI\tNG", GC_ERR_SYNTAX);
	expect("WATCH\x7f" "1", GC_ERR_SYNTAX);
	expect("WATCH \xc3\xa9", GC_ERR_SYNTAX);
	CHECK(gc_parse_command("PING\0", 5, false, &cmd, msg, sizeof(msg)) == GC_ERR_SYNTAX,
	      "NUL byte");
	expect(" PING", GC_ERR_SYNTAX);
	expect("PING ", GC_ERR_SYNTAX);
	expect("WATCH  1", GC_ERR_SYNTAX);
}

static void test_verbs(void)
{
	struct gc_cmd cmd;

	expect("ping", GC_ERR_UNKNOWN);
	expect("FROB 1", GC_ERR_UNKNOWN);
	expect("HELLOX 1", GC_ERR_UNKNOWN);
	expect("BENCH FILL 0 1", GC_ERR_UNKNOWN); /* no --bench */
	CHECK(parse_bench("BENCH FILL 0 1", true, &cmd) == GC_OK && cmd.verb == GC_CMD_BENCH_FILL &&
		      cmd.ring == 0 && cmd.arg == 1,
	      "BENCH FILL with --bench");
	CHECK(parse_bench("BENCH FILL ALL 10000000", true, &cmd) == GC_OK &&
		      cmd.ring == GC_RING_ALL && cmd.arg == 10000000,
	      "BENCH FILL ALL");
	CHECK(parse_bench("BENCH FILL 16 1", true, &cmd) == GC_ERR_RANGE, "ring 16");
	CHECK(parse_bench("BENCH FILL 15 0", true, &cmd) == GC_ERR_RANGE, "count 0");
	CHECK(parse_bench("BENCH FILL 15 10000001", true, &cmd) == GC_ERR_RANGE, "count too big");
	CHECK(parse_bench("BENCH FILL 15", true, &cmd) == GC_ERR_SYNTAX, "FILL missing count");
	CHECK(parse_bench("BENCH CONSUME 1", true, &cmd) == GC_OK &&
		      cmd.verb == GC_CMD_BENCH_CONSUME && cmd.arg == 1,
	      "CONSUME 1");
	CHECK(parse_bench("BENCH CONSUME 2", true, &cmd) == GC_ERR_RANGE, "CONSUME 2");
	CHECK(parse_bench("BENCH PINGPONG 1000", true, &cmd) == GC_OK &&
		      cmd.verb == GC_CMD_BENCH_PINGPONG && cmd.arg == 1000,
	      "PINGPONG");
	CHECK(parse_bench("BENCH PINGPONG 0", true, &cmd) == GC_ERR_RANGE, "PINGPONG 0");
	CHECK(parse_bench("BENCH JUMP 1", true, &cmd) == GC_ERR_UNKNOWN, "BENCH JUMP");
	CHECK(parse_bench("BENCH", true, &cmd) == GC_ERR_SYNTAX, "BENCH alone");
}

static void test_numbers(void)
{
	uint64_t v;

	CHECK(gc_parse_u64("0", 1, &v) == 0 && v == 0, "0");
	CHECK(gc_parse_u64("9999999999999999999", 19, &v) == 0 && v == 9999999999999999999ull,
	      "19 digits");
	CHECK(gc_parse_u64("18446744073709551616", 20, &v) == -1, "20 digits (overflow)");
	CHECK(gc_parse_u64("01", 2, &v) == -1, "leading zero");
	CHECK(gc_parse_u64("+1", 2, &v) == -1, "plus sign");
	CHECK(gc_parse_u64("-1", 2, &v) == -1, "minus sign");
	CHECK(gc_parse_u64("", 0, &v) == -1, "empty");
	CHECK(gc_parse_u64("1x", 2, &v) == -1, "trailing garbage");
	CHECK(gc_parse_u64("0x10", 4, &v) == -1, "hex");

	expect("WATCH 0", GC_ERR_RANGE);
	expect("WATCH 4194305", GC_ERR_RANGE);
	expect("WATCH 18446744073709551615", GC_ERR_SYNTAX);
	expect("WATCH 99999999999999999999999", GC_ERR_SYNTAX);
	expect("WATCH -1", GC_ERR_SYNTAX);
	expect("WATCH +1", GC_ERR_SYNTAX);
	expect("WATCH 01", GC_ERR_SYNTAX);
	expect("WATCH 1.0", GC_ERR_SYNTAX);
	expect("WATCH", GC_ERR_SYNTAX);
	expect("WATCH 1 2", GC_ERR_SYNTAX);
	expect("UNWATCH", GC_ERR_SYNTAX);
	expect("UNWATCH all", GC_ERR_SYNTAX);
	expect("UNWATCH ALL 1", GC_ERR_SYNTAX);
	expect("PING 1", GC_ERR_SYNTAX);
	expect("STATUS now", GC_ERR_SYNTAX);
	expect("HELLO", GC_ERR_SYNTAX);
	expect("HELLO 2", GC_ERR_VERSION);
	expect("HELLO 0", GC_ERR_VERSION);
	expect("HELLO 01", GC_ERR_SYNTAX);
	expect("HELLO one", GC_ERR_SYNTAX);
	expect("HELLO 1 1", GC_ERR_SYNTAX);
}

static void test_set(void)
{
	struct gc_cmd cmd;

	expect("SET", GC_ERR_SYNTAX);
	expect("SET wakeup_bytes", GC_ERR_SYNTAX);
	expect("SET wakeup_bytes=", GC_ERR_SYNTAX);
	expect("SET =5", GC_ERR_UNKNOWN);
	expect("SET wakeup_bytes=67108865", GC_ERR_RANGE);
	expect("SET wakeup_bytes=-1", GC_ERR_SYNTAX);
	expect("SET wakeup_bytes=1=2", GC_ERR_SYNTAX);
	expect("SET slice_ns=5", GC_ERR_UNKNOWN);
	expect("SET WAKEUP_BYTES=5", GC_ERR_UNKNOWN);
	/* All or nothing: one bad pair fails the whole command, whatever its position. */
	expect("SET wakeup_bytes=5 nope=1", GC_ERR_UNKNOWN);
	expect("SET wakeup_bytes=5 wakeup_bytes=6", GC_ERR_SYNTAX);
	expect("SET nope=1 wakeup_bytes=5", GC_ERR_UNKNOWN);
	expect("SET a=1 a=1 a=1 a=1 a=1 a=1 a=1 a=1 a=1", GC_ERR_SYNTAX); /* 9 pairs */
	CHECK(parse("SET wakeup_bytes=5", &cmd) == GC_OK && cmd.set_count == 1, "one pair");
}

/* Issue 5: SCHED ON|OFF and the scheduler tunables (µs, ranges from gamer_sched.h). */
static void test_sched(void)
{
	struct gc_cmd cmd;

	CHECK(parse("SCHED ON", &cmd) == GC_OK && cmd.verb == GC_CMD_SCHED && cmd.arg == 1, "SCHED ON");
	CHECK(parse("SCHED OFF", &cmd) == GC_OK && cmd.verb == GC_CMD_SCHED && cmd.arg == 0,
	      "SCHED OFF");
	expect("SCHED", GC_ERR_SYNTAX);
	expect("SCHED on", GC_ERR_SYNTAX);
	expect("SCHED ON OFF", GC_ERR_SYNTAX);
	expect("SCHED  ON", GC_ERR_SYNTAX);
	CHECK(parse("SET boost_window_us=0 game_slice_us=100 other_slice_us=100000 preempt_on_input=1",
		    &cmd) == GC_OK && cmd.set_count == 4 && cmd.set[0].key == GC_SET_BOOST_WINDOW_US &&
		      cmd.set[1].value == 100 && cmd.set[2].key == GC_SET_OTHER_SLICE_US &&
		      cmd.set[3].value == 1,
	      "all four scheduler keys");
	CHECK(parse("SET boost_window_us=1000000", &cmd) == GC_OK, "boost_window_us max");
	expect("SET boost_window_us=1000001", GC_ERR_RANGE);
	expect("SET game_slice_us=99", GC_ERR_RANGE);
	expect("SET other_slice_us=100001", GC_ERR_RANGE);
	expect("SET preempt_on_input=2", GC_ERR_RANGE);
	expect("SET preempt_on_input=1 preempt_on_input=0", GC_ERR_SYNTAX);
	CHECK(!strcmp(gc_set_key_name(GC_SET_PREEMPT_ON_INPUT), "preempt_on_input"), "key name");
}

static void test_escape(void)
{
	char out[4 * 256 + 1];

	gc_escape("/usr/bin/game", 256, out, sizeof(out));
	CHECK(strcmp(out, "/usr/bin/game") == 0, "plain path unchanged: %s", out);
	gc_escape("My Game.exe", 256, out, sizeof(out));
	CHECK(strcmp(out, "My\\x20Game.exe") == 0, "space escaped: %s", out);
	gc_escape("a\\b", 256, out, sizeof(out));
	CHECK(strcmp(out, "a\\x5cb") == 0, "backslash escaped: %s", out);
	gc_escape("\t\n\x7f\xff", 256, out, sizeof(out));
	CHECK(strcmp(out, "\\x09\\x0a\\x7f\\xff") == 0, "control and high bytes: %s", out);
	gc_escape("abcdef", 3, out, sizeof(out));
	CHECK(strcmp(out, "abc") == 0, "stops at in_max (comm without NUL): %s", out);
	gc_escape("", 16, out, sizeof(out));
	CHECK(strcmp(out, "") == 0, "empty");
	gc_escape("ab cd", 16, out, 6);
	CHECK(strcmp(out, "ab") == 0, "never splits an escape when out is short: %s", out);
	gc_escape("~!", 16, out, sizeof(out));
	CHECK(strcmp(out, "~!") == 0, "0x21 and 0x7e are kept: %s", out);
}

static void test_hdr(void)
{
	struct gc_hdr h;

	CHECK(gc_hdr_init(&h, GC_HDR_HIGHEST_NS) == 0, "init");
	/* HdrHistogram(1, 3.6e12, 3): 2048 sub-buckets, 32 buckets, counts length 33 * 1024. */
	CHECK(h.sub_bucket_half_count == 1024 && h.bucket_count == 32 &&
		      h.counts_len == 33 * 1024,
	      "shape: buckets %d counts %d", h.bucket_count, h.counts_len);
	CHECK(gc_hdr_index(&h, 0) == 0 && gc_hdr_index(&h, 2047) == 2047, "first bucket is exact");
	CHECK(gc_hdr_index(&h, 2048) == 2048 && gc_hdr_index(&h, 2049) == 2048 &&
		      gc_hdr_index(&h, 2050) == 2049,
	      "second bucket has unit 2");
	gc_hdr_record(&h, 1000);
	gc_hdr_record(&h, 1000000);
	gc_hdr_record(&h, 1000000);
	CHECK(h.total_count == 3 && h.max_value == 1000000, "record");
	CHECK(gc_hdr_value_at_percentile(&h, 10) == 1000, "p10");
	{
		int64_t p50 = gc_hdr_value_at_percentile(&h, 50);

		CHECK(p50 <= 1000000 && p50 > 999000, "p50 within 3 digits: %lld", (long long)p50);
	}
	gc_hdr_free(&h);
}

int main(void)
{
	test_valid_commands();
	test_framing();
	test_verbs();
	test_numbers();
	test_set();
	test_sched();
	test_escape();
	test_hdr();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
