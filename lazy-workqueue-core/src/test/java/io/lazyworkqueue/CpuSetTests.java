package io.lazyworkqueue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CpuSetTests {

    @Test
    void parsesIdsAndRangesInAnyOrderAndPrintsThemAsACompactCpulist() {
        CpuSet set = CpuSet.parse("8, 0-3,10-11,2");

        assertThat(set.stream()).containsExactly(0, 1, 2, 3, 8, 10, 11);
        assertThat(set).hasToString("0-3,8,10-11");
        assertThat(set.size()).isEqualTo(7);
        assertThat(set.first()).isZero();
        assertThat(set.last()).isEqualTo(11);
    }

    @Test
    void printsWhatItParses() {
        for (String cpulist : new String[] { "0", "0-63", "1,3,5", "0-1,4-7,9" }) {
            assertThat(CpuSet.parse(cpulist)).hasToString(cpulist);
        }
    }

    @Test
    void answersMembershipAndPosition() {
        CpuSet set = CpuSet.parse("2-3,8");

        assertThat(set.contains(3)).isTrue();
        assertThat(set.contains(4)).isFalse();
        assertThat(set.indexOf(8)).isEqualTo(2);
        assertThat(set.get(1)).isEqualTo(3);
        assertThat(set.containsAll(CpuSet.of(2, 8))).isTrue();
        assertThat(set.containsAll(CpuSet.of(2, 9))).isFalse();
    }

    @Test
    void setsWithTheSameCpusAreEqual() {
        assertThat(CpuSet.parse("0-2")).isEqualTo(CpuSet.of(2, 1, 0)).isEqualTo(CpuSet.firstN(3))
            .hasSameHashCodeAs(CpuSet.of(0, 1, 2));
    }

    @Test
    void rejectsMalformedTextNamingTheTextAndTheFault() {
        assertThatIllegalArgumentException().isThrownBy(() -> CpuSet.parse(""))
            .withMessage("Malformed cpulist '': it is empty; expected comma-separated CPU ids and ranges such as '0-3,8'");
        assertThatIllegalArgumentException().isThrownBy(() -> CpuSet.parse("0-x"))
            .withMessageStartingWith("Malformed cpulist '0-x': 'x' is not a CPU id");
        assertThatIllegalArgumentException().isThrownBy(() -> CpuSet.parse("1,,2"))
            .withMessageStartingWith("Malformed cpulist '1,,2': '' is not a CPU id");
        assertThatIllegalArgumentException().isThrownBy(() -> CpuSet.parse("3-1"))
            .withMessageStartingWith("Malformed cpulist '3-1': range '3-1' is reversed");
        assertThatIllegalArgumentException().isThrownBy(() -> CpuSet.parse("-1"))
            .withMessageStartingWith("Malformed cpulist '-1': CPU -1 is not allowed: CPU ids cannot be negative");
        assertThatIllegalArgumentException().isThrownBy(() -> CpuSet.parse("9000"))
            .withMessageStartingWith("Malformed cpulist '9000': CPU 9000 is above the largest CPU id 8191");
    }

    static Stream<Arguments> cpulistsWithABadCpuId() {
        return Stream.of(
                arguments("\u0661", "'\u0661' is not a CPU id: CPU ids are written with the ASCII digits 0 to 9"),
                arguments("0-\uff13", "'\uff13' is not a CPU id: CPU ids are written with the ASCII digits 0 to 9"),
                arguments("1 0", "'1 0' is not a CPU id: CPU ids are written with the ASCII digits 0 to 9"),
                arguments("0-99999999", "CPU 99999999 is above the largest CPU id 8191"),
                arguments("99999999999999999999", "CPU 99999999999999999999 is above the largest CPU id 8191"),
                arguments("-1", "CPU -1 is not allowed: CPU ids cannot be negative"),
                arguments("0--3", "CPU -3 is not allowed: CPU ids cannot be negative"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cpulistsWithABadCpuId")
    void acceptsOnlyAsciiDigitsFrom0To8191AsCpuIdsAndSaysWhichRuleTheTextBreaks(String cpulist, String fault) {
        assertThatIllegalArgumentException().isThrownBy(() -> CpuSet.parse(cpulist))
            .withMessage("Malformed cpulist '" + cpulist + "': " + fault
                    + "; expected comma-separated CPU ids and ranges such as '0-3,8'");
    }

    @Test
    void showsControlCharactersOfMalformedTextEscaped() {
        assertThatIllegalArgumentException().isThrownBy(() -> CpuSet.parse("0,1\u0000"))
            .withMessage("Malformed cpulist '0,1\\u0000': '1\\u0000' is not a CPU id: CPU ids are written with the"
                    + " ASCII digits 0 to 9; expected comma-separated CPU ids and ranges such as '0-3,8'");
    }

    @Test
    void rejectsCpuIdsOutOfRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> CpuSet.of(-1))
            .withMessage("A CPU id must be from 0 to 8191, was -1");
        assertThatIllegalArgumentException().isThrownBy(CpuSet::of)
            .withMessage("A CPU set needs at least one CPU");
        assertThatIllegalArgumentException().isThrownBy(() -> CpuSet.firstN(0))
            .withMessage("A CPU count must be from 1 to 8192, was 0");
    }

    @Test
    void theAllowedSetHoldsEveryCpuTheJvmMayUse() {
        assertThat(CpuSet.allowed().size()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
