package dev.vod.internal.packager;

/**
 * Which tracks of a rendition a segment carries, and the URL folder its init and media segments live in:
 * both (HLS, the virtual fragmented MP4), the video alone (DASH, I-frames) or the audio alone (DASH).
 */
public enum Selection {
    MUXED(""), VIDEO("video/"), AUDIO("audio/");

    private final String folder;

    Selection(String folder) {
        this.folder = folder;
    }

    /** The relative folder of its segments under a rendition: {@code ""}, {@code video/} or {@code audio/}. */
    public String folder() {
        return folder;
    }
}
