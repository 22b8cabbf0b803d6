package dev.vod.internal.http;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.Body;
import dev.vod.internal.body.Representation;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import dev.vod.internal.content.MimeTypes;
import dev.vod.internal.content.PlayerAssets;
import dev.vod.internal.content.PlayerPage;
import dev.vod.internal.content.RequestPath;
import dev.vod.internal.content.Resolved;
import dev.vod.internal.dash.DashManifest;
import dev.vod.internal.hls.HlsPlaylists;
import dev.vod.internal.packager.Numbers;
import dev.vod.internal.packager.PackagedPath;
import dev.vod.internal.packager.Packager;
import dev.vod.internal.packager.Rendition;
import dev.vod.internal.packager.SeedManifest;
import dev.vod.internal.packager.Selection;
import dev.vod.internal.packager.Title;
import dev.vod.internal.packager.TitleFolders;
import dev.vod.internal.packager.Subtitles;

/**
 * Answers derived URLs (docs/packaging.md): finds the source a {@link PackagedPath} names through the same
 * resolver and access policy as every request, then builds the manifest, init segment, media segment or
 * virtual file as a {@link Representation}, so preconditions, Range and zero-copy apply to it unchanged.
 *
 * <p>A real file at the requested path wins: derived names under a folder are looked up on disk first (under
 * an MP4 file nothing can exist on disk). Paths that are not derived, or whose source is missing, are left to
 * the ordinary lookup ({@code null}), which answers them as usual (404, 403...).
 */
final class PackagedRoutes {
    private static final String TEXT = "text/plain; charset=utf-8";
    /** hls.js changes only with the jar: its tag is a hash of its bytes. */
    private static final String HLS_JS_TAG = "\"hlsjs-" + Integer.toHexString(java.util.Arrays.hashCode(PlayerAssets.hlsJs())) + "\"";

    private final VodRuntime runtime;
    private final Packager packager;
    private final TitleFolders folders;
    private final String settingsTag;

    PackagedRoutes(VodRuntime runtime, Packager packager) {
        this.runtime = runtime;
        this.packager = packager;
        this.folders = new TitleFolders(runtime.resolver(), packager);
        this.settingsTag = "v1p" + Numbers.decimal(packager.settings().segmentSeconds());
    }

    /** The derived representation at {@code path}, or null when the ordinary lookup should answer. */
    Representation resolve(RequestPath path) {
        PackagedPath derived = PackagedPath.parse(path);
        if (derived == null) {
            return null;
        }
        if (!runtime.policy().allows(path)) {
            throw HttpProblem.forbidden();
        }
        Resolved source;
        try {
            source = runtime.resolver().resolve(derived.source());
            if (source instanceof Resolved.Redirect) {
                source = runtime.resolver().resolve(new RequestPath(derived.source().segments(), true));
            }
        } catch (HttpProblem e) {
            return null; // the ordinary lookup gives the same answer for the whole path
        }
        if (source instanceof Resolved.File file) {
            return fromFile(derived, file.file());
        }
        if (source instanceof Resolved.Directory dir && derived.kind().titleLevel() && !realFileExists(path)) {
            return titleLevel(derived, folders.title(dir), false);
        }
        return null;
    }

    private boolean realFileExists(RequestPath path) {
        try {
            return runtime.resolver().resolve(path) instanceof Resolved.File;
        } catch (HttpProblem e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private Representation fromFile(PackagedPath derived, SourceFile file) {
        String name = file.fileName();
        if (TitleFolders.isSubtitle(name)) {
            if (derived.kind() != PackagedPath.Kind.MEDIA_PLAYLIST) {
                return null;
            }
            String m3u8 = HlsPlaylists.subtitles("../" + RequestPath.encodeSegment(name), Subtitles.endSeconds(file));
            return text(m3u8, HlsPlaylists.CONTENT_TYPE, tag(file, "sub"), file.lastModified());
        }
        if (!MimeTypes.isMp4Name(name)) {
            return null;
        }
        if (derived.kind().titleLevel()) {
            return titleLevel(derived, folders.singleFileTitle(derived.source(), file), true);
        }
        Rendition r = packager.rendition(file);
        int segment = derived.segment();
        if (segment >= r.segmentCount()) {
            throw new HttpProblem(404, "segment " + (segment + 1) + " does not exist: " + name + " has "
                    + r.segmentCount() + " segments");
        }
        Selection selection = derived.selection();
        if (!r.has(selection)) {
            throw new HttpProblem(404, name + " has no audio track");
        }
        String type = selection == Selection.AUDIO ? "audio/mp4" : "video/mp4";
        String prefix = switch (selection) {
            case MUXED -> "";
            case VIDEO -> "v";
            case AUDIO -> "a";
        };
        return switch (derived.kind()) {
            case MEDIA_PLAYLIST -> text(HlsPlaylists.media(r), HlsPlaylists.CONTENT_TYPE, tag(file, "m3u8"),
                    file.lastModified());
            case IFRAME_PLAYLIST -> text(HlsPlaylists.iframes(r), HlsPlaylists.CONTENT_TYPE, tag(file, "if"),
                    file.lastModified());
            case INIT -> new Representation(Body.of(new Segment.Bytes(r.init(selection))), type,
                    tag(file, prefix + "init"), file.lastModified());
            case SEGMENT -> new Representation(packager.segment(r, segment, selection), type,
                    tag(file, prefix + "s" + (segment + 1)), file.lastModified());
            case IFRAME -> new Representation(r.media().fragment(segment + 1, r.keyFrame(segment)), type,
                    tag(file, "i" + (segment + 1)), file.lastModified());
            case VIRTUAL_FILE -> new Representation(r.virtualFile(), "video/mp4", tag(file, "fm"),
                    file.lastModified());
            default -> null;
        };
    }

    private Representation titleLevel(PackagedPath derived, TitleFolders.Found found, boolean single) {
        Title title = found.title();
        String etag = "\"" + found.tag() + "-" + settingsTag + "-" + derived.kind().name().toLowerCase() + "\"";
        return switch (derived.kind()) {
            case MASTER -> text(HlsPlaylists.master(title), HlsPlaylists.CONTENT_TYPE, etag, found.lastModified());
            case MPD -> text(DashManifest.mpd(title), DashManifest.CONTENT_TYPE, etag, found.lastModified());
            case SEED -> text(SeedManifest.write(title, Math.round(packager.settings().segmentSeconds() * 1000)),
                    TEXT, etag, found.lastModified());
            case PLAYER -> text(PlayerPage.render(title.name(), "master.m3u8", single ? "../" : "./"),
                    "text/html; charset=utf-8", etag, found.lastModified());
            case HLS_JS -> new Representation(Body.of(new Segment.Bytes(PlayerAssets.hlsJs())),
                    "text/javascript; charset=utf-8", HLS_JS_TAG, -1);
            default -> throw HttpProblem.notFound();
        };
    }

    private static Representation text(String text, String type, String etag, long lastModified) {
        return new Representation(Body.ofText(text), type, etag, lastModified);
    }

    /** A strong tag derived from the file's and the packaging settings: {@code "<file tag>-v1p6-<what>"}. */
    private String tag(SourceFile file, String what) {
        String fileTag = file.etag();
        return fileTag.substring(0, fileTag.length() - 1) + "-" + settingsTag + "-" + what + "\"";
    }
}
