package dev.vod.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One thread of {@link LiveViewers}: a selector for its connections ({@link LiveHttp}) and a queue of timers.
 * Everything a viewer does runs on its loop's thread, so viewers need no locks. A few loops carry a thousand
 * viewers: the load generator shares the cores with the server it measures, so it must stay cheap.
 */
final class LiveLoop implements Runnable {
    private record Timer(long at, long order, Runnable task) {
    }

    final Selector selector;
    /** Where every connection of this loop reads into; bodies are counted and dropped, not kept. */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    /** Added to by the main thread while the loop may already run (viewers are made after it starts). */
    private final List<LiveHttp> connections = new CopyOnWriteArrayList<>();
    private final List<Runnable> pending = new ArrayList<>();
    private final Thread thread;
    private long order;
    private volatile boolean stopped;
    /** What ended this loop early, or null: its viewers stopped there, so the run is not a measurement. */
    private volatile Throwable failure;

    LiveLoop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code task} on this loop at {@code atNanos} ({@link System#nanoTime()}); call from this loop only. */
    void at(long atNanos, Runnable task) {
        timers.add(new Timer(atNanos, order++, task));
    }

    /** Hands {@code task} to this loop from another thread (before it starts, or through {@link #at}). */
    synchronized void submit(Runnable task) {
        pending.add(task);
        selector.wakeup();
    }

    /**
     * Runs {@code task} on this loop and waits for it, 10 s at most (from another thread: e.g. to copy its viewers'
     * counters while they run).
     */
    void call(Runnable task) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
                throw e;
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    void add(LiveHttp connection) {
        connections.add(connection);
    }

    void stop() {
        stopped = true;
        selector.wakeup();
    }

    void join() throws InterruptedException {
        thread.join();
    }

    /** What ended this loop before {@link #stop}, or null. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        }
    }

    private void loop() {
        long nextSweep = System.nanoTime();
        while (!stopped) {
            List<Runnable> handed;
            synchronized (this) {
                handed = new ArrayList<>(pending);
                pending.clear();
            }
            handed.forEach(Runnable::run);
            long now = System.nanoTime();
            while (!timers.isEmpty() && timers.peek().at <= now) {
                timers.poll().task.run();
            }
            if (now >= nextSweep) { // request timeouts, twice a second
                for (LiveHttp c : connections) {
                    c.checkTimeout(now);
                }
                nextSweep = now + 500_000_000L;
            }
            long wait = Math.min(nextSweep, timers.isEmpty() ? Long.MAX_VALUE : timers.peek().at) - System.nanoTime();
            try {
                if (wait > 500_000) {
                    selector.select(Math.max(1, wait / 1_000_000));
                } else {
                    selector.selectNow();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (SelectionKey key : selector.selectedKeys()) {
                ((LiveHttp) key.attachment()).ready(key);
            }
            selector.selectedKeys().clear();
        }
        for (LiveHttp c : connections) {
            c.close();
        }
    }
}
