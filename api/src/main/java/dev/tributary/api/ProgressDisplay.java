package dev.tributary.api;

import java.io.PrintStream;

/**
 * How long CLI work ({@code sync}, {@code demo}) shows how far it got: on a terminal one bar redrawn in
 * place ({@code \r}), otherwise — a pipe, a log file, a CI console — a plain line whenever the count moves,
 * since carriage returns there pile up as one unreadable line.
 */
final class ProgressDisplay {

    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private String lastLine = "";

    ProgressDisplay(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** A bar when this process writes to a terminal ({@link System#console()}), plain lines otherwise. */
    static ProgressDisplay forStandardError() {
        return new ProgressDisplay(System.err, System.console() != null);
    }

    /**
     * Shows {@code done} of {@code expected} for {@code label} followed by {@code detail};
     * {@code expected} ≤ 0 means the total is not known, so a count is shown without a bar.
     */
    synchronized void show(String label, long done, long expected, String detail) {
        String line = terminal ? bar(label, done, expected, detail) : plain(label, done, expected, detail);
        if (line.equals(lastLine)) {
            return;
        }
        if (terminal) {
            // Spaces over what a longer previous line left on the screen.
            out.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
            out.flush();
        } else {
            out.println(line);
        }
        lastLine = line;
    }

    /** Ends the current bar with a newline on a terminal; plain lines need none. */
    synchronized void finish() {
        if (terminal && !lastLine.isEmpty()) {
            out.println();
        }
        lastLine = "";
    }

    static String bar(String label, long done, long expected, String detail) {
        if (expected <= 0) {
            return plain(label, done, expected, detail);
        }
        int filled = (int) (BAR_WIDTH * Math.min(done, expected) / expected);
        return label + " [" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + percent(done, expected)
                + " " + done + "/" + expected + suffixed(detail);
    }

    static String plain(String label, long done, long expected, String detail) {
        return label + ": " + done + (expected <= 0 ? "" : "/" + expected + " (" + percent(done, expected) + ")")
                + suffixed(detail);
    }

    private static String percent(long done, long expected) {
        return (100 * Math.min(done, expected) / expected) + "%";
    }

    private static String suffixed(String detail) {
        return detail.isEmpty() ? "" : " " + detail;
    }
}
