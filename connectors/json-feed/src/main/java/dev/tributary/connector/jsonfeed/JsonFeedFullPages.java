package dev.tributary.connector.jsonfeed;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.StrictUtf8;
import dev.tributary.connector.json.JsonArrayStream;
import dev.tributary.connector.json.JsonRecordNormalizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A json-feed fetch, always full (a feed cannot be asked what changed): batches of the
 * document read as a stream. The cursor after a batch is the number of
 * records read so far, so a resumed fetch skips that many and goes on. Records created
 * before the app's {@code sync_from} (by {@code created_at_field}) are read and passed
 * over — not failures — and count towards the batch, so a feed of old records still
 * yields a page every {@code batch_size} records.
 */
final class JsonFeedFullPages implements PageSource {

    private final InputStream input;
    private final JsonFeedApi api;
    private final JsonFeedSettings settings;
    private final JsonRecordNormalizer normalizer;
    private final JsonArrayStream array;
    private final BufferedReader lines;
    private final Instant syncFrom;
    private long consumed;
    private boolean done;

    /**
     * @param input the document, from {@link JsonFeedApi#open()}
     * @param skip  how many records a previous run read (its cursor): they are read again and passed over
     */
    JsonFeedFullPages(InputStream input, JsonFeedApi api, JsonRecordNormalizer normalizer, long skip, Instant syncFrom)
            throws IOException {
        this.input = input;
        this.api = api;
        this.settings = api.settings();
        this.normalizer = normalizer;
        this.syncFrom = syncFrom;
        if (settings.jsonLines()) {
            // Strict: InputStreamReader's default replaces a bad byte with U+FFFD, storing text the feed never held.
            this.lines = new BufferedReader(new InputStreamReader(input, StrictUtf8.decoder()), 1 << 16);
            this.array = null;
        } else {
            this.array = new JsonArrayStream(input, settings.recordsPointer());
            this.lines = null;
        }
        for (long i = 0; i < skip && nextRecord().isPresent(); i++) {
            consumed++;
        }
    }

    @Override
    public Optional<Page> next() throws ConnectorException {
        if (done) {
            return Optional.empty();
        }
        List<NormalizedEntity> entities = new ArrayList<>(settings.batchSize());
        List<Page.RecordFailure> failures = new ArrayList<>();
        int read = 0;
        try {
            while (read < settings.batchSize()) {
                Optional<JsonRecordNormalizer.Outcome> next = nextRecord();
                if (next.isEmpty()) {
                    done = true;
                    break;
                }
                consumed++;
                read++;
                var outcome = next.get();
                if (outcome.entity() == null) {
                    failures.add(outcome.failure());
                } else if (!outcome.entity().createdBefore(syncFrom)) {
                    entities.add(outcome.entity());
                }
            }
        } catch (IOException e) {
            throw api.unreadable("after " + consumed + " records", e);
        }
        if (read == 0) {
            return Optional.empty();
        }
        return Optional.of(new Page(settings.collectionKey(), entities, failures, done ? null : Long.toString(consumed)));
    }

    private Optional<JsonRecordNormalizer.Outcome> nextRecord() throws IOException {
        if (array != null) {
            return array.next().map(normalizer::normalize);
        }
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!line.isBlank()) {
                return Optional.of(normalizer.normalize(line));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException ignored) {
            // The fetch is over either way.
        }
    }
}
