package dev.vod.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An attempt ends with its work's result, or with null wherever the work would have waited. */
class NonBlockingTest {
    private final List<String> undone = new ArrayList<>();

    /** Work that would wait: what store-reading code does during an attempt. */
    private static String waits() {
        if (NonBlocking.active()) {
            throw NonBlocking.wouldBlock();
        }
        return "waited";
    }

    @Test
    void workThatNeedsNoWaitGivesItsResult() {
        assertEquals("done", NonBlocking.attempt(() -> "done", undone::add));
        assertTrue(undone.isEmpty());
    }

    @Test
    void workThatWouldWaitGivesNull() {
        assertNull(NonBlocking.attempt(NonBlockingTest::waits, undone::add));
        assertFalse(NonBlocking.active(), "over once the attempt returns");
        assertEquals("waited", waits(), "outside an attempt the same code just waits");
    }

    @Test
    void givingUpCaughtOnTheWayStillGivesNullAndUndoesTheResult() {
        String result = NonBlocking.attempt(() -> {
            try {
                waits();
            } catch (RuntimeException broadCatch) {
                return "an answer made of a caught exception";
            }
            return "done";
        }, undone::add);
        assertNull(result);
        assertEquals(List.of("an answer made of a caught exception"), undone, "its resources given back");
    }

    @Test
    void aNestedAttemptLeavesTheDecisionToTheOuterOne() {
        assertNull(NonBlocking.attempt(() -> {
            String inner = NonBlocking.attempt(() -> "inner", undone::add);
            assertEquals("inner", inner);
            return waits();
        }, undone::add));
    }

    @Test
    void aNewAttemptStartsAfresh() {
        assertNull(NonBlocking.attempt(NonBlockingTest::waits, undone::add));
        assertEquals("done", NonBlocking.attempt(() -> "done", undone::add), "the last attempt's giving up is gone");
    }

    @Test
    void wouldBlockOutsideAnAttemptIsABug() {
        assertThrows(IllegalStateException.class, NonBlocking::wouldBlock);
    }
}
