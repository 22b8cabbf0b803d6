package dev.vod.server;

/** Placeholder launcher. */
public final class Main {
    public static void main(String[] args) {
        System.err.println("not yet");
        System.exit(2);
    }
}
