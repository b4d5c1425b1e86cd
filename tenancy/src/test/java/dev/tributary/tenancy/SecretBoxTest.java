package dev.tributary.tenancy;

import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {

    private static final String OLD_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String NEW_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void sealedSecretsOpenOnlyInTheirContext() {
        var box = new SecretBox(NEW_KEY, null);
        byte[] sealed = box.seal("{\"api_key\":\"sk_live_123\"}", "acme/billing");
        assertFalse(new String(sealed).contains("sk_live_123"));
        assertEquals("{\"api_key\":\"sk_live_123\"}", box.open(sealed, "acme/billing"));
        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(sealed, "globex/billing"));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(sealed, "acme/billing"));
    }

    @Test
    void rotationKeepsOldSecretsReadableAndSealsNewOnesWithTheNewKey() {
        byte[] underOldKey = new SecretBox(OLD_KEY, null).seal("old", "ctx");
        var rotated = new SecretBox(NEW_KEY, List.of(OLD_KEY));
        assertEquals("old", rotated.open(underOldKey, "ctx"));
        byte[] underNewKey = rotated.seal("new", "ctx");
        var error = assertThrows(SecretBox.SecretBoxException.class,
                () -> new SecretBox(OLD_KEY, null).open(underNewKey, "ctx"));
        assertTrue(error.getMessage().contains("TRIBUTARY_PREVIOUS_MASTER_KEYS"));
        assertThrows(SecretBox.SecretBoxException.class, () -> new SecretBox(NEW_KEY, null).open(underOldKey, "ctx"));
    }

    @Test
    void missingOrMalformedMasterKeyIsRefusedNamingTheVariable() {
        for (String bad : new String[]{null, "", "not base64!!", Base64.getEncoder().encodeToString(new byte[16])}) {
            var error = assertThrows(ConfigurationException.class, () -> new SecretBox(bad, null));
            assertTrue(error.getMessage().startsWith("TRIBUTARY_MASTER_KEY"), error.getMessage());
        }
    }
}
