package dev.vod.internal.mp4;

/**
 * What a manifest says about one track of an MP4: its kind, codec and picture or sound parameters, and its
 * extent. Obtained from {@link Mp4Media#tracks()}; pass it back to {@link Mp4Media} to cut or package it.
 *
 * @param index       position among the file's tracks
 * @param id          {@code track_ID}
 * @param kind        video, audio or other
 * @param timescale   media ticks per second
 * @param format      sample entry code, e.g. {@code avc1}
 * @param codecs      RFC 6381 codecs string, e.g. {@code avc1.64001f}; null when the codec cannot be described
 * @param width       display width in pixels (video), else 0
 * @param height      display height in pixels (video), else 0
 * @param frameRate   average frames per second (video), else 0
 * @param channels    audio channels, else 0
 * @param sampleRate  audio sample rate in Hz, else 0
 * @param language    ISO 639-2/T code from {@code mdhd}, {@code und} when unspecified
 * @param sampleCount number of samples
 * @param bytes       total size of the samples
 * @param duration    presentation duration in ticks
 */
public record MediaTrack(int index, int id, Kind kind, long timescale, String format, String codecs, int width,
                         int height, double frameRate, int channels, int sampleRate, String language,
                         long sampleCount, long bytes, long duration) {

    /** The kinds of track the packager distinguishes. */
    public enum Kind { VIDEO, AUDIO, OTHER }

    /** Duration in seconds. */
    public double seconds() {
        return (double) duration / timescale;
    }

    /** Average bitrate in bits per second (0 for an empty track). */
    public long averageBitrate() {
        return duration <= 0 ? 0 : Math.round(bytes * 8.0 * timescale / duration);
    }
}
