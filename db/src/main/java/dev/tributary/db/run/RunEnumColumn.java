package dev.tributary.db.run;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.function.Function;

/**
 * Stores a run's enum by its {@code value()} (Micronaut Data would store its constant's name):
 * the strings the table's CHECK constraints name and that the API shows.
 */
abstract class RunEnumColumn<E extends Enum<E>> implements AttributeConverter<E, String> {

    private final Function<E, String> value;
    private final Function<String, Optional<E>> parse;

    RunEnumColumn(Function<E, String> value, Function<String, Optional<E>> parse) {
        this.value = value;
        this.parse = parse;
    }

    @Override
    public String convertToPersistedValue(E constant, ConversionContext context) {
        return constant == null ? null : value.apply(constant);
    }

    @Override
    public E convertToEntityValue(String stored, ConversionContext context) {
        return stored == null ? null : parse.apply(stored)
                .orElseThrow(() -> new IllegalStateException("sync_runs holds an unknown value " + stored));
    }

    @Singleton
    static final class Status extends RunEnumColumn<RunStatus> {
        Status() {
            super(RunStatus::value, RunStatus::of);
        }
    }

    @Singleton
    static final class Trigger extends RunEnumColumn<RunTrigger> {
        Trigger() {
            super(RunTrigger::value, RunTrigger::of);
        }
    }

    @Singleton
    static final class Mode extends RunEnumColumn<RunMode> {
        Mode() {
            super(RunMode::value, RunMode::of);
        }
    }

    @Singleton
    static final class Kind extends RunEnumColumn<RunKind> {
        Kind() {
            super(RunKind::value, RunKind::of);
        }
    }
}
