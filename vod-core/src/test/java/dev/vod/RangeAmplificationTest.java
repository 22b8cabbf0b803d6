package dev.vod;

import static dev.vod.testing.Fixtures.DATA_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Range headers from known attacks, sent as exact bytes against the 100,000-byte {@code data.bin}. Each must be
 * answered 200, 206 or 416 with a body that is never larger than the file plus the part headers of a multipart
 * answer, and with parts that add up to no more than the file; the server stays healthy afterwards.
 *
 * <ul>
 *   <li>CVE-2011-3192 ("Apache Killer"): {@code bytes=0-,5-0,5-1,...,5-1299}, 1,300 overlapping ranges.</li>
 *   <li>CVE-2018-15756 (Spring): many ranges each covering (nearly) the whole file.</li>
 *   <li>MS15-034 (http.sys): {@code bytes=0-18446744073709551615} and {@code 18-18446744073709551615}, numbers
 *       that overflow 64-bit arithmetic.</li>
 * </ul>
 */
@Tag("hardening")
class RangeAmplificationTest {
    /** Generous bound on one multipart part's header: boundary line, Content-Type, Content-Range, blank line. */
    private static final int PART_OVERHEAD = 200;
    private static final Pattern PART_RANGE = Pattern.compile("Content-Range: bytes (\\d+)-(\\d+)/(\\d+)\r\n");

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    static Stream<Arguments> hostileRanges() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("Apache Killer", "bytes=0-," + ranges(0, 1300, i -> "5-" + i)));
        cases.add(Arguments.of("Apache Killer, without the invalid 5-0..5-4",
                "bytes=0-," + ranges(5, 1300, i -> "5-" + i)));
        cases.add(Arguments.of("Apache Killer, 99 ranges", "bytes=0-," + ranges(5, 104, i -> "5-" + i)));
        for (int copies : new int[] {2, 50, 100, 101, 1000}) {
            cases.add(Arguments.of("Spring: " + copies + " whole-file ranges",
                    "bytes=" + ranges(0, copies, i -> "0-" + (DATA_SIZE - 1))));
            cases.add(Arguments.of("Spring: " + copies + " open ranges", "bytes=" + ranges(0, copies, i -> "0-")));
            cases.add(Arguments.of("Spring: " + copies + " suffix ranges",
                    "bytes=" + ranges(0, copies, i -> "-" + DATA_SIZE)));
            cases.add(Arguments.of("Spring: " + copies + " shifted nearly-whole ranges",
                    "bytes=" + ranges(0, copies, i -> i + "-" + (DATA_SIZE - 1 - i))));
        }
        cases.add(Arguments.of("MS15-034", "bytes=0-18446744073709551615"));
        cases.add(Arguments.of("MS15-034 offset", "bytes=18-18446744073709551615"));
        cases.add(Arguments.of("MS15-034 suffix", "bytes=-18446744073709551615"));
        cases.add(Arguments.of("MS15-034 first", "bytes=18446744073709551615-"));
        cases.add(Arguments.of("MS15-034 both", "bytes=18446744073709551615-18446744073709551616"));
        cases.add(Arguments.of("long.max", "bytes=9223372036854775807-"));
        cases.add(Arguments.of("long.max + 1", "bytes=0-9223372036854775808"));
        cases.add(Arguments.of("100-digit numbers", "bytes=" + "9".repeat(100) + "-" + "9".repeat(100)));
        cases.add(Arguments.of("negative", "bytes=-5-10"));
        cases.add(Arguments.of("100 small disjoint ranges",
                "bytes=" + ranges(0, 100, i -> (i * 900) + "-" + (i * 900 + 9))));
        cases.add(Arguments.of("100 one-byte ranges far apart",
                "bytes=" + ranges(0, 100, i -> (i * 999) + "-" + (i * 999))));
        cases.add(Arguments.of("101 small disjoint ranges",
                "bytes=" + ranges(0, 101, i -> (i * 900) + "-" + (i * 900 + 9))));
        cases.add(Arguments.of("100 suffixes", "bytes=" + ranges(1, 101, i -> "-" + i)));
        cases.add(Arguments.of("reversed order", "bytes=" + ranges(0, 100, i -> ((99 - i) * 1000) + "-"
                + ((99 - i) * 1000 + 5))));
        cases.add(Arguments.of("empty elements", "bytes=" + ",".repeat(7000) + "0-1"));
        cases.add(Arguments.of("7 KiB header of 1,700 ranges", "bytes=0-0," + "1-1,".repeat(1700) + "2-2"));
        cases.add(Arguments.of("9 KiB header", "bytes=0-0," + "1-1,".repeat(2250) + "2-2"));
        cases.add(Arguments.of("whitespace flood", "bytes=" + " ".repeat(7000) + "0-1"));
        return cases.stream();
    }

    private static String ranges(int from, int to, java.util.function.IntFunction<String> range) {
        return String.join(",", IntStream.range(from, to).mapToObj(range).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRanges")
    void answeredWithoutAmplification(String attack, String range) throws Exception {
        RawHttp.Response r = RawHttp.exchange(server.address(),
                "GET /data.bin HTTP/1.1\r\nHost: localhost\r\nRange: " + range + "\r\n\r\n");
        int status = r.status();
        assertTrue(status == 200 || status == 206 || status == 416, attack + " -> " + r.statusLine());
        assertEquals(Long.parseLong(r.header("Content-Length")), r.body().length, "Content-Length");
        String type = r.header("Content-Type");
        if (status == 200) {
            assertArrayEquals(Fixtures.dataBytes(0, DATA_SIZE), r.body(), "200 is the whole file");
        } else if (status == 206 && type.startsWith("multipart/byteranges")) {
            Matcher part = PART_RANGE.matcher(r.bodyText());
            long partBytes = 0;
            int parts = 0;
            while (part.find()) {
                long first = Long.parseLong(part.group(1));
                long last = Long.parseLong(part.group(2));
                assertTrue(first <= last && last < DATA_SIZE, part.group());
                partBytes += last - first + 1;
                parts++;
            }
            assertTrue(parts >= 2, "a multipart answer has several parts");
            assertTrue(partBytes <= DATA_SIZE, attack + ": parts add up to " + partBytes + " bytes");
            assertTrue(r.body().length <= partBytes + (long) parts * PART_OVERHEAD,
                    attack + ": " + r.body().length + " bytes for " + parts + " parts of " + partBytes);
        } else if (status == 206) {
            Matcher m = Pattern.compile("bytes (\\d+)-(\\d+)/" + DATA_SIZE).matcher(r.header("Content-Range"));
            assertTrue(m.matches(), r.header("Content-Range"));
            long first = Long.parseLong(m.group(1));
            assertArrayEquals(Fixtures.dataBytes(first, Long.parseLong(m.group(2)) + 1), r.body());
        }
        assertTrue(r.body().length <= DATA_SIZE + 100L * PART_OVERHEAD, attack + ": body " + r.body().length);
    }

    @AfterAll
    static void stillHealthy() throws Exception {
        assertEquals(Fixtures.HELLO, RawHttp.exchange(server.address(), RawHttp.get("/hello.txt")).bodyText());
    }
}
