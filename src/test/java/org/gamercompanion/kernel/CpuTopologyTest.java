package org.gamercompanion.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CpuTopologyTest {
    @Test
    void kernelCpuListFormatIsParsed() {
        assertThat(CpuTopology.parseCpuList("0-3,8,10-11")).containsExactly(0, 1, 2, 3, 8, 10, 11);
        assertThat(CpuTopology.parseCpuList("0")).containsExactly(0);
    }

    @Test
    void reversedRangeIsAnError() {
        assertThatThrownBy(() -> CpuTopology.parseCpuList("3-1")).hasMessageContaining("3-1");
    }

    @Test
    void ringKServesCpusKPlusMultiplesOf16() {
        CpuTopology t = CpuTopology.ofCount(40);
        assertThat(t.cpusOfRing(3, 16)).containsExactly(3, 19, 35);
        assertThat(t.cpusOfRing(15, 16)).containsExactly(15, 31);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
    void onATwoCpuMachineRingsAbove1ServeNoCpu(int ring) {
        assertThat(CpuTopology.ofCount(2).cpusOfRing(ring, 16)).isEmpty();
    }

    @Test
    void theCurrentMachineHasCpuZero() {
        assertThat(CpuTopology.current().cpus()).contains(0);
        assertThat(CpuTopology.ofList("0,1").cpus()).isEqualTo(List.of(0, 1));
    }
}
