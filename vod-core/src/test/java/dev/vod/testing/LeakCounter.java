package dev.vod.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts the leaks Netty's {@link ResourceLeakDetector} reports in this JVM, so a test can assert "zero leaks"
 * instead of hoping someone reads the log.
 *
 * <p>Installed by {@link LeakCounterSessionListener} when the JUnit launcher session opens, before any test class
 * loads Netty: detectors are created in static initialisers (e.g. the one every {@code ByteBuf} shares), so a
 * factory installed later would never be used. {@link #leaksAfterGc()} fails loudly if the ByteBuf detector is not
 * ours, so a broken installation cannot make a test pass silently. Surefire runs with
 * {@code -Dio.netty.leakDetection.level=paranoid}: every buffer is tracked.
 */
public final class LeakCounter {
    private static final List<String> reports = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;
    /** Set while a test leaks on purpose, so its expected report does not look like a real one in the log. */
    private static volatile boolean quiet;

    private LeakCounter() {
    }

    /** Installs the counting factory; idempotent. Must run before Netty's buffer classes initialise. */
    public static synchronized void install() {
        if (!installed) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new CountingFactory());
            installed = true;
        }
    }

    /** Leak reports so far (type and access records of each), oldest first. */
    public static List<String> reports() {
        return List.copyOf(reports);
    }

    /**
     * Collects garbage and makes the detector look at what was collected, then returns the number of leaks
     * reported so far. Netty only notices a leak when a garbage-collected buffer was never released, and only
     * reports it during a later allocation, hence the loop of GC then allocations.
     */
    public static int leaksAfterGc() throws InterruptedException {
        checkInstalled();
        for (int round = 0; round < 4; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 64; i++) {
                ByteBuf pooled = ByteBufAllocator.DEFAULT.buffer(16);
                pooled.release();
                ByteBuf unpooled = Unpooled.directBuffer(16);
                unpooled.release();
            }
        }
        return reports.size();
    }

    /** As {@link #leaksAfterGc()}, without logging the reports (for a test that leaks on purpose). */
    public static int leaksAfterGcQuietly() throws InterruptedException {
        quiet = true;
        try {
            return leaksAfterGc();
        } finally {
            quiet = false;
        }
    }

    private static void checkInstalled() {
        try {
            Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
            field.setAccessible(true);
            Object detector = field.get(null);
            if (!(detector instanceof CountingDetector)) {
                throw new IllegalStateException("Netty's ByteBuf leak detector is " + detector.getClass().getName()
                        + ", not the counting one: was LeakCounterSessionListener registered in META-INF/services?");
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot inspect Netty's ByteBuf leak detector", e);
        }
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("leak detection level is " + ResourceLeakDetector.getLevel()
                    + "; run with -Dio.netty.leakDetection.level=paranoid");
        }
    }

    private static final class CountingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new CountingDetector<>(resource, samplingInterval);
        }

        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            return new CountingDetector<>(resource, samplingInterval);
        }
    }

    /** Reports as usual (to the log) and counts. */
    private static final class CountingDetector<T> extends ResourceLeakDetector<T> {
        CountingDetector(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true; // count even when the error level of Netty's logger is off
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            reports.add("LEAK: " + resourceType + records);
            if (!quiet) {
                super.reportTracedLeak(resourceType, records);
            }
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            reports.add("LEAK: " + resourceType + " (untraced)");
            if (!quiet) {
                super.reportUntracedLeak(resourceType);
            }
        }
    }
}
