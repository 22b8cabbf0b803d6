package dev.vod;

/**
 * Settings of on-the-fly packaging: HLS ({@code master.m3u8}), DASH ({@code manifest.mpd}) and the seed-format
 * {@code manifest.txt} for titles (folders of MP4 renditions) and single MP4 files. See {@code docs/packaging.md}.
 *
 * <pre>
 * VodConfig.builder().root(media).packaging(PackagingSettings.DEFAULTS.withSegmentSeconds(4)).build();
 * </pre>
 *
 * @param enabled        whether derived URLs are served at all (on by default)
 * @param segmentSeconds target segment duration; segments start at the first key frame at or after each multiple
 *                       of it (default 6)
 */
public record PackagingSettings(boolean enabled, double segmentSeconds) {
    /** Packaging on, 6-second segments. */
    public static final PackagingSettings DEFAULTS = new PackagingSettings(true, 6);
    /** Packaging off: derived URLs are answered like any missing file. */
    public static final PackagingSettings OFF = new PackagingSettings(false, 6);

    public PackagingSettings {
        if (!(segmentSeconds >= 0.5 && segmentSeconds <= 60)) {
            throw new IllegalArgumentException("segmentSeconds must be between 0.5 and 60: " + segmentSeconds);
        }
    }

    /** These settings with another target segment duration. */
    public PackagingSettings withSegmentSeconds(double seconds) {
        return new PackagingSettings(enabled, seconds);
    }
}
