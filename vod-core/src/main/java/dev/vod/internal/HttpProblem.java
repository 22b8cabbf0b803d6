package dev.vod.internal;

/**
 * An error that ends a request with a status code and a short plain-text message for the client.
 *
 * <p>Any step of request handling (path decoding, access policy, MP4 parsing, ...) may throw it; the HTTP layer
 * turns it into a response in one place. It carries no stack trace: it is an answer, not a bug.
 */
public final class HttpProblem extends RuntimeException {
    private final int status;

    public HttpProblem(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static HttpProblem badRequest(String message) {
        return new HttpProblem(400, message);
    }

    public static HttpProblem forbidden() {
        return new HttpProblem(403, "Forbidden");
    }

    public static HttpProblem notFound() {
        return new HttpProblem(404, "Not Found");
    }
}
