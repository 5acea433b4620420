// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gamer-agent: loads probes.bpf.c, hands the 16 sample rings to the app over
 * a SOCK_SEQPACKET control connection (docs/PROTOCOL.md) and lives exactly as
 * long as that connection.
 *
 * Shape: load and attach (loader.c) -> listen -> one epoll loop (listening
 * socket, control socket, exec ring, signalfd) -> one cleanup path. What
 * goes out on the control connection goes through conn.c (its bounded queue
 * and back-pressure rules); the watched set lives in watch.c, the scheduler
 * in sched.c, benchmarks in bench.c.
 */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "agent.h"
#include "bench.h"
#include "conn.h"
#include "gamer_events.h"
#include "loader.h"
#include "probes.skel.h"
#include "sched.h"
#include "util.h"
#include "watch.h"

#define FIRST_CONNECT_TIMEOUT_MS 10000
#define REPLY_MAX CONN_LINE_MAX
/* After QUIT, how long the agent waits for the app to take the rest of its queue. */
#define QUIT_DRAIN_MS 1000
#define REJECTED_LOG_FIRST 10
#define REJECTED_LOG_PERIOD_MS 1000

enum epoll_tag {
	TAG_LISTEN,
	TAG_CONTROL,
	TAG_EXEC,
	TAG_SIGNAL
};

/* ---------------------------------------------------------------- control replies */

#define reply(a, ...) conn_printf(&(a)->ctl, __VA_ARGS__)

static int reply_err(struct agent *a, enum gc_err err, const char *msg)
{
	return reply(a, "ERR %s %s", gc_err_name(err), msg);
}

/* The 16 ring fds, then the counters map, in one packet after the HELLO reply. */
static int send_fds(struct agent *a)
{
	int fds[GC_RING_COUNT + 1];
	char name[8];

	for (int i = 0; i < GC_RING_COUNT; i++) {
		snprintf(name, sizeof(name), "rb_%d", i);
		fds[i] = bpf_map__fd(bpf_object__find_map_by_name(a->skel->obj, name));
	}
	fds[GC_RING_COUNT] = bpf_map__fd(a->skel->maps.ring_counters);
	return conn_send_fds(&a->ctl, "FDS 17", fds, GC_RING_COUNT + 1);
}

/* ---------------------------------------------------------------- commands */

static void cmd_status(struct agent *a)
{
	char sched[512];

	sched_status(a, sched, sizeof(sched));

	reply(a,
	      "OK STATUS input_hook=%s synthetic=%s watched=%d inputs_seen=%llu inputs_claimed=%llu "
	      "exec_hook=%s wakeup_bytes=%llu %s exec_dropped=%llu",
	      a->input_hook, a->synthetic, a->watched_count,
	      (unsigned long long)a->skel->bss->inputs_seen,
	      (unsigned long long)a->skel->bss->inputs_claimed, a->exec_hook,
	      (unsigned long long)a->skel->data->wakeup_bytes, sched,
	      (unsigned long long)a->ctl.exec_dropped);
}

static void cmd_set(struct agent *a, const struct gc_cmd *cmd)
{
	char line[REPLY_MAX] = "OK SET";
	size_t n = strlen(line);

	for (int i = 0; i < cmd->set_count; i++) {
		switch (cmd->set[i].key) {
		case GC_SET_WAKEUP_BYTES:
			a->skel->data->wakeup_bytes = cmd->set[i].value;
			break;
		case GC_SET_BOOST_WINDOW_US:
		case GC_SET_GAME_SLICE_US:
		case GC_SET_OTHER_SLICE_US:
		case GC_SET_PREEMPT_ON_INPUT:
			sched_set(a, cmd->set[i].key, cmd->set[i].value);
			break;
		case GC_SET_KEY_COUNT:
			break;
		}
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s=%llu",
				      gc_set_key_name(cmd->set[i].key),
				      (unsigned long long)cmd->set[i].value);
	}
	conn_send(&a->ctl, line);
}

static void cmd_bench(struct agent *a, const struct gc_cmd *cmd)
{
	char out[REPLY_MAX];
	uint64_t x, y;
	int err;

	switch (cmd->verb) {
	case GC_CMD_BENCH_FILL:
		err = bench_fill(a, cmd->ring, cmd->arg, &x, &y);
		if (err)
			goto fail;
		reply(a, "OK BENCH FILL %llu %llu", (unsigned long long)x, (unsigned long long)y);
		return;
	case GC_CMD_BENCH_CONSUME:
		err = bench_consume(a, cmd->arg == 1, &x, &y);
		if (err)
			goto fail;
		reply(a, "OK BENCH CONSUME %llu %llu", (unsigned long long)x,
		      (unsigned long long)y);
		return;
	case GC_CMD_BENCH_PINGPONG:
		err = bench_pingpong(a, cmd->arg, out, sizeof(out));
		if (err)
			goto fail;
		reply(a, "OK BENCH PINGPONG %s", out);
		return;
	default:
		return;
	}
fail:
	reply(a, "ERR INTERNAL bench failed: %s", errname(err));
}

static void handle_command(struct agent *a, const char *buf, size_t len)
{
	char msg[256];
	struct gc_cmd cmd;
	enum gc_err err = gc_parse_command(buf, len, a->bench, &cmd, msg, sizeof(msg));
	int i;

	if (err) {
		reply_err(a, err, msg);
		return;
	}
	if (!a->hello_done && cmd.verb != GC_CMD_HELLO) {
		reply_err(a, GC_ERR_STATE, "HELLO must come first");
		return;
	}
	switch (cmd.verb) {
	case GC_CMD_HELLO:
		if (a->hello_done) {
			reply_err(a, GC_ERR_STATE, "HELLO was already done");
			return;
		}
		if (reply(a, "OK HELLO %d rings=%d ring_bytes=%u cpus=%d input_hook=%s pid=%d",
			  GC_PROTOCOL_VERSION, GC_RING_COUNT, a->ring_bytes, a->cpus, a->input_hook,
			  (int)getpid()) == 0 &&
		    send_fds(a) == 0)
			a->hello_done = true;
		return;
	case GC_CMD_WATCH:
		err = watch(a, (uint32_t)cmd.arg, msg, sizeof(msg));
		if (err)
			reply_err(a, err, msg);
		else
			reply(a, "OK WATCH %llu", (unsigned long long)cmd.arg);
		return;
	case GC_CMD_UNWATCH:
		i = watched_index(a, (uint32_t)cmd.arg);
		if (i < 0) {
			reply(a, "ERR NOENT %llu is not watched", (unsigned long long)cmd.arg);
			return;
		}
		unwatch_at(a, i);
		reply(a, "OK UNWATCH %llu", (unsigned long long)cmd.arg);
		return;
	case GC_CMD_UNWATCH_ALL:
		i = a->watched_count;
		while (a->watched_count)
			unwatch_at(a, a->watched_count - 1);
		reply(a, "OK UNWATCH ALL %d", i);
		return;
	case GC_CMD_SET:
		cmd_set(a, &cmd);
		return;
	case GC_CMD_STATUS:
		cmd_status(a);
		return;
	case GC_CMD_SCHED:
		sched_command(a, cmd.arg == 1);
		return;
	case GC_CMD_PING:
		reply(a, "OK PONG");
		return;
	case GC_CMD_QUIT:
		reply(a, "OK BYE");
		a->quit = true;
		a->quit_asked = true;
		return;
	case GC_CMD_BENCH_FILL:
	case GC_CMD_BENCH_CONSUME:
	case GC_CMD_BENCH_PINGPONG:
		cmd_bench(a, &cmd);
		return;
	}
}

/* ---------------------------------------------------------------- exec ring */

static int handle_exec_event(void *ctx, void *data, size_t size)
{
	struct agent *a = ctx;
	const struct gc_exec_event *e = data;
	char comm[4 * GC_COMM_LEN + 1], path[4 * GC_PATH_LEN + 1];
	char line[sizeof(comm) + sizeof(path) + 32];
	int i;

	if (size < sizeof(*e))
		return 0;
	if (e->what == GC_EXEC_EXIT) {
		i = watched_index(a, e->pid);
		if (i < 0)
			return 0;
		unwatch_at(a, i);
		if (a->hello_done)
			reply(a, "EXITED %u", e->pid);
		return 0;
	}
	if (!a->hello_done)
		return 0;
	gc_escape(e->comm, GC_COMM_LEN, comm, sizeof(comm));
	gc_escape(e->path, GC_PATH_LEN, path, sizeof(path));
	snprintf(line, sizeof(line), "EXEC %u %u %s %s", e->pid, e->ppid, comm, path);
	/* Best effort: an exec storm while the app does not read is counted, not queued without end. */
	conn_send_exec(&a->ctl, line);
	return 0;
}

/* ---------------------------------------------------------------- sockets and the loop */

static int epoll_add(int epfd, int fd, enum epoll_tag tag, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.u32 = tag };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

/*
 * Listens on an abstract socket whose name the kernel picks (autobind: bind
 * with only the address family) and writes it into name. A name the app
 * chose, passed on our command line, was visible in /proc/<pid>/cmdline
 * before we bound it, and another uid could bind it first and keep the agent
 * from ever starting. An autobound name exists only once it is ours; the app
 * learns it from the LISTENING line and checks the peer it reached
 * (SO_PEERCRED pid), and we check the peer's uid.
 */
static int listen_autobind(char *name, size_t name_len)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(sa_family_t);
	size_t n;
	int fd, err;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, len) || listen(fd, 4))
		goto fail;
	len = sizeof(addr);
	if (getsockname(fd, (struct sockaddr *)&addr, &len))
		goto fail;
	/* The kernel's autobind name: a NUL, then five hex digits. Anything else is not ours to print. */
	n = len > offsetof(struct sockaddr_un, sun_path) + 1
		    ? len - offsetof(struct sockaddr_un, sun_path) - 1
		    : 0;
	if (addr.sun_path[0] != '\0' || n == 0 || n >= name_len) {
		close(fd);
		return -EPROTO;
	}
	for (size_t i = 1; i <= n; i++) {
		char c = addr.sun_path[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			close(fd);
			return -EPROTO;
		}
	}
	memcpy(name, addr.sun_path + 1, n);
	name[n] = '\0';
	return fd;
fail:
	err = -errno;
	close(fd);
	return err;
}

/*
 * Another uid may connect as often as it likes (each one is closed at once),
 * and stderr is the app's pipe or the journal: the first REJECTED_LOG_FIRST
 * rejections are logged one by one, the rest as one counted line at most
 * every REJECTED_LOG_PERIOD_MS, and whatever is left when listening stops.
 */
static void flush_rejected(struct agent *a)
{
	if (!a->rejected_unlogged)
		return;
	fprintf(stderr,
		"rejected %llu more connections from other uids (last from uid %d; %llu in all; "
		"allowed: %d)\n",
		(unsigned long long)a->rejected_unlogged, a->rejected_last_uid,
		(unsigned long long)a->rejected_total, (int)a->allowed_uid);
	a->rejected_unlogged = 0;
	a->rejected_logged_ms = now_ms();
}

static void log_rejected(struct agent *a, int uid)
{
	a->rejected_total++;
	a->rejected_last_uid = uid;
	if (a->rejected_total <= REJECTED_LOG_FIRST) {
		fprintf(stderr, "rejected a connection from uid %d (allowed: %d)\n", uid,
			(int)a->allowed_uid);
		a->rejected_logged_ms = now_ms();
		return;
	}
	a->rejected_unlogged++;
	if (now_ms() - a->rejected_logged_ms >= REJECTED_LOG_PERIOD_MS)
		flush_rejected(a);
}

static void accept_control(struct agent *a)
{
	struct ucred cred;
	socklen_t cred_len = sizeof(cred);
	/* Non-blocking: the agent never waits for the app (conn.c queues what does not fit). */
	int fd = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	int err;

	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cred_len) ||
	    cred.uid != a->allowed_uid) {
		close(fd);
		log_rejected(a, cred_len == sizeof(cred) ? (int)cred.uid : -1);
		return;
	}
	err = conn_attach(&a->ctl, fd, a->epoll_fd, TAG_CONTROL);
	if (err) {
		fprintf(stderr, "failed to set up the control connection: %s\n", errname(err));
		close(fd);
		a->quit = true;
		return;
	}
	/* Exactly one control connection: nobody else may connect from now on. */
	epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, a->listen_fd, NULL);
	close(a->listen_fd);
	a->listen_fd = -1;
	flush_rejected(a);
	if (a->verbose)
		fprintf(stderr, "control connection from pid %d uid %d\n", (int)cred.pid,
			(int)cred.uid);
}

/*
 * One epoll report of the control socket. A peer that is gone (HUP, RDHUP,
 * ERR) ends the agent at once: replies to nobody are pointless. Commands are
 * read only while the outgoing queue is short (conn_may_read): a client that
 * sends without reading waits in its own send(), not in our memory.
 */
static void on_control(struct agent *a, uint32_t events)
{
	char buf[GC_CMD_MAX_BYTES + 1];

	if (events & (EPOLLHUP | EPOLLRDHUP | EPOLLERR)) {
		if (a->verbose)
			fprintf(stderr, "control connection closed\n");
		a->quit = true;
		return;
	}
	if (events & EPOLLOUT)
		conn_on_writable(&a->ctl);
	while (!a->quit && !a->ctl.broken && conn_may_read(&a->ctl)) {
		ssize_t n = recv(a->ctl.fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				break;
			fprintf(stderr, "control connection: recv failed: %s\n", errname(errno));
			a->quit = true;
			return;
		}
		handle_command(a, buf, (size_t)n);
	}
}

static int run(struct agent *a)
{
	int64_t deadline = now_ms() + FIRST_CONNECT_TIMEOUT_MS;
	struct epoll_event evs[8];

	while (!a->quit) {
		int timeout = -1, n;

		if (a->ctl.fd < 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0) {
				fprintf(stderr, "no control connection within %d s: exiting\n",
					FIRST_CONNECT_TIMEOUT_MS / 1000);
				return 1;
			}
			timeout = (int)left;
		}
		n = epoll_wait(a->epoll_fd, evs, 8, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "failed to wait for events: %s\n", errname(errno));
			return 1;
		}
		for (int i = 0; i < n && !a->quit; i++) {
			switch (evs[i].data.u32) {
			case TAG_LISTEN:
				if (a->ctl.fd < 0)
					accept_control(a);
				break;
			case TAG_CONTROL:
				on_control(a, evs[i].events);
				break;
			case TAG_EXEC:
				ring_buffer__consume(a->exec_rb);
				break;
			case GC_EPOLL_TAG_SCHED:
				sched_on_event(a);
				break;
			case TAG_SIGNAL: {
				struct signalfd_siginfo si;

				if (read(a->signal_fd, &si, sizeof(si)) == sizeof(si) && a->verbose)
					fprintf(stderr, "signal %u: exiting\n", si.ssi_signo);
				a->quit = true;
				break;
			}
			}
			/* A send failed for good (EPIPE, ECONNRESET): the app is gone. */
			if (a->ctl.broken)
				a->quit = true;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- main */

static const char doc[] =
	"gamer-agent: BPF latency probes for Gamer Companion, controlled over a socket.\n"
	"\n"
	"USAGE: gamer-agent [--ring-kib N] [--bench] [-v]\n"
	"Prints LISTENING @NAME (the abstract socket name the kernel chose) or FAILED <step>: <error>.\n";

static const struct argp_option options[] = {
	{ "ring-kib", 'r', "N", 0, "size of each sample ring in KiB (power of two, 64..65536)", 0 },
	{ "bench", 'b', NULL, 0, "load the benchmark programs and accept BENCH commands", 0 },
	{ "verbose", 'v', NULL, 0, "libbpf debug output", 0 },
	/* The VM test's "someone else's scheduler": the same scheduler under another ops name. */
	{ "test-ops-name", 'T', "NAME", OPTION_HIDDEN, "attach the scheduler as NAME (tests only)",
	  0 },
	{ 0 },
};

struct args {
	uint32_t ring_kib;
	bool bench;
	const char *test_ops_name;
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	struct args *args = state->input;
	uint64_t v;

	switch (key) {
	case 'r':
		if (gc_parse_u64(arg, strlen(arg), &v) || v < GC_RING_BYTES_MIN / 1024 ||
		    v > GC_RING_BYTES_MAX / 1024 || (v & (v - 1)))
			argp_error(state, "--ring-kib must be a power of two in %u..%u (was %s)",
				   GC_RING_BYTES_MIN / 1024, GC_RING_BYTES_MAX / 1024, arg);
		args->ring_kib = (uint32_t)v;
		break;
	case 'b':
		args->bench = true;
		break;
	case 'v':
		gc_verbose = true;
		break;
	case 'T':
		args->test_ops_name = arg;
		break;
	case ARGP_KEY_ARG:
		argp_usage(state);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/*
 * The one uid whose connection is accepted (SO_PEERCRED). pkexec makes us root
 * (real uid 0) and sets PKEXEC_UID to the user who asked; that is the only case
 * in which the variable is trusted. Anywhere else it is whatever the caller put
 * into our environment (e.g. a user running a copy with file capabilities), so
 * the real uid stands. A set but malformed value under root is refused rather
 * than guessed around: it means the launch was not what we think.
 */
static int allowed_uid(uid_t *uid)
{
	const char *pkexec_uid = getenv("PKEXEC_UID");
	uint64_t v;

	*uid = getuid();
	if (!pkexec_uid)
		return 0;
	if (*uid != 0) {
		fprintf(stderr, "PKEXEC_UID ignored: not started as root by pkexec (real uid %u)\n",
			(unsigned int)*uid);
		return 0;
	}
	/* Strict decimal, no sign or leading zeros; (uid_t)-1 is "no uid". */
	if (gc_parse_u64(pkexec_uid, strlen(pkexec_uid), &v) || v >= UINT32_MAX)
		return -EINVAL;
	*uid = (uid_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp argp = { .options = options, .parser = parse_arg, .doc = doc };
	struct args args = { .ring_kib = GC_RING_BYTES_DEFAULT / 1024 };
	struct agent a = { .listen_fd = -1, .epoll_fd = -1, .signal_fd = -1 };
	char socket_name[sizeof(((struct sockaddr_un *)0)->sun_path)];
	sigset_t mask;
	int err, exit_code = 1;

	conn_init(&a.ctl);
	err = argp_parse(&argp, argc, argv, 0, NULL, &args);
	if (err)
		return 1;
	a.bench = args.bench;
	a.verbose = gc_verbose;
	a.ring_bytes = args.ring_kib * 1024;
	libbpf_set_print(gc_libbpf_print);

	/* The app that started us is the only reason to live. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	err = allowed_uid(&a.allowed_uid);
	if (err) {
		report_failure("parse PKEXEC_UID", err);
		return 1;
	}
	a.cpus = libbpf_num_possible_cpus();
	if (a.cpus < 0) {
		report_failure("count CPUs", a.cpus);
		return 1;
	}

	err = sched_init(&a);
	if (err) {
		report_failure("allocate the scheduler state", err);
		goto cleanup;
	}
	if (args.test_ops_name) {
		err = sched_set_test_ops_name(&a, args.test_ops_name);
		if (err) {
			report_failure("set --test-ops-name ([a-z0-9_], 1..31 characters)", err);
			goto cleanup;
		}
	}
	err = load_with_input_hook(&a);
	if (err)
		goto cleanup;
	if (strncmp(a.input_hook, "attached", 8))
		fprintf(stderr, "input hook: %s\n", a.input_hook);
	err = attach_all(&a);
	if (err)
		goto cleanup;

	a.exec_rb =
		ring_buffer__new(bpf_map__fd(a.skel->maps.exec_rb), handle_exec_event, &a, NULL);
	if (!a.exec_rb) {
		err = -errno;
		report_failure("create exec ring buffer", err);
		goto cleanup;
	}
	a.signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	a.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (a.signal_fd < 0 || a.epoll_fd < 0) {
		err = -errno;
		report_failure("create signalfd/epoll", err);
		goto cleanup;
	}
	a.listen_fd = listen_autobind(socket_name, sizeof(socket_name));
	if (a.listen_fd < 0) {
		err = a.listen_fd;
		report_failure("listen on the control socket", err);
		goto cleanup;
	}
	err = epoll_add(a.epoll_fd, a.listen_fd, TAG_LISTEN, EPOLLIN);
	if (!err)
		err = epoll_add(a.epoll_fd, ring_buffer__epoll_fd(a.exec_rb), TAG_EXEC, EPOLLIN);
	if (!err)
		err = epoll_add(a.epoll_fd, a.signal_fd, TAG_SIGNAL, EPOLLIN);
	if (err) {
		report_failure("set up epoll", err);
		goto cleanup;
	}

	printf("LISTENING @%s\n", socket_name);
	fflush(stdout);
	if (gc_verbose)
		fprintf(stderr, "input_hook=%s synthetic=%s exec_hook=%s ring_bytes=%u\n",
			a.input_hook, a.synthetic, a.exec_hook, a.ring_bytes);
	exit_code = run(&a);

	/* QUIT promises "OK BYE" (and whatever waits before it) to a reader that reads. */
	if (a.quit_asked)
		conn_drain(&a.ctl, QUIT_DRAIN_MS);

cleanup:
	flush_rejected(&a);
	sched_cleanup(&a);
	conn_close(&a.ctl);
	if (a.listen_fd >= 0)
		close(a.listen_fd);
	if (a.epoll_fd >= 0)
		close(a.epoll_fd);
	if (a.signal_fd >= 0)
		close(a.signal_fd);
	ring_buffer__free(a.bench_rb);
	ring_buffer__free(a.exec_rb);
	probes__destroy(a.skel);
	return err ? 1 : exit_code;
}
