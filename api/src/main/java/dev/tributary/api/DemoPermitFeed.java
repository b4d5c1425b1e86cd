package dev.tributary.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The demo's sample feed: building permits in JSON Lines, generated from a fixed seed so every run of
 * the demo (and its test) sees the same records — nothing downloaded, nothing random. A permit in
 * {@code revised} has moved on to {@code Final} with a later {@code status_date}, as a city's next
 * daily export would show it.
 */
record DemoPermitFeed(int count) {

    private static final List<String> STREETS = List.of("Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir",
            "Hawthorn", "Juniper", "Laurel", "Maple", "Oak", "Pine", "Spruce", "Willow");
    private static final List<String> SUFFIXES = List.of("St", "Ave", "Rd", "Way", "Ln");
    private static final List<String> TYPES = List.of("New construction", "Addition", "Alteration", "Demolition",
            "Electrical", "Plumbing", "Roofing", "Solar");
    private static final List<String> STATUSES = List.of("Under review", "Issued", "Issued", "Issued", "Expired",
            "Cancelled");
    private static final Instant FIRST_ISSUE = Instant.parse("2024-01-02T09:00:00Z");

    /** A permit's number, as the feed writes it: {@code BP-2024-00001} for the first. */
    static String permitNumber(int index) {
        return "BP-2024-%05d".formatted(index + 1);
    }

    /** Writes the feed to {@code file}, the permits in {@code revised} (by index) in their later state. */
    void write(Path file, Set<Integer> revised) {
        var random = new Random(19);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                // Every permit draws the same numbers whether revised or not, so the others stay byte for byte.
                Instant issued = FIRST_ISSUE.plus(Duration.ofMinutes(i * 173L + random.nextInt(120)));
                String address = (1 + random.nextInt(9_800)) + " " + pick(random, STREETS) + " "
                        + pick(random, SUFFIXES);
                String type = pick(random, TYPES);
                String status = pick(random, STATUSES);
                long valuation = 500L * (1 + random.nextInt(2_000));
                boolean revise = revised.contains(i);
                try (JsonGenerator json = new JsonFactory().createGenerator(writer)) {
                    json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                    json.writeStartObject();
                    json.writeStringField("permit_number", permitNumber(i));
                    json.writeStringField("address", address);
                    json.writeStringField("permit_type", type);
                    json.writeStringField("status", revise ? "Final" : status);
                    json.writeStringField("issued_at", issued.toString());
                    json.writeStringField("status_date", (revise ? issued.plus(Duration.ofDays(90)) : issued).toString());
                    json.writeNumberField("valuation", valuation);
                    json.writeEndObject();
                }
                writer.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the demo feed " + file, e);
        }
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
