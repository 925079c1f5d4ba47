package dev.augsweep.search;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a search draws one setting, as a job file writes it: {@code "uniform(0.1, 1.0)"}, {@code "loguniform(0.01,
 * 0.5)"}, {@code "intrange(50, 400)"} (both ends included) or {@code "choice(256, 512)"}. A distribution maps a
 * coordinate of the unit cube (what a {@link Sampler} draws) to a value, so random and quasi-random samplers share it.
 */
public sealed interface Distribution extends Serializable {
    /** The value at coordinate {@code u} in [0, 1): Double, Integer or String. */
    Object at(double u);

    /** The text a job file gives, normalised: "loguniform(0.01, 0.5)". */
    String text();

    /**
     * A value proposed elsewhere (a model's, unrounded) as this distribution records its own draws: four significant
     * digits inside the range for uniform and loguniform; others as they are.
     */
    default Object recorded(Object value) {
        return value;
    }

    /** Whether every value it draws is a whole number (intrange, or a choice of whole numbers). */
    default boolean wholeNumbers() {
        return false;
    }

    /** Whether plots put this setting on a log axis. */
    default boolean logScale() {
        return false;
    }

    record Uniform(double low, double high) implements Distribution {
        @Override
        public Object at(double u) {
            return round(low + u * (high - low), low, high);
        }

        @Override
        public String text() {
            return "uniform(" + number(low) + ", " + number(high) + ")";
        }

        @Override
        public Object recorded(Object value) {
            return round(((Number) value).doubleValue(), low, high);
        }
    }

    record LogUniform(double low, double high) implements Distribution {
        @Override
        public Object at(double u) {
            return round(Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))), low, high);
        }

        @Override
        public String text() {
            return "loguniform(" + number(low) + ", " + number(high) + ")";
        }

        @Override
        public Object recorded(Object value) {
            return round(((Number) value).doubleValue(), low, high);
        }

        @Override
        public boolean logScale() {
            return true;
        }
    }

    record IntRange(int low, int high) implements Distribution {
        @Override
        public Object at(double u) {
            long width = (long) high - low; // in long: a range wider than int's half overflows int
            return (int) (low + Math.min(width, (long) Math.floor(u * (width + 1))));
        }

        @Override
        public String text() {
            return "intrange(" + low + ", " + high + ")";
        }

        @Override
        public boolean wholeNumbers() {
            return true;
        }
    }

    /** Values are numbers where they read as numbers (choice(256, 512)), text otherwise (choice(nchw, channels-last)). */
    record Choice(List<Object> values) implements Distribution {
        public Choice {
            values = List.copyOf(values);
        }

        @Override
        public Object at(double u) {
            return values.get((int) Math.min(values.size() - 1, Math.floor(u * values.size())));
        }

        @Override
        public String text() {
            return "choice(" + String.join(", ", values.stream().map(String::valueOf).toList()) + ")";
        }

        @Override
        public boolean wholeNumbers() {
            return values.stream().allMatch(v -> v instanceof Integer);
        }
    }

    Pattern FORM = Pattern.compile("\\s*([a-z]+)\\s*\\((.*)\\)\\s*");

    /** Reads {@code text} for {@code key}; every problem goes to {@code problems}, naming the key; null then. */
    static Distribution parse(String key, String text, String where, List<String> problems) {
        Matcher m = FORM.matcher(text);
        String expected = "expected uniform(low, high), loguniform(low, high), intrange(low, high) or "
                + "choice(a, b, ...), e.g. search { " + key + " = \"loguniform(0.01, 0.5)\" }";
        if (!m.matches()) {
            problems.add("search." + key + " = '" + text + "' in " + where + " is not a distribution; " + expected);
            return null;
        }
        List<String> args = new ArrayList<>();
        for (String a : m.group(2).split(",")) {
            if (!a.isBlank()) {
                args.add(a.trim());
            }
        }
        String name = m.group(1);
        String bad = "search." + key + " = '" + text + "' in " + where + ": ";
        try {
            switch (name) {
                case "uniform", "loguniform" -> {
                    if (args.size() != 2) {
                        problems.add(bad + name + " takes two bounds, low and high");
                        return null;
                    }
                    double low = Double.parseDouble(args.get(0));
                    double high = Double.parseDouble(args.get(1));
                    if (!(low < high)) {
                        problems.add(bad + "the range is empty; low must be below high");
                        return null;
                    }
                    if (name.equals("loguniform") && low <= 0) {
                        problems.add(bad + "loguniform needs bounds above 0 (it draws the logarithm uniformly)");
                        return null;
                    }
                    return name.equals("uniform") ? new Uniform(low, high) : new LogUniform(low, high);
                }
                case "intrange" -> {
                    if (args.size() != 2) {
                        problems.add(bad + "intrange takes two whole bounds, low and high (both included)");
                        return null;
                    }
                    int low = Integer.parseInt(args.get(0));
                    int high = Integer.parseInt(args.get(1));
                    if (low > high) {
                        problems.add(bad + "the range is empty; low must not be above high");
                        return null;
                    }
                    return new IntRange(low, high);
                }
                case "choice" -> {
                    if (args.isEmpty()) {
                        problems.add(bad + "choice needs at least one value");
                        return null;
                    }
                    return new Choice(args.stream().map(Distribution::value).toList());
                }
                default -> {
                    problems.add(bad + "'" + name + "' is not a known distribution; " + expected);
                    return null;
                }
            }
        } catch (NumberFormatException e) {
            problems.add(bad + "the bounds must be numbers (" + e.getMessage() + ")");
            return null;
        }
    }

    private static Object value(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException notInt) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException notNumber) {
                return s;
            }
        }
    }

    /**
     * Four significant digits, inside the range: a sampled learning rate of 0.03127 reads as such in ids, tables
     * and plots, and no search over a continuous range is finer than that.
     */
    private static double round(double v, double low, double high) {
        java.math.BigDecimal d = new java.math.BigDecimal(v);
        double r = d.round(new java.math.MathContext(4, java.math.RoundingMode.HALF_EVEN)).doubleValue();
        if (r < low) { // uniform(0.12344, 0.2) rounded 0.123441 to 0.1234: round inwards instead
            r = d.round(new java.math.MathContext(4, java.math.RoundingMode.CEILING)).doubleValue();
        } else if (r > high) {
            r = d.round(new java.math.MathContext(4, java.math.RoundingMode.FLOOR)).doubleValue();
        }
        return r >= low && r <= high ? r : Math.min(high, Math.max(low, v)); // a range finer than four digits
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }
}
