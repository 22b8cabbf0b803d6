/**
 * MP4 pseudo-streaming, pure Java (no Netty): seeking with {@code ?start=&end=&exact=}, virtual faststart and
 * average bitrate, all produced as {@link dev.vod.internal.body.Representation}s so Range, HEAD and conditional
 * requests need no special case. Entry point: {@link dev.vod.internal.mp4.Mp4Service}.
 *
 * <h2>How a seek is answered</h2>
 * <ol>
 *   <li>{@code Mp4Index.read}: top-level box headers (one small positional read each), then the moov (bounded by
 *       the configured limit) parsed into tables read in place ({@code MoovParser}); fragmented files also get a
 *       {@code FragmentIndex}. Cached per {@code SourceFile} by {@code Mp4Cache}.
 *   <li>{@code SeekPlanner}: the cut instant (last video key frame shown at or before the start, or the start
 *       itself with {@code exact}) and, per track, the kept samples and an edit list that starts every track at
 *       output time 0.
 *   <li>{@code SeekHeaderCache}: a recent output of the same cuts (same key frame) is reused as it is.
 *   <li>{@code ChunkPieces} and {@code DataLayout}: kept chunks (the first may start mid-chunk; a view over the
 *       chunk index cached with the track), merged into as few file ranges as possible without sorting.
 *   <li>{@code MoovRewriter}: the new moov, tables clipped by {@code SampleTableWriter}, offsets upgraded to
 *       co64 when they pass 4 GiB; written in a per-thread scratch {@code BoxWriter}, large verbatim table
 *       parts ({@code stsz}, {@code ctts}) as cached {@code SharedBlocks} instead of copies.
 *   <li>{@code SeekOutput}: {@code ftyp + moov + mdat header} as generated segments, then the file slices.
 * </ol>
 *
 * <p>A warm seek does no per-sample work: see "Costs" in {@code docs/mp4.md}.
 *
 * <h2>Status codes</h2>
 * 400 bad parameter; 416 start at or after the end; 422 "Unprocessable media: ..." for malformed, truncated or
 * hostile files; 500 for a moov over the configured limit. Files that are not MP4 are served as they are.
 */
package dev.vod.internal.mp4;
