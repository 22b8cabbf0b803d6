package dev.vod.internal.content;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlayerAssetsTest {
    @Test
    void hlsJsIsTheBundledMinifiedLibrary() {
        byte[] js = PlayerAssets.hlsJs();
        assertTrue(js.length > 100_000, "hls.min.js is some hundreds of KB, got " + js.length);
        String text = new String(js, StandardCharsets.UTF_8);
        // Names the page relies on; a different file under the same name would lack them.
        assertTrue(text.contains("isSupported"));
        assertTrue(text.contains("hlsLevelSwitched"));
        assertTrue(text.contains("hlsManifestParsed"));
        assertTrue(text.contains("bandwidthEstimate"));
    }

    @Test
    void hlsJsIsLoadedOnceAndShared() {
        assertSame(PlayerAssets.hlsJs(), PlayerAssets.hlsJs());
    }

    @Test
    void licenseNoticeIsBundledNextToIt() {
        assertTrue(new String(PlayerAssets.load("dev/vod/player/hls.min.js.LICENSE.txt"), StandardCharsets.UTF_8)
                .contains("Apache License, Version 2.0"));
    }

    @Test
    void missingResourceFailsWithAClearMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PlayerAssets.load("dev/vod/player/absent.js"));
        assertTrue(e.getMessage().contains("dev/vod/player/absent.js"), e.getMessage());
        assertTrue(e.getMessage().contains("built without it"), e.getMessage());
    }

    @Test
    void dashJsIsAvailableToTests() {
        // Test scope only: the browser test that plays the MPD loads it from test-classes.
        String text = new String(PlayerAssets.load("dev/vod/player/dash.all.min.js"), StandardCharsets.UTF_8);
        assertTrue(text.contains("MediaPlayer"));
    }
}
