package dev.tributary.api.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.Encoder;
import io.micronaut.serde.Serializer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Writes a {@link StoredJson} into the response as the JSON value it is, event by event:
 * numbers travel as BigInteger / BigDecimal, so an amount such as 0.1000000000000000055511 or
 * 1e400 (which jsonb keeps exactly) is neither rounded through a double nor turned into
 * "Infinity". The text comes from our own jsonb column, which PostgreSQL has validated, and
 * jsonb prints numbers in full (1e400 is 401 digits), so Jackson's limits on number and
 * string length — meant for untrusted input — are lifted here.
 */
@Singleton
class StoredJsonSerializer implements Serializer<StoredJson> {

    private static final JsonFactory STORED = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    @Override
    public void serialize(Encoder encoder, EncoderContext context, Argument<? extends StoredJson> type,
                          StoredJson value) throws IOException {
        try (JsonParser parser = STORED.createParser(value.text())) {
            parser.nextToken();
            copy(parser, encoder);
        }
    }

    /** Copies the value at the parser's current token, leaving the parser on its last token. */
    private static void copy(JsonParser parser, Encoder encoder) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Encoder object = encoder.encodeObject(Argument.OBJECT_ARGUMENT);
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    object.encodeKey(parser.currentName());
                    parser.nextToken();
                    copy(parser, object);
                }
                object.finishStructure();
            }
            case START_ARRAY -> {
                Encoder array = encoder.encodeArray(Argument.OBJECT_ARGUMENT);
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    copy(parser, array);
                }
                array.finishStructure();
            }
            case VALUE_STRING -> encoder.encodeString(parser.getText());
            case VALUE_NUMBER_INT -> encoder.encodeBigInteger(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> encoder.encodeBigDecimal(parser.getDecimalValue());
            case VALUE_TRUE -> encoder.encodeBoolean(true);
            case VALUE_FALSE -> encoder.encodeBoolean(false);
            case VALUE_NULL -> encoder.encodeNull();
            default -> throw new IOException("not a stored JSON value: " + token);
        }
    }
}
