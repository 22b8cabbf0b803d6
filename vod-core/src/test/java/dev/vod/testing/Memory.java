package dev.vod.testing;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/** Memory the server could be holding: heap after a GC, and direct buffers (JDK pools and Netty's own count). */
public final class Memory {
    private Memory() {
    }

    /** Used heap after a full GC plus all direct memory, in bytes. */
    public static long usedAfterGc() throws InterruptedException {
        System.gc();
        Thread.sleep(100);
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + direct();
    }

    /** Direct memory: JDK buffer pools plus Netty's counter for buffers it allocates without a cleaner. */
    public static long direct() {
        long direct = Math.max(0, PlatformDependent.usedDirectMemory());
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            direct += pool.getMemoryUsed();
        }
        return direct;
    }
}
