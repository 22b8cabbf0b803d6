package dev.vod.internal.content;

import java.io.IOException;
import java.io.InputStream;

/**
 * The player's script files bundled in the jar: hls.js, served as {@code T/hls.min.js} next to
 * {@code T/player.html} (docs/packaging.md), so the page needs no CDN.
 *
 * <p>The build unpacks {@code dist/hls.min.js} from the hls.js WebJar into the classpath resource
 * {@value #HLS_JS} (vod-core/pom.xml); it is not in git. A jar built without that step (for instance compiled by
 * an IDE that does not run the Maven build) has no such resource, and {@link #hlsJs()} says so.
 */
public final class PlayerAssets {
    /** Classpath resource name of hls.js. */
    public static final String HLS_JS = "dev/vod/player/hls.min.js";

    // Read once and kept: ~370 KB, asked for by every viewer that opens a player page. Not a holder class with a
    // static initializer, because a failure there would turn into NoClassDefFoundError on every later call
    // instead of the clear message below; a failed load is simply retried next time.
    private static volatile byte[] hlsJs;

    private PlayerAssets() {
    }

    /**
     * The bytes of {@code hls.min.js}, loaded from the classpath on first use and cached.
     *
     * <p>The same array is returned on every call, so that serving it costs no copy: callers must not modify it.
     *
     * @throws IllegalStateException when the resource is missing, i.e. vod-core was built without its Maven
     *                               {@code generate-resources} step, or cannot be read
     */
    public static byte[] hlsJs() {
        byte[] bytes = hlsJs;
        if (bytes == null) {
            // Two threads may both load it on a cold start; both get equal bytes, and one array wins. Cheaper to
            // reason about than a lock, and it happens at most a few times.
            bytes = load(HLS_JS);
            hlsJs = bytes;
        }
        return bytes;
    }

    static byte[] load(String resource) {
        try (InputStream in = PlayerAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Classpath resource " + resource + " is missing: vod-core was built "
                        + "without it (the Maven build unpacks it in generate-resources; see vod-core/pom.xml)");
            }
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                throw new IllegalStateException("Classpath resource " + resource + " is empty");
            }
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read classpath resource " + resource, e);
        }
    }
}
