package dev.tributary.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The CLI's progress: one bar redrawn in place on a terminal, plain lines anywhere else. */
class ProgressDisplayTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void onATerminalOneBarIsRedrawnInPlaceAndEndedWithANewline() {
        var display = new ProgressDisplay(stream, true);
        display.show("permits full", 1_000, 3_000, "");
        display.show("permits full", 3_000, 3_000, "updated=5");
        display.finish();
        assertEquals("\rpermits full [##########....................] 33% 1000/3000"
                + "\rpermits full [##############################] 100% 3000/3000 updated=5\n", text());
    }

    @Test
    void aShorterLineOnATerminalBlanksWhatTheLongerOneLeft() {
        var display = new ProgressDisplay(stream, true);
        display.show("items", 10, 0, "new=10 updated=0");
        display.show("items", 20, 0, "");
        assertEquals("\ritems: 10 new=10 updated=0\ritems: 20" + " ".repeat(17), text());
    }

    @Test
    void elsewhereEachMoveIsAPlainLineAndRepeatsAreLeftOut() {
        var display = new ProgressDisplay(stream, false);
        display.show("permits full", 1_000, 3_000, "");
        display.show("permits full", 1_000, 3_000, "");
        display.show("permits full", 3_000, 3_000, "");
        display.show("items", 7, 0, "new=7");
        display.finish();
        assertEquals("permits full: 1000/3000 (33%)\npermits full: 3000/3000 (100%)\nitems: 7 new=7\n",
                text().replace(System.lineSeparator(), "\n"));
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
