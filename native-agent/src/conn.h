/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * conn.h: the agent's end of the control connection (conn.c). Everything the
 * agent sends goes through one FIFO queue of packets that is flushed without
 * ever blocking; the rules (docs/PROTOCOL.md, "Back-pressure"):
 * - replies, EXITED, SCHED and DROPPED lines are never dropped;
 * - an EXEC line is dropped and counted while CONN_EXEC_QUEUE_MAX packets
 *   wait; the count goes out as "DROPPED EXEC <n>" in the dropped lines'
 *   place in the stream: before the next line of any kind, or as soon as the
 *   queue has room again;
 * - while CONN_READ_QUEUE_MAX packets wait no command is read (conn_may_read),
 *   so one reply per command bounds the replies; EXITED is bounded by the
 *   watch slots, SCHED by the scheduler's restart limit;
 * - a reader that is slow but alive never ends the connection; a send that
 *   fails with anything but EAGAIN (EPIPE, ECONNRESET: the peer is gone)
 *   marks it broken, and the agent exits.
 */
#ifndef GC_CONN_H
#define GC_CONN_H

#include <stdbool.h>
#include <stdint.h>

/* EXEC lines are dropped while this many packets wait. */
#define CONN_EXEC_QUEUE_MAX 128
/* Commands are not read while this many packets wait. */
#define CONN_READ_QUEUE_MAX 256
/* The longest packet the agent sends (a STATUS reply is the longest, about 700 bytes). */
#define CONN_LINE_MAX 4096
#define CONN_MAX_FDS 32

struct conn_packet;

struct conn {
	int fd; /* -1 while there is no connection */
	int epoll_fd;
	uint32_t epoll_tag;    /* epoll_event.data.u32 of the connection */
	uint32_t epoll_events; /* the interest set registered now */
	struct conn_packet *head, *tail;
	unsigned int queued;	  /* packets in the queue */
	uint64_t exec_dropped;	  /* every EXEC line dropped so far (STATUS exec_dropped) */
	uint64_t exec_unreported; /* dropped since the last DROPPED line */
	bool broken;		  /* the peer is gone: the agent ends */
};

/* No connection yet. */
void conn_init(struct conn *c);
/* Takes over a connected, non-blocking socket and registers it with epoll. 0 or -errno. */
int conn_attach(struct conn *c, int fd, int epoll_fd, uint32_t epoll_tag);
/* Frees the queue and closes the socket. */
void conn_close(struct conn *c);

/* A reply, EXITED or SCHED line: sent or queued, never dropped. 0, or -errno once broken. */
int conn_send(struct conn *c, const char *line);
__attribute__((format(printf, 2, 3))) int conn_printf(struct conn *c, const char *fmt, ...);
/* One packet that carries nfds descriptors (SCM_RIGHTS); the agent keeps them open. */
int conn_send_fds(struct conn *c, const char *line, const int *fds, int nfds);
/* An EXEC line: sent, queued, or dropped and counted when the queue is long. */
void conn_send_exec(struct conn *c, const char *line);

/* EPOLLOUT: sends what waits, until the socket is full again. */
void conn_on_writable(struct conn *c);
/* False while the queue is so long that commands must wait. */
bool conn_may_read(const struct conn *c);
/* Blocks up to timeout_ms to send what waits (after QUIT: "OK BYE" must arrive). */
void conn_drain(struct conn *c, int timeout_ms);

#endif /* GC_CONN_H */
