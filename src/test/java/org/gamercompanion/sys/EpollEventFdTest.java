package org.gamercompanion.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class EpollEventFdTest {
    @Test
    void epollEventIsTwelveBytesPackedOnX8664() {
        if (System.getProperty("os.arch").equals("amd64")) {
            assertThat(Epoll.EVENT.byteSize()).isEqualTo(12);
        } else {
            assertThat(Epoll.EVENT.byteSize()).isEqualTo(16);
        }
    }

    @Test
    void signalledEventFdWakesEpollWithItsData() throws Exception {
        try (Epoll epoll = Epoll.create();
                EventFd first = EventFd.create();
                EventFd second = EventFd.create();
                Arena arena = Arena.ofConfined()) {
            epoll.add(first.fd(), Epoll.EPOLLIN, 0x1_0000_0001L);
            epoll.add(second.fd(), Epoll.EPOLLIN, -1);
            Epoll.Events ready = Epoll.Events.allocate(4, arena);

            second.signal(3);
            first.signal(1);
            int n = epoll.wait(ready, 5_000);

            assertThat(n).isEqualTo(2);
            assertThat(new long[] {ready.data(0), ready.data(1)})
                    .containsExactlyInAnyOrder(0x1_0000_0001L, -1L);
            assertThat(ready.events(0) & Epoll.EPOLLIN).isEqualTo(Epoll.EPOLLIN);
            assertThat(second.drain()).isEqualTo(3);
            assertThat(first.drain()).isEqualTo(1);
            assertThat(epoll.wait(ready, 0)).isZero();
        }
    }

    @Test
    void epollWaitTimesOutWithZero() throws Exception {
        try (Epoll epoll = Epoll.create();
                EventFd idle = EventFd.create();
                Arena arena = Arena.ofConfined()) {
            epoll.add(idle.fd(), Epoll.EPOLLIN, 1);

            assertThat(epoll.wait(Epoll.Events.allocate(1, arena), 10)).isZero();
        }
    }

    @Test
    void drainingAnUnsignalledEventFdReturnsZero() throws Exception {
        try (EventFd counter = EventFd.create()) {
            assertThat(counter.drain()).isZero();
            counter.signal(2);
            counter.signal(5);
            assertThat(counter.drain()).isEqualTo(7);
            assertThat(counter.drain()).isZero();
        }
    }

    // A number no process can have open: closing a real fd twice could close another thread's new
    // fd.
    private static final int NEVER_OPEN_FD = Integer.MAX_VALUE - 1;

    @Test
    void epollCtlOnABadFdNamesTheCallTheFdAndEbadf() throws Exception {
        try (Epoll epoll = Epoll.create()) {
            assertThatThrownBy(() -> epoll.add(NEVER_OPEN_FD, Epoll.EPOLLIN, 0))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageStartingWith(
                            "epoll_ctl(ADD, fd " + NEVER_OPEN_FD + "): EBADF (Bad file descriptor)")
                    .satisfies(
                            e -> assertThat(((ErrnoException) e).errnoName()).isEqualTo("EBADF"));
        }
    }

    @Test
    void closeCheckedClosesAndReportsABadFd() throws Exception {
        EventFd counter = EventFd.create();
        Fds.closeChecked(counter.fd());

        assertThatThrownBy(() -> Fds.closeChecked(NEVER_OPEN_FD))
                .isInstanceOf(ErrnoException.class)
                .hasMessageStartingWith("close(fd " + NEVER_OPEN_FD + "): EBADF");
        assertThat(Fds.isOpen(NEVER_OPEN_FD)).isFalse();
        Fds.close(NEVER_OPEN_FD);
        Fds.close(-1);
    }
}
