package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of path traversal and access-rule bypass attempts, generated from the data-driven corpus
 * {@code path-traversal-corpus.txt} (see its header for the sections and how they combine), sent as exact bytes.
 * Every secret the fixtures and this test plant contains {@code SECRET}; {@code /etc/passwd} contains
 * {@code root:x:0:0}. No answer may contain either, and every answer must be 400, 403 or 404 — except a request
 * that really names the root (e.g. {@code /?x=/../..}), which gets the root's index page.
 */
@Tag("hardening")
class PathTraversalCorpusTest {
    private static final String CONFIDENTIAL = "confidential";
    private static final List<String> LEAK_MARKERS = List.of("SECRET", "root:x:0:0");

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static Path outsideSecret;

    @BeforeAll
    static void plantMoreSecrets() throws IOException {
        Path root = server.root();
        outsideSecret = root.getParent().resolve(root.getFileName() + "-outside-secret.txt");
        Files.writeString(outsideSecret, "SECRET-OUTSIDE\n");
        Files.createDirectories(root.resolve("dir/.private"));
        Files.writeString(root.resolve("dir/.private/key.txt"), "SECRET-F\n");
        Files.createDirectories(root.resolve(".hidden-dir"));
        Files.writeString(root.resolve(".hidden-dir/file.txt"), "SECRET-G\n");
    }

    @AfterAll
    static void removeOutsideSecret() throws IOException {
        Files.deleteIfExists(outsideSecret);
    }

    @Test
    void noTargetInTheCorpusReachesAnythingItMustNot() throws Exception {
        List<String> targets = expandCorpus();
        assertTrue(targets.size() > 1000, "corpus expanded to only " + targets.size() + " targets");
        Map<String, String> failures = new LinkedHashMap<>();
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        try (KeepAliveClient client = new KeepAliveClient()) {
            for (String target : targets) {
                RawHttp.Response r = client.get(target);
                statuses.merge(r.status(), 1, Integer::sum);
                String problem = problem(r);
                if (problem != null) {
                    failures.put(target, problem);
                }
            }
        }
        assertEquals(Map.of(), failures, failures.size() + " of " + targets.size() + " targets misbehaved; "
                + "statuses: " + statuses);
        assertEquals("hello, vod\n", RawHttp.exchange(server.address(), RawHttp.get("/hello.txt")).bodyText());
    }

    /** What is wrong with a response, or null. */
    private static String problem(RawHttp.Response r) {
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        for (String marker : LEAK_MARKERS) {
            if (body.contains(marker)) {
                return "LEAKED " + r.statusLine() + ": " + body.substring(0, Math.min(200, body.length()));
            }
        }
        int status = r.status();
        if (status == 400 || status == 403 || status == 404) {
            return null;
        }
        if (status == 200 && body.contains("<title>Index of /</title>")) {
            return null; // the target really was the root, e.g. "/?x=/../.."
        }
        return r.statusLine() + (r.header("Location") == null ? "" : " Location: " + r.header("Location"));
    }

    /** Reads the corpus and expands it into request targets (duplicates dropped, order kept). */
    static List<String> expandCorpus() throws IOException {
        Map<String, List<String>> sections = readCorpus();
        Path root = server.root();
        String outside = outsideSecret.getFileName().toString();
        String outsideAbs = outsideSecret.toAbsolutePath().toString().substring(1);
        int rootDepth = root.toAbsolutePath().getNameCount();
        Set<String> targets = new LinkedHashSet<>();

        for (String start : sections.get("start")) {
            int startDepth = (int) start.chars().filter(c -> c == '/').count() - 1;
            for (String climb : sections.get("climb")) {
                for (String separator : sections.get("separator")) {
                    for (String escape : sections.get("escape")) {
                        // Enough climbs to leave the root into its parent; for absolute targets, enough for "/".
                        boolean absolute = !escape.equals("{outside}");
                        int climbs = startDepth + 1 + (absolute ? rootDepth + 2 : 0);
                        String to = escape.replace("{outside-abs}", outsideAbs).replace("{outside}", outside);
                        targets.add(start + (climb + separator).repeat(climbs) + to);
                    }
                }
            }
        }
        for (String template : sections.get("confidential")) {
            for (String c : confidentialVariants()) {
                targets.add(template.replace("{C}", c));
            }
        }
        for (String template : sections.get("dot")) {
            for (String d : List.of(".", "%2e", "%2E", "%c0%ae", "%e0%80%ae", "%252e", "%uff0e", "%ef%bc%8e")) {
                targets.add(template.replace("{D}", d));
            }
        }
        targets.addAll(sections.get("direct"));
        return new ArrayList<>(targets);
    }

    /** "confidential" in many cases and encodings: lower, upper, title, alternating, each letter alone upper. */
    private static List<String> confidentialVariants() {
        Set<String> cases = new LinkedHashSet<>();
        cases.add(CONFIDENTIAL);
        cases.add(CONFIDENTIAL.toUpperCase(Locale.ROOT));
        cases.add("Confidential");
        StringBuilder alternating = new StringBuilder();
        StringBuilder alternating2 = new StringBuilder();
        for (int i = 0; i < CONFIDENTIAL.length(); i++) {
            char c = CONFIDENTIAL.charAt(i);
            alternating.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
            alternating2.append(i % 2 == 1 ? Character.toUpperCase(c) : c);
            cases.add(CONFIDENTIAL.substring(0, i) + Character.toUpperCase(c) + CONFIDENTIAL.substring(i + 1));
        }
        cases.add(alternating.toString());
        cases.add(alternating2.toString());
        List<String> variants = new ArrayList<>();
        for (String spelled : cases) {
            variants.add(spelled);
            variants.add(percentEncodeFirst(spelled, false));
            variants.add(percentEncodeAll(spelled, false));
            variants.add(percentEncodeAll(spelled, true));
        }
        variants.add("%2563onfidential"); // double encoding: a file literally named %63onfidential (404)
        variants.add("confidential%20");
        variants.add("confidential.");
        variants.add("conf%69dential");
        variants.add("confıdential"); // dotless i, sent as its ISO-8859-1 byte: not valid UTF-8 (400)
        variants.add("conf%c4%b1dential"); // dotless i, UTF-8: another name on a case-sensitive file system
        variants.add("CONF%c4%b0DENTIAL"); // capital I with dot above
        return variants;
    }

    private static String percentEncodeFirst(String s, boolean upperHex) {
        return String.format(upperHex ? "%%%02X" : "%%%02x", (int) s.charAt(0)) + s.substring(1);
    }

    private static String percentEncodeAll(String s, boolean upperHex) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(String.format(upperHex ? "%%%02X" : "%%%02x", (int) c));
        }
        return out.toString();
    }

    private static Map<String, List<String>> readCorpus() throws IOException {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        try (InputStream in = PathTraversalCorpusTest.class.getResourceAsStream("path-traversal-corpus.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            for (String line : text.split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    current = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new ArrayList<>());
                } else {
                    current.add(line);
                }
            }
        }
        return sections;
    }

    /** Keep-alive requests over one connection, reconnecting whenever the server closes it. */
    private static final class KeepAliveClient implements AutoCloseable {
        private RawHttp http;

        RawHttp.Response get(String target) throws IOException {
            String request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
            for (int attempt = 0; ; attempt++) {
                if (http == null) {
                    http = new RawHttp(server.address());
                }
                try {
                    http.send(request);
                    RawHttp.Response r = http.read();
                    if ("close".equalsIgnoreCase(r.header("Connection"))) {
                        close();
                    }
                    return r;
                } catch (IOException e) {
                    close();
                    if (attempt > 0) {
                        throw new IOException("no answer to " + target, e);
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (http != null) {
                http.close();
                http = null;
            }
        }
    }
}
