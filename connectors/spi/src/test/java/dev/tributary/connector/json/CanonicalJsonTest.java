package dev.tributary.scheduler.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContentHashTest {

    @Test
    void keyOrderAndWhitespaceDoNotChangeTheHash() throws IOException {
        String a = "{\"b\": 1, \"a\": {\"y\": [1, {\"q\": true, \"p\": null}], \"x\": \"s\"}}";
        String b = "{\n  \"a\": {\"x\": \"s\", \"y\": [1, {\"p\": null, \"q\": true}]},\n  \"b\": 1\n}";
        assertArrayEquals(ContentHash.of(a), ContentHash.of(b));
        assertEquals("{\"a\":{\"x\":\"s\",\"y\":[1,{\"p\":null,\"q\":true}]},\"b\":1}", ContentHash.canonical(a));
    }

    @Test
    void anyChangeOfContentChangesTheHash() throws IOException {
        byte[] base = ContentHash.of("{\"a\": [1, 2], \"s\": \"x\\\\y\"}");
        for (String changed : new String[]{"{\"a\": [2, 1], \"s\": \"x\\\\y\"}", "{\"a\": [1, 2], \"s\": \"x/y\"}",
                "{\"a\": [1, 2.0], \"s\": \"x\\\\y\"}", "{\"a\": [1, 2], \"s\": \"x\\\\y\", \"t\": null}"}) {
            assertFalse(java.util.Arrays.equals(base, ContentHash.of(changed)), changed);
        }
    }

    @Test
    void unicodeIsHashedAsUtf8AndBackslashesSurvive() throws IOException {
        assertEquals("{\"name\":\"Zoë \\\\ 東京\"}", ContentHash.canonical("{\"name\": \"Zoë \\\\ 東京\"}"));
        assertArrayEquals(ContentHash.of("{\"name\": \"Zo\\u00eb\"}"), ContentHash.of("{\"name\": \"Zoë\"}"));
    }

    @Test
    void aRepeatedNameKeepsItsLastValue() throws IOException {
        assertEquals("{\"a\":2,\"b\":[1.50,1e3]}", ContentHash.canonical("{\"b\": [1.50, 1e3], \"a\": 1, \"a\": 2}"));
    }

    @Test
    void notJsonIsRefused() {
        assertThrows(IOException.class, () -> ContentHash.of("{\"a\": "));
        assertThrows(IOException.class, () -> ContentHash.of("{} {}"));
        assertThrows(IOException.class, () -> ContentHash.of(""));
    }
}
