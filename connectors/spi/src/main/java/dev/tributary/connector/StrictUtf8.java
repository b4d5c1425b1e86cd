package dev.tributary.connector;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one way bytes from outside become text: as UTF-8, refusing what is not — a stray byte,
 * a cut sequence, an overlong form, an encoded surrogate — instead of replacing it with U+FFFD
 * as {@code new String(bytes, UTF_8)} and {@code InputStreamReader} do, which would silently
 * turn one value (an id, a key, a payload) into another.
 */
public final class StrictUtf8 {

    private StrictUtf8() {
    }

    /** A decoder that reports malformed input; decoders are not thread-safe, so each use takes its own. */
    public static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * The text the bytes encode.
     *
     * @throws CharacterCodingException when they are not UTF-8
     */
    public static String decode(byte[] bytes) throws CharacterCodingException {
        return decoder().decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** Whether the bytes are UTF-8. */
    public static boolean isValid(byte[] bytes) {
        try {
            decode(bytes);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
