package dev.tributary.connector.json;

import org.junit.jupiter.api.Test;

import java.io.IOException;

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
}
