package dev.vod.internal;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Running code that may block (it reads a content store through the file system API) on a thread that must not
 * (an event loop), on the chance that it needs nothing it would have to wait for: the HTTP layer tries to plan a
 * reply to a request for store content this way, and hands it to the workers only if the attempt gave up.
 *
 * <pre>
 * Plan plan = NonBlocking.attempt(() -&gt; planner.plan(request), Plan::discard);
 * if (plan == null) {
 *     workers.execute(() -&gt; ... planner.plan(request) ...); // the same work, allowed to wait
 * }
 * </pre>
 *
 * <p>Every place that would wait — a store call, a catalog entry to renew, a lookup another thread is running,
 * bytes of a slice not yet on disk, an MP4 index not yet parsed — asks {@link #active()} first and, during an
 * attempt, calls {@link #wouldBlock()} instead of waiting: nothing is started there that the attempt would leave
 * behind (no fetch, no store request). The attempt then ends with null, whether the exception reached it or was
 * caught on the way (this class remembers that it was thrown), so code that catches broadly cannot turn "would
 * block" into an answer. Outside an attempt both calls cost a thread-local read and nothing changes.
 */
public final class NonBlocking {
    /** Per thread: whether an attempt runs, and whether it gave up. */
    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private NonBlocking() {
    }

    private static final class State {
        boolean active;
        boolean gaveUp;
    }

    /**
     * The unchecked exception an attempt gives up with. Not an {@link java.io.IOException} nor any exception the
     * code in between would take for a broken file; no stack trace (it is thrown on a hot path, and is no bug).
     */
    public static final class WouldBlock extends RuntimeException {
        private static final WouldBlock INSTANCE = new WouldBlock();

        private WouldBlock() {
            super("would block", null, false, false);
        }
    }

    /**
     * Runs {@code work} on this thread in non-blocking mode.
     *
     * @param undo what to do with a result {@code work} returned although it had given up on the way (the
     *             exception was caught in between): release what it holds
     * @return {@code work}'s result, or null when it would have had to wait
     */
    public static <T> T attempt(Supplier<T> work, Consumer<? super T> undo) {
        State state = STATE.get();
        if (state.active) {
            return work.get(); // nested: the outer attempt decides
        }
        state.active = true;
        state.gaveUp = false;
        try {
            T result = work.get();
            if (state.gaveUp) {
                if (result != null) {
                    undo.accept(result);
                }
                return null;
            }
            return result;
        } catch (WouldBlock e) {
            return null;
        } finally {
            state.active = false;
            state.gaveUp = false;
        }
    }

    /** Whether this thread runs an {@link #attempt}: code about to wait must call {@link #wouldBlock()} instead. */
    public static boolean active() {
        return STATE.get().active;
    }

    /**
     * Marks the attempt as given up and returns the exception to throw: {@code throw NonBlocking.wouldBlock();}.
     *
     * @throws IllegalStateException when no attempt runs (the caller forgot to ask {@link #active()})
     */
    public static WouldBlock wouldBlock() {
        State state = STATE.get();
        if (!state.active) {
            throw new IllegalStateException("no non-blocking attempt on this thread");
        }
        state.gaveUp = true;
        return WouldBlock.INSTANCE;
    }
}
