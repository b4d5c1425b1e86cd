package dev.tributary.api.sync;

import jakarta.inject.Singleton;

/** Lets tests outside the package run the purge now instead of waiting for its schedule. */
@Singleton
public class IdempotencyPurgeProbe {

    private final IdempotencyPurge purge;

    IdempotencyPurgeProbe(IdempotencyPurge purge) {
        this.purge = purge;
    }

    public long purge() {
        return purge.purge();
    }
}
