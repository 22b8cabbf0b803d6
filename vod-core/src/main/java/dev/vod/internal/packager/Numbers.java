package dev.vod.internal.packager;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Decimal numbers as manifests write them: a dot in every locale, exact to the microsecond. */
public final class Numbers {
    private Numbers() {
    }

    /** {@code ticks / timescale} with at least 3 and at most 6 decimals, e.g. {@code 6.000}, {@code 5.96}. */
    public static String seconds(long ticks, long timescale) {
        BigDecimal value = BigDecimal.valueOf(ticks).divide(BigDecimal.valueOf(timescale), 6, RoundingMode.HALF_UP)
                .stripTrailingZeros();
        if (value.scale() < 3) {
            value = value.setScale(3);
        }
        return value.toPlainString();
    }

    /** {@code value} with at most 3 decimals, no trailing zeros, e.g. {@code 25}, {@code 29.97}. */
    public static String decimal(double value) {
        BigDecimal d = BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
