package org.gamercompanion.ring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.gamercompanion.sys.Bpf;
import org.gamercompanion.sys.ErrnoException;
import org.gamercompanion.sys.Fds;

/**
 * Writes gc_events into a real ring buffer map the way the agent does: with the kernel's own {@code
 * bpf_ringbuf_output}, from a tiny hand-assembled {@code BPF_PROG_TYPE_SYSCALL} program run by
 * {@code BPF_PROG_TEST_RUN}. The program copies its 40-byte context to the stack and outputs it
 * with {@code BPF_RB_NO_WAKEUP}, so the kernel, not a test double, lays out the records.
 */
final class BpfRingWriter implements AutoCloseable {
    private static final int PROG_TYPE_SYSCALL = 31;
    private static final int F_SLEEPABLE = 1 << 4; // syscall programs must be sleepable
    private static final int FUNC_RINGBUF_OUTPUT = 130;
    private static final int RB_NO_WAKEUP = 1;
    private static final int PSEUDO_MAP_FD = 1;
    private static final int LOG_BYTES = 64 * 1024;
    private static final int EAGAIN = 11;

    private final int progFd;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment context = arena.allocate(EventLayout.GC_EVENT);
    private final MemorySegment attr = arena.allocate(Bpf.ATTR_BYTES, 8);

    private BpfRingWriter(int progFd) {
        this.progFd = progFd;
    }

    /** Loads the writer program for ring map {@code ringFd}. */
    static BpfRingWriter load(int ringFd) throws ErrnoException {
        ByteBuffer insns = ByteBuffer.allocate(32 * 8).order(ByteOrder.LITTLE_ENDIAN);
        insn(insns, 0xbf, 6, 1, 0, 0); // r6 = r1 (ctx)
        for (int i = 0; i < 5; i++) {
            insn(insns, 0x79, 0, 6, 8 * i, 0); // r0 = *(u64 *)(r6 + 8i)
            insn(insns, 0x7b, 10, 0, -40 + 8 * i, 0); // *(u64 *)(r10 - 40 + 8i) = r0
        }
        insn(insns, 0x18, 1, PSEUDO_MAP_FD, 0, ringFd); // r1 = map (ld_imm64, 2 slots)
        insn(insns, 0, 0, 0, 0, 0);
        insn(insns, 0xbf, 2, 10, 0, 0); // r2 = r10
        insn(insns, 0x07, 2, 0, 0, -40); // r2 += -40
        insn(insns, 0xb7, 3, 0, 0, EventLayout.EVENT_BYTES); // r3 = 40
        insn(insns, 0xb7, 4, 0, 0, RB_NO_WAKEUP); // r4 = flags
        insn(insns, 0x85, 0, 0, 0, FUNC_RINGBUF_OUTPUT); // r0 = bpf_ringbuf_output(r1, r2, r3, r4)
        insn(insns, 0x95, 0, 0, 0, 0); // return r0
        int count = insns.position() / 8;
        try (Arena load = Arena.ofConfined()) {
            MemorySegment program = load.allocate(insns.position(), 8);
            MemorySegment.copy(insns.array(), 0, program, JAVA_BYTE, 0, insns.position());
            MemorySegment license = load.allocateFrom("GPL");
            MemorySegment log = load.allocate(LOG_BYTES);
            MemorySegment attr = load.allocate(Bpf.ATTR_BYTES, 8);
            attr.set(JAVA_INT, 0, PROG_TYPE_SYSCALL);
            attr.set(JAVA_INT, 4, count);
            attr.set(JAVA_LONG, 8, program.address());
            attr.set(JAVA_LONG, 16, license.address());
            attr.set(JAVA_INT, 24, 1);
            attr.set(JAVA_INT, 28, LOG_BYTES);
            attr.set(JAVA_LONG, 32, log.address());
            attr.set(JAVA_INT, 44, F_SLEEPABLE);
            MemorySegment.copy(
                    "gc_test_writer".getBytes(StandardCharsets.US_ASCII),
                    0,
                    attr,
                    JAVA_BYTE,
                    48,
                    14);
            try {
                return new BpfRingWriter(
                        (int) Bpf.call(Bpf.CMD_PROG_LOAD, attr, "BPF_PROG_LOAD(gc_test_writer)"));
            } catch (ErrnoException e) {
                throw new IllegalStateException(
                        e.getMessage() + "; verifier log:\n" + log.getString(0), e);
            }
        }
    }

    /**
     * Outputs one event; returns false when the ring was full (-EAGAIN from the helper: a lost
     * record).
     */
    boolean write(long startNs, long endNs, int pid, int tgid, int cpu, int ring, int kind)
            throws ErrnoException {
        context.fill((byte) 0);
        context.set(JAVA_LONG, EventLayout.offsetOf("start_ns"), startNs);
        context.set(JAVA_LONG, EventLayout.offsetOf("end_ns"), endNs);
        context.set(JAVA_INT, EventLayout.offsetOf("pid"), pid);
        context.set(JAVA_INT, EventLayout.offsetOf("tgid"), tgid);
        context.set(JAVA_INT, EventLayout.offsetOf("cpu"), cpu);
        context.set(JAVA_SHORT, EventLayout.offsetOf("ring"), (short) ring);
        context.set(JAVA_SHORT, EventLayout.offsetOf("kind"), (short) kind);
        attr.fill((byte) 0);
        attr.set(JAVA_INT, 0, progFd);
        attr.set(JAVA_INT, 40, (int) context.byteSize());
        attr.set(JAVA_LONG, 48, context.address());
        Bpf.call(Bpf.CMD_PROG_TEST_RUN, attr, "BPF_PROG_TEST_RUN(gc_test_writer)");
        int retval = attr.get(JAVA_INT, 4);
        if (retval != 0 && retval != -EAGAIN) {
            throw new IllegalStateException("bpf_ringbuf_output returned " + retval);
        }
        return retval == 0;
    }

    private static void insn(ByteBuffer b, int opcode, int dst, int src, int offset, int imm) {
        b.put((byte) opcode).put((byte) ((src << 4) | dst)).putShort((short) offset).putInt(imm);
    }

    @Override
    public void close() {
        Fds.close(progFd);
        arena.close();
    }
}
