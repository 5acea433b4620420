// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* control.c: the control protocol's grammar and validation. See control.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "control.h"
#include "gamer_events.h"
#include "gamer_sched.h"

#define MAX_TOKENS (2 + GC_SET_MAX_PAIRS + 1) /* one more than any command takes */
#define U64_MAX_DIGITS 19

struct token {
	const char *s;
	size_t len;
};

static const char *const err_names[] = {
	[GC_OK] = "OK",
	[GC_ERR_SYNTAX] = "SYNTAX",
	[GC_ERR_UNKNOWN] = "UNKNOWN",
	[GC_ERR_RANGE] = "RANGE",
	[GC_ERR_TOOLONG] = "TOOLONG",
	[GC_ERR_STATE] = "STATE",
	[GC_ERR_NOENT] = "NOENT",
	[GC_ERR_LIMIT] = "LIMIT",
	[GC_ERR_VERSION] = "VERSION",
	[GC_ERR_INTERNAL] = "INTERNAL",
};

static const struct {
	const char *name;
	uint64_t min, max;
} set_keys[GC_SET_KEY_COUNT] = {
	[GC_SET_WAKEUP_BYTES] = { "wakeup_bytes", 0, GC_WAKEUP_BYTES_MAX },
	[GC_SET_BOOST_WINDOW_US] = { "boost_window_us", 0, GC_BOOST_WINDOW_US_MAX },
	[GC_SET_GAME_SLICE_US] = { "game_slice_us", GC_SLICE_US_MIN, GC_SLICE_US_MAX },
	[GC_SET_OTHER_SLICE_US] = { "other_slice_us", GC_SLICE_US_MIN, GC_SLICE_US_MAX },
	[GC_SET_PREEMPT_ON_INPUT] = { "preempt_on_input", 0, 1 },
};

const char *gc_err_name(enum gc_err err)
{
	if ((size_t)err >= sizeof(err_names) / sizeof(err_names[0]))
		return "INTERNAL";
	return err_names[err];
}

const char *gc_set_key_name(enum gc_set_key key)
{
	return (size_t)key < GC_SET_KEY_COUNT ? set_keys[key].name : "?";
}

int gc_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > U64_MAX_DIGITS || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0'); /* 19 digits cannot overflow 64 bits */
	}
	*out = v;
	return 0;
}

static bool tok_is(const struct token *t, const char *word)
{
	return t->len == strlen(word) && memcmp(t->s, word, t->len) == 0;
}

__attribute__((format(printf, 4, 5))) static enum gc_err fail(enum gc_err err, char *msg,
							      size_t msg_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msg_len, fmt, ap);
	va_end(ap);
	return err;
}

/* A number token with an inclusive range; `what` names it in the message. */
static enum gc_err number(const struct token *t, const char *what, uint64_t min, uint64_t max,
			  uint64_t *out, char *msg, size_t msg_len)
{
	if (gc_parse_u64(t->s, t->len, out))
		return fail(GC_ERR_SYNTAX, msg, msg_len,
			    "%s must be an unsigned decimal number without sign or leading zeros",
			    what);
	if (*out < min || *out > max)
		return fail(GC_ERR_RANGE, msg, msg_len, "%s must be %llu..%llu (was %llu)", what,
			    (unsigned long long)min, (unsigned long long)max,
			    (unsigned long long)*out);
	return GC_OK;
}

static enum gc_err want_args(size_t ntok, size_t want, const char *usage, char *msg, size_t msg_len)
{
	if (ntok == want)
		return GC_OK;
	return fail(GC_ERR_SYNTAX, msg, msg_len, "usage: %s", usage);
}

static enum gc_err parse_set(const struct token *tok, size_t ntok, struct gc_cmd *cmd, char *msg,
			     size_t msg_len)
{
	enum gc_err err;

	if (ntok < 2 || ntok > 1 + GC_SET_MAX_PAIRS)
		return fail(GC_ERR_SYNTAX, msg, msg_len,
			    "usage: SET <key>=<value> ... (1..%d pairs)", GC_SET_MAX_PAIRS);
	cmd->set_count = 0;
	for (size_t i = 1; i < ntok; i++) {
		const char *eq = memchr(tok[i].s, '=', tok[i].len);
		struct token key, value;
		int k;

		if (!eq)
			return fail(GC_ERR_SYNTAX, msg, msg_len,
				    "expected <key>=<value>, got '%.*s'",
				    (int)(tok[i].len > 40 ? 40 : tok[i].len), tok[i].s);
		key = (struct token){ tok[i].s, (size_t)(eq - tok[i].s) };
		value = (struct token){ eq + 1, tok[i].len - key.len - 1 };
		for (k = 0; k < GC_SET_KEY_COUNT; k++)
			if (tok_is(&key, set_keys[k].name))
				break;
		if (k == GC_SET_KEY_COUNT)
			return fail(GC_ERR_UNKNOWN, msg, msg_len,
				    "unknown key '%.*s' (known: wakeup_bytes boost_window_us "
				    "game_slice_us other_slice_us preempt_on_input)",
				    (int)(key.len > 40 ? 40 : key.len), key.s);
		for (int j = 0; j < cmd->set_count; j++)
			if (cmd->set[j].key == (enum gc_set_key)k)
				return fail(GC_ERR_SYNTAX, msg, msg_len, "key %s given twice",
					    set_keys[k].name);
		err = number(&value, set_keys[k].name, set_keys[k].min, set_keys[k].max,
			     &cmd->set[cmd->set_count].value, msg, msg_len);
		if (err)
			return err;
		cmd->set[cmd->set_count++].key = (enum gc_set_key)k;
	}
	return GC_OK;
}

static enum gc_err parse_bench(const struct token *tok, size_t ntok, struct gc_cmd *cmd, char *msg,
			       size_t msg_len)
{
	enum gc_err err;
	uint64_t v;

	if (ntok < 2)
		return fail(GC_ERR_SYNTAX, msg, msg_len, "usage: BENCH FILL|CONSUME|PINGPONG ...");
	if (tok_is(&tok[1], "FILL")) {
		if ((err = want_args(ntok, 4, "BENCH FILL <ring 0..15|ALL> <count>", msg, msg_len)))
			return err;
		cmd->verb = GC_CMD_BENCH_FILL;
		if (tok_is(&tok[2], "ALL")) {
			cmd->ring = GC_RING_ALL;
		} else {
			if ((err = number(&tok[2], "ring", 0, GC_RING_COUNT - 1, &v, msg, msg_len)))
				return err;
			cmd->ring = (int)v;
		}
		return number(&tok[3], "count", 1, GC_BENCH_FILL_MAX, &cmd->arg, msg, msg_len);
	}
	if (tok_is(&tok[1], "CONSUME")) {
		if ((err = want_args(ntok, 3, "BENCH CONSUME <work 0|1>", msg, msg_len)))
			return err;
		cmd->verb = GC_CMD_BENCH_CONSUME;
		return number(&tok[2], "work", 0, 1, &cmd->arg, msg, msg_len);
	}
	if (tok_is(&tok[1], "PINGPONG")) {
		if ((err = want_args(ntok, 3, "BENCH PINGPONG <round trips>", msg, msg_len)))
			return err;
		cmd->verb = GC_CMD_BENCH_PINGPONG;
		return number(&tok[2], "round trips", 1, GC_BENCH_PINGPONG_MAX, &cmd->arg, msg,
			      msg_len);
	}
	return fail(GC_ERR_UNKNOWN, msg, msg_len, "unknown BENCH command '%.*s'",
		    (int)(tok[1].len > 20 ? 20 : tok[1].len), tok[1].s);
}

enum gc_err gc_parse_command(const char *buf, size_t len, bool bench, struct gc_cmd *cmd, char *msg,
			     size_t msg_len)
{
	struct token tok[MAX_TOKENS];
	size_t ntok = 0, start = 0;
	enum gc_err err;

	memset(cmd, 0, sizeof(*cmd));
	msg[0] = '\0';
	if (len > GC_CMD_MAX_BYTES)
		return fail(GC_ERR_TOOLONG, msg, msg_len, "a command is at most %d bytes (was %zu)",
			    GC_CMD_MAX_BYTES, len);
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len == 0)
		return fail(GC_ERR_SYNTAX, msg, msg_len, "empty command");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e)
			return fail(GC_ERR_SYNTAX, msg, msg_len,
				    "only printable ASCII is allowed (byte 0x%02x at offset %zu)",
				    (unsigned char)buf[i], i);
	for (size_t i = 0; i <= len; i++) {
		if (i < len && buf[i] != ' ')
			continue;
		if (i == start)
			return fail(
				GC_ERR_SYNTAX, msg, msg_len,
				"tokens are separated by single spaces (empty token at offset %zu)",
				i);
		if (ntok == MAX_TOKENS)
			return fail(GC_ERR_SYNTAX, msg, msg_len, "too many arguments");
		tok[ntok++] = (struct token){ buf + start, i - start };
		start = i + 1;
	}

	if (tok_is(&tok[0], "HELLO")) {
		cmd->verb = GC_CMD_HELLO;
		if ((err = want_args(ntok, 2, "HELLO <version>", msg, msg_len)))
			return err;
		if (gc_parse_u64(tok[1].s, tok[1].len, &cmd->arg))
			return fail(GC_ERR_SYNTAX, msg, msg_len, "version must be a number");
		if (cmd->arg != GC_PROTOCOL_VERSION)
			return fail(GC_ERR_VERSION, msg, msg_len,
				    "only protocol version %d is spoken (was %llu)",
				    GC_PROTOCOL_VERSION, (unsigned long long)cmd->arg);
		return GC_OK;
	}
	if (tok_is(&tok[0], "WATCH") || tok_is(&tok[0], "UNWATCH")) {
		bool watch = tok[0].len == 5;

		cmd->verb = watch ? GC_CMD_WATCH : GC_CMD_UNWATCH;
		if ((err = want_args(ntok, 2, watch ? "WATCH <tgid>" : "UNWATCH <tgid>|ALL", msg,
				     msg_len)))
			return err;
		if (!watch && tok_is(&tok[1], "ALL")) {
			cmd->verb = GC_CMD_UNWATCH_ALL;
			return GC_OK;
		}
		return number(&tok[1], "tgid", 1, GC_TGID_MAX, &cmd->arg, msg, msg_len);
	}
	if (tok_is(&tok[0], "SET")) {
		cmd->verb = GC_CMD_SET;
		return parse_set(tok, ntok, cmd, msg, msg_len);
	}
	if (tok_is(&tok[0], "STATUS") || tok_is(&tok[0], "PING") || tok_is(&tok[0], "QUIT")) {
		cmd->verb = tok[0].s[0] == 'S'	 ? GC_CMD_STATUS
			    : tok[0].s[0] == 'P' ? GC_CMD_PING
						 : GC_CMD_QUIT;
		return want_args(ntok, 1,
				 tok[0].s[0] == 'S'   ? "STATUS"
				 : tok[0].s[0] == 'P' ? "PING"
						      : "QUIT",
				 msg, msg_len);
	}
	if (tok_is(&tok[0], "SCHED")) {
		cmd->verb = GC_CMD_SCHED;
		if ((err = want_args(ntok, 2, "SCHED ON|OFF", msg, msg_len)))
			return err;
		if (tok_is(&tok[1], "ON") || tok_is(&tok[1], "OFF")) {
			cmd->arg = tok[1].len == 2;
			return GC_OK;
		}
		return fail(GC_ERR_SYNTAX, msg, msg_len, "usage: SCHED ON|OFF");
	}
	if (bench && tok_is(&tok[0], "BENCH"))
		return parse_bench(tok, ntok, cmd, msg, msg_len);
	return fail(GC_ERR_UNKNOWN, msg, msg_len, "unknown command '%.*s'",
		    (int)(tok[0].len > 20 ? 20 : tok[0].len), tok[0].s);
}

size_t gc_escape(const char *in, size_t in_max, char *out, size_t out_len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < in_max && in[i]; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x21 && c <= 0x7e && c != '\\') {
			if (o + 1 >= out_len)
				break;
			out[o++] = (char)c;
		} else {
			if (o + 4 >= out_len)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return o;
}
