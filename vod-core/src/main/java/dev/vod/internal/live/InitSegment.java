package dev.vod.internal.live;

import dev.vod.internal.mp4.LiveInit;

/**
 * A publish's init segment ({@code ftyp + moov}) as received, with what it says about the tracks.
 *
 * @param bytes  the init segment, served as {@code init-N.mp4}
 * @param info   its parsed tracks
 * @param number which init of the rendition this is (a new publisher may send another), for its URL
 */
record InitSegment(byte[] bytes, LiveInit info, int number) {
}
