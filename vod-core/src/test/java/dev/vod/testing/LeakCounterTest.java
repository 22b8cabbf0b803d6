package dev.vod.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak counter the hardening tests rely on does count a real leak (so "zero leaks" means something). */
class LeakCounterTest {
    @Test
    void aBufferDroppedWithoutReleaseIsCounted() throws Exception {
        int before = LeakCounter.leaksAfterGc();
        leakOneBuffer();
        int after = before;
        for (int i = 0; i < 20 && after == before; i++) {
            after = LeakCounter.leaksAfterGcQuietly();
        }
        assertTrue(after > before, "a deliberately leaked ByteBuf was not reported");
        assertTrue(LeakCounter.reports().get(after - 1).contains("leakOneBuffer"),
                "the report should show where the buffer was created: " + LeakCounter.reports().get(after - 1));
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(64);
        leaked.writeInt(42); // touched, then dropped without release()
    }
}
