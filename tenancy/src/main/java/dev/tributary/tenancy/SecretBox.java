package dev.tributary.tenancy;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encrypts app credentials at rest with AES-256-GCM under the master key
 * ({@code TRIBUTARY_MASTER_KEY}, base64 of 32 bytes). Each ciphertext starts with
 * the id of the key that sealed it, so keys can rotate: put the old key in
 * {@code TRIBUTARY_PREVIOUS_MASTER_KEYS} (comma-separated) and it still opens what it
 * sealed, while everything new is sealed with the current key. The caller's
 * context (e.g. tenant and app) is bound in as associated data, so a ciphertext
 * copied to another row does not open.
 *
 * <p>Layout: version (1 byte) | key id (8 bytes) | IV (12 bytes) | ciphertext and tag.
 */
@Context
public class SecretBox {

    private static final byte VERSION = 1;
    private static final int KEY_ID_LENGTH = 8;
    private static final int IV_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] currentKeyId;
    private final Map<String, SecretKeySpec> keysById = new HashMap<>();

    public SecretBox(@Nullable @Value("${tributary.master-key}") String masterKey,
                     @Nullable @Value("${tributary.previous-master-keys}") List<String> previousKeys) {
        SecretKeySpec current = parse(masterKey, "TRIBUTARY_MASTER_KEY");
        this.currentKeyId = keyId(current);
        keysById.put(hex(currentKeyId), current);
        if (previousKeys != null) {
            for (String previous : previousKeys) {
                if (!previous.isBlank()) {
                    SecretKeySpec key = parse(previous.strip(), "TRIBUTARY_PREVIOUS_MASTER_KEYS");
                    keysById.putIfAbsent(hex(keyId(key)), key);
                }
            }
        }
    }

    public byte[] seal(String plaintext, String context) {
        try {
            byte[] iv = new byte[IV_LENGTH];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keysById.get(hex(currentKeyId)), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + KEY_ID_LENGTH + IV_LENGTH + sealed.length)
                    .put(VERSION).put(currentKeyId).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * @throws SecretBoxException when the ciphertext is damaged, sealed for another
     *                            context, or sealed with a key this node no longer has
     */
    public String open(byte[] ciphertext, String context) {
        if (ciphertext.length < 1 + KEY_ID_LENGTH + IV_LENGTH + TAG_BITS / 8 || ciphertext[0] != VERSION) {
            throw new SecretBoxException("not a sealed secret");
        }
        String keyId = hex(Arrays.copyOfRange(ciphertext, 1, 1 + KEY_ID_LENGTH));
        SecretKeySpec key = keysById.get(keyId);
        if (key == null) {
            throw new SecretBoxException("sealed with master key " + keyId
                    + ", which is neither TRIBUTARY_MASTER_KEY nor in TRIBUTARY_PREVIOUS_MASTER_KEYS");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext,
                    1 + KEY_ID_LENGTH, IV_LENGTH));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            int offset = 1 + KEY_ID_LENGTH + IV_LENGTH;
            return new String(cipher.doFinal(ciphertext, offset, ciphertext.length - offset), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretBoxException("secret is damaged or was sealed for another record");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public static final class SecretBoxException extends RuntimeException {
        SecretBoxException(String message) {
            super(message);
        }
    }

    private static SecretKeySpec parse(String base64, String variable) {
        if (base64 == null || base64.isBlank()) {
            throw new ConfigurationException(variable + " is not set: it must be the base64 of 32 random bytes"
                    + " (e.g. openssl rand -base64 32)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(variable + " is not valid base64");
        }
        if (key.length != 32) {
            throw new ConfigurationException(variable + " must decode to 32 bytes, not " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }

    private static byte[] keyId(SecretKeySpec key) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), KEY_ID_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
