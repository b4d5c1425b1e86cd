package dev.tributary.connector;

import dev.tributary.connector.json.CanonicalJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookRequestTest {

    private static WebhookRequest request(byte[] body) {
        return new WebhookRequest(Map.of("x-signature", List.of("a", "b")), body);
    }

    @Test
    void aBodyIsReadAsTheJsonObjectItIs() throws Exception {
        var event = request("{\"id\": \"evt_1\"}".getBytes(StandardCharsets.UTF_8)).jsonObject("event");
        assertEquals("evt_1", CanonicalJson.stringAt(event, "/id"));
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsRejectedNamingWhatItShouldBe() {
        assertEquals("the event is not a JSON object", assertThrows(ConnectorException.Rejected.class,
                () -> request("[1]".getBytes(StandardCharsets.UTF_8)).jsonObject("event")).getMessage());
        assertTrue(assertThrows(ConnectorException.Rejected.class,
                () -> request("{\"id\": ".getBytes(StandardCharsets.UTF_8)).jsonObject("notification")).getMessage()
                .startsWith("the notification is not JSON: "));
        assertTrue(assertThrows(ConnectorException.Rejected.class,
                () -> request(new byte[] {'"', (byte) 0xc3, '"'}).jsonObject("event")).getMessage()
                .contains("not valid UTF-8"));
    }

    @Test
    void everyValueOfAHeaderIsKeptInOrder() {
        assertEquals(List.of("a", "b"), request(new byte[0]).headerValues("X-Signature"));
        assertEquals("a", request(new byte[0]).header("x-signature").orElseThrow());
    }
}
