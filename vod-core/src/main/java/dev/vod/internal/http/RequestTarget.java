package dev.vod.internal.http;

import dev.vod.internal.HttpProblem;

/**
 * The raw (still percent-encoded) path and query of a request-target (RFC 9112 §3.2): origin-form
 * {@code /a/b?q} or absolute-form {@code http://host/a/b?q}. A fragment, which clients should never send, is
 * dropped. Decoding and normalising the path is {@code RequestPath}'s job, done once, later.
 *
 * @param path  raw path, starting with {@code /}; empty only for the mount point itself without its slash
 * @param query raw query without {@code ?}, or {@code null} when there is none
 */
record RequestTarget(String path, String query) {

    static RequestTarget parse(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw HttpProblem.badRequest("empty request target");
        }
        String rest = uri;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        if (!rest.startsWith("/")) {
            rest = stripSchemeAndAuthority(rest);
        }
        int q = rest.indexOf('?');
        return q < 0 ? new RequestTarget(rest, null) : new RequestTarget(rest.substring(0, q), rest.substring(q + 1));
    }

    private static String stripSchemeAndAuthority(String uri) {
        int colon = uri.indexOf("://");
        String scheme = colon > 0 ? uri.substring(0, colon) : "";
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw HttpProblem.badRequest("request target must be a path or an http URI");
        }
        int slash = uri.indexOf('/', colon + 3);
        int question = uri.indexOf('?', colon + 3);
        if (slash < 0 || (question >= 0 && question < slash)) {
            return "/" + (question >= 0 ? uri.substring(question) : "");
        }
        return uri.substring(slash);
    }

    /**
     * This target seen from below {@code mountPath} (which starts and ends with {@code /}): {@code /videos/a.mp4}
     * under {@code /videos/} is {@code /a.mp4}. Returns {@code null} when the target is outside the mount.
     */
    RequestTarget under(String mountPath) {
        if (mountPath.length() == 1) {
            return this;
        }
        if (path.startsWith(mountPath)) {
            return new RequestTarget(path.substring(mountPath.length() - 1), query);
        }
        if (path.length() == mountPath.length() - 1 && mountPath.startsWith(path)) {
            return new RequestTarget("", query);
        }
        return null;
    }
}
