package dev.vod.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a byte count such as {@code 1048576}, {@code 512k}, {@code 5M}, {@code 5MiB} or {@code 2G}.
 *
 * <p>Suffixes are powers of 1024, as in nginx and {@code java -Xmx}: {@code k}/{@code KiB} = 1024,
 * {@code m}/{@code MiB} = 1024², {@code g}/{@code GiB} = 1024³, {@code t}/{@code TiB} = 1024⁴, case-insensitive.
 * {@code KB}/{@code MB}/{@code GB} are refused because readers disagree on whether they mean 1000 or 1024.
 * Negative numbers, fractions and values over {@link Long#MAX_VALUE} are refused.
 */
public final class SizeConverter implements ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt](?:ib)?)?", Pattern.CASE_INSENSITIVE);

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    /**
     * The number of bytes {@code text} stands for.
     *
     * @throws TypeConversionException with a message fit for the command line when {@code text} is not a size
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new TypeConversionException(
                    "'" + text + "' is not a byte size (use e.g. 1048576, 512k, 5M, 5MiB or 2G)");
        }
        try {
            long number = Long.parseLong(m.group(1));
            return Math.multiplyExact(number, multiplier(m.group(2)));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + text + "' is too large a byte size");
        }
    }

    private static long multiplier(String suffix) {
        if (suffix == null) {
            return 1;
        }
        return switch (Character.toLowerCase(suffix.charAt(0))) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> throw new IllegalStateException("the pattern admits no other suffix: " + suffix);
        };
    }
}
