package dev.vod;

import dev.vod.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A content root for RTSP tests — the repository's samples (MP4 in three layouts, MJPEG, WebM), the H.265 test
 * file, and names the access policy hides — and a real server on ephemeral ports serving it.
 */
final class RtspFixture {
    private RtspFixture() {
    }

    static Path createRoot(Path root) {
        try {
            Files.createDirectories(root);
            Path content = Fixtures.repoContent();
            for (String name : new String[] {"sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4",
                    "sample.mjpeg", "sample.webm"}) {
                Files.copy(content.resolve(name), root.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            try (InputStream hevc = RtspFixture.class.getResourceAsStream("/dev/vod/media/hevc.mp4")) {
                Files.copy(hevc, root.resolve("hevc.mp4"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.createDirectories(root.resolve("confidential"));
            Files.copy(content.resolve("sample.mp4"), root.resolve("confidential/secret.mp4"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.copy(content.resolve("sample.mp4"), root.resolve(".hidden.mp4"), StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(root.resolve("films"));
            Files.writeString(root.resolve("notes.txt"), "not media\n");
            Files.write(root.resolve("broken.mp4"), new byte[] {0, 0, 0, 8, 'f', 't', 'y', 'p', 1, 2, 3});
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A started server with RTSP on a free port and these settings for the rest. */
    static VodServer start(Path root, RtspSettings settings) throws IOException {
        VodServer server = VodServer.builder().root(root).host("127.0.0.1").port(0)
                .rtsp(settings.withPort(0)).buildServer();
        server.start();
        return server;
    }

    /** Sessions open on the server right now. */
    static int sessions(VodServer server) {
        return server.rtspServer().sessions();
    }

    /** UDP port pairs the server holds right now. */
    static int udpPairs(VodServer server) {
        return server.rtspServer().udpPairsInUse();
    }

    static String url(VodServer server, String path) {
        InetSocketAddress a = server.rtspAddress();
        return "rtsp://127.0.0.1:" + a.getPort() + "/" + path;
    }
}
