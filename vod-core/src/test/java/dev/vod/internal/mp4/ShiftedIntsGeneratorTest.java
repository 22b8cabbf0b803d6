package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The lazily generated stsc middle: the same bytes {@link BoxWriter#patchIntsAdding} writes, in any window. */
class ShiftedIntsGeneratorTest {
    private static final int[] SOURCE = new int[3 * 40];

    static {
        for (int i = 0; i < SOURCE.length; i++) {
            SOURCE[i] = i % 3 == 0 ? 1000 + 7 * i : (i % 3 == 1 ? 0x7fffffff - i : 1);
        }
    }

    private static byte[] written(int from, int count, int delta) {
        BoxWriter out = new BoxWriter(16);
        out.skip(4 * count);
        out.patchIntsAdding(0, SOURCE, from, count, 3, delta);
        return out.toByteArray();
    }

    @Test
    void everyWindowMatchesTheWrittenBytes() {
        int from = 3 * 5;
        int count = 3 * 30;
        byte[] whole = written(from, count, -17);
        ShiftedIntsGenerator generator = new ShiftedIntsGenerator(SOURCE, from, count, 3, -17);
        for (int start = 0; start < whole.length; start += 7) {
            for (int length : new int[] {0, 1, 3, 4, 5, 13, whole.length - start}) {
                if (start + length > whole.length) {
                    continue;
                }
                byte[] window = new byte[length + 2];
                generator.write(start, window, 1, length);
                assertArrayEquals(Arrays.copyOfRange(whole, start, start + length),
                        Arrays.copyOfRange(window, 1, 1 + length), "window " + start + "+" + length);
            }
        }
    }

    @Test
    void aWindowPastTheTableIsRejected() {
        ShiftedIntsGenerator generator = new ShiftedIntsGenerator(SOURCE, 0, 3, 3, 0);
        assertThrows(IndexOutOfBoundsException.class, () -> generator.write(10, new byte[8], 0, 3));
    }
}
