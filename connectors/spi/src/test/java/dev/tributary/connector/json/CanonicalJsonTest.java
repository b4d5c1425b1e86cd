package dev.tributary.connector.json;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CanonicalJsonTest {

    private static byte[] hash(String json) throws IOException {
        return CanonicalJson.text(CanonicalJson.parse(json)).sha256();
    }

    @Test
    void keyOrderAndWhitespaceDoNotChangeTheHash() throws IOException {
        String a = "{\"b\": 1, \"a\": {\"y\": [1, {\"q\": true, \"p\": null}], \"x\": \"s\"}}";
        String b = "{\n  \"a\": {\"x\": \"s\", \"y\": [1, {\"p\": null, \"q\": true}]},\n  \"b\": 1\n}";
        assertArrayEquals(hash(a), hash(b));
        assertEquals("{\"a\":{\"x\":\"s\",\"y\":[1,{\"p\":null,\"q\":true}]},\"b\":1}", CanonicalJson.canonical(a));
    }

    @Test
    void anyChangeOfContentChangesTheHash() throws IOException {
        byte[] base = hash("{\"a\": [1, 2], \"s\": \"x\\\\y\"}");
        for (String changed : new String[]{"{\"a\": [2, 1], \"s\": \"x\\\\y\"}", "{\"a\": [1, 2], \"s\": \"x/y\"}",
                "{\"a\": [1, 2.0], \"s\": \"x\\\\y\"}", "{\"a\": [1, 2], \"s\": \"x\\\\y\", \"t\": null}"}) {
            assertFalse(java.util.Arrays.equals(base, hash(changed)), changed);
        }
    }

    @Test
    void unicodeIsHashedAsUtf8AndBackslashesSurvive() throws IOException {
        assertEquals("{\"name\":\"Zoë \\\\ 東京\"}", CanonicalJson.canonical("{\"name\": \"Zoë \\\\ 東京\"}"));
        assertArrayEquals(hash("{\"name\": \"Zo\\u00eb\"}"), hash("{\"name\": \"Zoë\"}"));
    }

    @Test
    void aRepeatedNameKeepsItsLastValue() throws IOException {
        assertEquals("{\"a\":2,\"b\":[1.50,1e3]}", CanonicalJson.canonical("{\"b\": [1.50, 1e3], \"a\": 1, \"a\": 2}"));
    }

    @Test
    void notJsonIsRefused() {
        assertThrows(IOException.class, () -> hash("{\"a\": "));
        assertThrows(IOException.class, () -> hash("{} {}"));
        assertThrows(IOException.class, () -> hash(""));
    }

    @Test
    void scalarsAreFoundByJsonPointer() throws IOException {
        var value = CanonicalJson.parse("{\"id\": 7, \"a/b\": {\"list\": [\"x\", true, null, {\"deep\": 1.50}]}}");
        assertEquals("7", CanonicalJson.scalarAt(value, "/id"));
        assertEquals("x", CanonicalJson.scalarAt(value, "/a~1b/list/0"));
        assertEquals("true", CanonicalJson.scalarAt(value, "/a~1b/list/1"));
        assertEquals("1.50", CanonicalJson.scalarAt(value, "/a~1b/list/3/deep"));
        assertNull(CanonicalJson.scalarAt(value, "/a~1b/list/2"), "a JSON null");
        assertNull(CanonicalJson.scalarAt(value, "/a~1b/list"), "a container");
        assertNull(CanonicalJson.scalarAt(value, "/a~1b/list/9"), "past the end");
        assertNull(CanonicalJson.scalarAt(value, "/missing"));
        assertEquals("x", CanonicalJson.stringAt(value, "/a~1b/list/0"));
        assertNull(CanonicalJson.stringAt(value, "/id"), "a number is not a string");
        assertNull(CanonicalJson.stringAt(value, "/a~1b/list/1"), "nor is a boolean");
    }

    @Test
    void withoutDropsOnlyTheNamedTopLevelMembers() throws IOException {
        var value = CanonicalJson.parse("{\"keep\": {\"etag\": 1}, \"etag\": \"x\", \"z\": 2}");
        assertEquals("{\"keep\":{\"etag\":1},\"z\":2}",
                CanonicalJson.text(CanonicalJson.without(value, java.util.Set.of("etag"))).json());
    }

    @Test
    void aRecordBeyondTheKeptBufferSizeRendersWholeAndTheNextOneIsUnaffected() throws IOException {
        String big = "{\"s\": \"" + "x".repeat(3 << 20) + "\"}";
        assertEquals(big.replace(" ", ""), CanonicalJson.canonical(big));
        assertEquals("{\"a\":1}", CanonicalJson.canonical("{\"a\": 1}"));
        assertArrayEquals(hash("{\"a\": 1}"), hash("{ \"a\" : 1 }"));
    }

    @Test
    void nulIsDroppedFromStringsAndNamesAsTheyAreRead() throws IOException {
        var value = CanonicalJson.parse("{\"na\\u0000me\": \"a\\u0000b\", \"list\": [\"\\u0000\"], \"n\": 1}");
        assertEquals("{\"list\":[\"\"],\"n\":1,\"name\":\"ab\"}", CanonicalJson.text(value).json());
        assertEquals("ab", CanonicalJson.scalarAt(value, "/name"));
        assertEquals("{\"a\":2}", CanonicalJson.canonical("{\"a\": 1, \"a\\u0000\": 2}"),
                "a name that becomes another one is a repeated name: the later member wins");
    }

    @Test
    void halfSurrogatesAreDroppedAndWholePairsKept() throws IOException {
        assertEquals("{\"s\":\"ab\"}", CanonicalJson.canonical("{\"s\": \"a\\ud800b\"}"));
        assertEquals("{\"s\":\"a\"}", CanonicalJson.canonical("{\"s\": \"a\\udc00\"}"));
        assertEquals("😀", CanonicalJson.scalarAt(CanonicalJson.parse("{\"s\": \"\\ud83d\\ude00\"}"), "/s"));
        var mixed = CanonicalJson.parse("{\"😀\\udc00\": \"x\\udc00😀\\ud800\"}");
        assertEquals("x😀", CanonicalJson.scalarAt(mixed, "/😀"));
    }

    @Test
    void bytesAreReadAsStrictUtf8() throws IOException {
        assertEquals("é", CanonicalJson.scalarAt(CanonicalJson.parse("{\"s\": \"é\"}".getBytes(UTF_8)), "/s"));
        byte[] invalid = {'{', '"', 's', '"', ':', '"', 'a', (byte) 0xff, '"', '}'};
        assertThrows(IOException.class, () -> CanonicalJson.parse(invalid), "never replaced by U+FFFD");
        byte[] overlongNul = {'{', '"', 's', '"', ':', '"', (byte) 0xc0, (byte) 0x80, '"', '}'};
        assertThrows(IOException.class, () -> CanonicalJson.parse(overlongNul), "an overlong NUL");
        byte[] encodedSurrogate = {'{', '"', 's', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'};
        assertThrows(IOException.class, () -> CanonicalJson.parse(encodedSurrogate), "a surrogate encoded on its own");
        assertThrows(IOException.class, () -> CanonicalJson.parse("[1] [2]".getBytes(UTF_8)));
    }

    @Test
    void absurdlyDeepDocumentsAreRefusedNotOverflowed() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThrows(IOException.class, () -> CanonicalJson.parse(deep));
        assertThrows(IOException.class, () -> CanonicalJson.parse(deep.getBytes(UTF_8)));
    }
}
