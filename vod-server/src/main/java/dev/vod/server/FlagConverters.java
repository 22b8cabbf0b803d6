package dev.vod.server;

import java.nio.file.FileSystems;
import java.time.Duration;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Small picocli converters for flag values, so a bad value is reported while parsing, naming its flag, instead
 * of surfacing later as a library exception. Byte sizes have their own {@link SizeConverter}.
 */
final class FlagConverters {
    private FlagConverters() {
    }

    /** A TCP port, 0..65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int port = Integer.parseInt(value.strip());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // falls through to the one message below
            }
            throw new TypeConversionException("'" + value + "' is not a port number (0-65535)");
        }
    }

    /** A whole number of seconds, 0 or more. */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                long seconds = Long.parseLong(value.strip());
                if (seconds >= 0) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // falls through to the one message below
            }
            throw new TypeConversionException("'" + value + "' is not a whole number of seconds (0 or more)");
        }
    }

    /** A glob as {@link java.nio.file.FileSystem#getPathMatcher} reads it, checked now rather than per request. */
    static final class Glob implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + value);
                return value;
            } catch (PatternSyntaxException e) {
                throw new TypeConversionException("'" + value + "' is not a valid glob: " + e.getDescription());
            }
        }
    }
}
