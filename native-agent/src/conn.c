// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * conn.c: the control connection's outgoing side. See conn.h for the rules.
 *
 * Why a queue and not a blocking send: the app may stop reading for a while
 * (a GC pause, a game launch, a suspended laptop) while EXEC lines keep
 * coming. A blocking send would stall the agent, and a send timeout would
 * end it; neither is acceptable for a reader that is merely slow. So every
 * send is MSG_DONTWAIT; what does not fit waits in the queue, and EPOLLOUT
 * flushes it. Order is kept: once anything waits, every new packet queues
 * behind it.
 *
 * Memory: a packet is one malloc of its own length. The queue holds fewer
 * than CONN_READ_QUEUE_MAX packets plus what one command and the bounded
 * asynchronous lines add (conn.h), each at most CONN_LINE_MAX bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "conn.h"
#include "util.h"

struct conn_packet {
	struct conn_packet *next;
	size_t len;
	int nfds;
	int fds[CONN_MAX_FDS];
	char data[];
};

void conn_init(struct conn *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->epoll_fd = -1;
}

/* The interest set follows the queue: EPOLLOUT while packets wait, EPOLLIN while commands may be read. */
static void update_interest(struct conn *c)
{
	uint32_t events = EPOLLRDHUP;
	struct epoll_event ev;

	if (c->fd < 0 || c->broken)
		return;
	if (c->queued)
		events |= EPOLLOUT;
	if (conn_may_read(c))
		events |= EPOLLIN;
	if (events == c->epoll_events)
		return;
	ev = (struct epoll_event){ .events = events, .data.u32 = c->epoll_tag };
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev)) {
		fprintf(stderr, "control connection: epoll_ctl: %s\n", errname(errno));
		c->broken = true;
		return;
	}
	c->epoll_events = events;
}

int conn_attach(struct conn *c, int fd, int epoll_fd, uint32_t epoll_tag)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.u32 = epoll_tag };

	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	c->fd = fd;
	c->epoll_fd = epoll_fd;
	c->epoll_tag = epoll_tag;
	c->epoll_events = ev.events;
	return 0;
}

static void free_queue(struct conn *c)
{
	while (c->head) {
		struct conn_packet *p = c->head;

		c->head = p->next;
		free(p);
	}
	c->tail = NULL;
	c->queued = 0;
}

void conn_close(struct conn *c)
{
	free_queue(c);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* One sendmsg without blocking: 1 sent, 0 the socket is full, -errno the connection is gone. */
static int try_send(struct conn *c, const struct conn_packet *p)
{
	struct iovec iov = { .iov_base = (void *)p->data, .iov_len = p->len };
	char cbuf[CMSG_SPACE(sizeof(int) * CONN_MAX_FDS)] = { 0 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (p->nfds) {
		struct cmsghdr *cmsg;

		msg.msg_control = cbuf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)p->nfds);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)p->nfds);
		memcpy(CMSG_DATA(cmsg), p->fds, sizeof(int) * (size_t)p->nfds);
	}
	for (;;) {
		if (sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0)
			return 1;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return -errno;
	}
}

static void mark_broken(struct conn *c, int err)
{
	if (!c->broken)
		fprintf(stderr, "control connection: send failed: %s\n", errname(err));
	c->broken = true;
	free_queue(c);
}

/* Sends p at once when nothing waits and the socket has room, else queues it (taking p). */
static int push(struct conn *c, struct conn_packet *p)
{
	int sent;

	if (c->broken) {
		free(p);
		return -EPIPE;
	}
	if (!c->head) {
		sent = try_send(c, p);
		if (sent < 0) {
			free(p);
			mark_broken(c, sent);
			return sent;
		}
		if (sent) {
			free(p);
			return 0;
		}
	}
	p->next = NULL;
	if (c->tail)
		c->tail->next = p;
	else
		c->head = p;
	c->tail = p;
	c->queued++;
	update_interest(c);
	return 0;
}

static struct conn_packet *packet(const char *line, const int *fds, int nfds)
{
	size_t len = strnlen(line, CONN_LINE_MAX);
	struct conn_packet *p;

	if (nfds < 0 || nfds > CONN_MAX_FDS)
		return NULL;
	p = malloc(sizeof(*p) + len);
	if (!p)
		return NULL;
	p->next = NULL;
	p->len = len;
	p->nfds = nfds;
	if (nfds)
		memcpy(p->fds, fds, sizeof(int) * (size_t)nfds);
	memcpy(p->data, line, len);
	return p;
}

static int send_line(struct conn *c, const char *line, const int *fds, int nfds)
{
	struct conn_packet *p;

	if (c->fd < 0)
		return -ENOTCONN;
	if (c->broken)
		return -EPIPE;
	p = packet(line, fds, nfds);
	if (!p) {
		/* A line we must not drop and cannot keep: the stream would lie, so it ends. */
		fprintf(stderr, "control connection: out of memory for an outgoing line\n");
		c->broken = true;
		free_queue(c);
		return -ENOMEM;
	}
	return push(c, p);
}

/* "DROPPED EXEC <n>" in the place of the dropped lines, once anything else follows them. */
static int report_drops(struct conn *c)
{
	char line[64];

	if (!c->exec_unreported)
		return 0;
	snprintf(line, sizeof(line), "DROPPED EXEC %llu", (unsigned long long)c->exec_unreported);
	c->exec_unreported = 0;
	return send_line(c, line, NULL, 0);
}

int conn_send(struct conn *c, const char *line)
{
	int err = report_drops(c);

	return err ? err : send_line(c, line, NULL, 0);
}

int conn_printf(struct conn *c, const char *fmt, ...)
{
	char line[CONN_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return conn_send(c, line);
}

int conn_send_fds(struct conn *c, const char *line, const int *fds, int nfds)
{
	int err = report_drops(c);

	return err ? err : send_line(c, line, fds, nfds);
}

void conn_send_exec(struct conn *c, const char *line)
{
	if (c->fd < 0 || c->broken)
		return;
	if (c->queued >= CONN_EXEC_QUEUE_MAX) {
		c->exec_dropped++;
		c->exec_unreported++;
		return;
	}
	if (report_drops(c) == 0)
		send_line(c, line, NULL, 0);
}

void conn_on_writable(struct conn *c)
{
	while (c->head && !c->broken) {
		struct conn_packet *p = c->head;
		int sent = try_send(c, p);

		if (sent < 0) {
			mark_broken(c, sent);
			return;
		}
		if (!sent)
			break;
		c->head = p->next;
		if (!c->head)
			c->tail = NULL;
		c->queued--;
		free(p);
	}
	/* Room again: the app learns of the drops now, not only with the next line. */
	if (c->queued < CONN_EXEC_QUEUE_MAX)
		report_drops(c);
	update_interest(c);
}

bool conn_may_read(const struct conn *c)
{
	return c->queued < CONN_READ_QUEUE_MAX;
}

void conn_drain(struct conn *c, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;

	while (c->head && !c->broken) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };
		int64_t left = deadline - now_ms();

		if (left <= 0)
			return;
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return;
		if (pfd.revents & (POLLHUP | POLLERR))
			return;
		conn_on_writable(c);
	}
}
