package io.github.camelregistrator.docker;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.github.camelregistrator.service.LargeValues;

/**
 * The object mapper of the Docker clients: every string over {@link LargeValues#LIMIT}
 * characters is read as a short marker instead (Jackson still reads it through once, but no
 * String of it is made or kept). Labels and environment values of a megabyte, in inspect answers and in every event
 * of the stream, then cost a few bytes each once parsed.
 */
final class CappedStrings extends StdScalarDeserializer<String> {
    private CappedStrings() {
        super(String.class);
    }

    /**
     * Configured as docker-java's own mapper, but without its module that reads every model
     * object as a whole JSON tree first and keeps a copy of all its values ("raw values",
     * which nothing here reads): objects are bound as the answer streams in.
     */
    static ObjectMapper mapper() {
        return new ObjectMapper()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .registerModule(new SimpleModule("registrator-capped-strings")
                        .addDeserializer(String.class, new CappedStrings()));
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.hasToken(JsonToken.VALUE_STRING)) {
            int length = p.getTextLength();
            return length > LargeValues.LIMIT ? LargeValues.marker(length) : p.getText();
        }
        return StringDeserializer.instance.deserialize(p, ctxt);
    }
}
