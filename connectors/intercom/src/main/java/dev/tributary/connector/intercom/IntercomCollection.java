package dev.tributary.connector.intercom;

import dev.tributary.connector.CollectionSpec;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Intercom resources synced, and how each is listed: contacts and conversations
 * by cursor ({@code pages.next.starting_after}) with a search endpoint for what
 * changed; companies by page number; admins and tags whole, in one answer.
 */
enum IntercomCollection {
    CONTACT("intercom_contact", "contacts", "contact", Listing.CURSOR, "/contacts", "/data", "/contacts/search"),
    COMPANY("intercom_company", "companies", "company", Listing.PAGE_NUMBER, "/companies/list", "/data", null),
    CONVERSATION("intercom_conversation", "conversations", "conversation", Listing.CURSOR, "/conversations",
            "/conversations", "/conversations/search"),
    ADMIN("intercom_admin", "admins", "admin", Listing.WHOLE, "/admins", "/admins", null),
    TAG("intercom_tag", "tags", "tag", Listing.WHOLE, "/tags", "/data", null);

    enum Listing { CURSOR, PAGE_NUMBER, WHOLE }

    /** Seconds in a day: contact search compares its times by day. */
    static final long DAY = 86_400L;

    final String key;
    final String resource;
    final String type;
    final Listing listing;
    final String listPath;
    final String recordsPointer;
    /** The search endpoint (an {@code updated_at} query), or null when the resource has none. */
    final String searchPath;

    IntercomCollection(String key, String resource, String type, Listing listing, String listPath,
                       String recordsPointer, String searchPath) {
        this.key = key;
        this.resource = resource;
        this.type = type;
        this.listing = listing;
        this.listPath = listPath;
        this.recordsPointer = recordsPointer;
        this.searchPath = searchPath;
    }

    CollectionSpec spec() {
        return new CollectionSpec(key, resource);
    }

    /** Whether the resource has a search endpoint (contacts, conversations): what changed is asked there. */
    boolean searchable() {
        return searchPath != null;
    }

    /** Admins and tags carry no created or updated time. */
    boolean timeless() {
        return this == ADMIN || this == TAG;
    }

    /**
     * The value {@code v} for which the search predicate {@code field > v} matches every time from
     * {@code firstSecond} on. Contact search compares times by day — {@code > v} means "from the day
     * after v's day" (Intercom documents it) — so for contacts that is a day earlier, and the surplus
     * comes back for the caller to drop; conversation search compares seconds.
     */
    long searchBound(long firstSecond) {
        return this == CONTACT ? firstSecond - DAY : firstSecond - 1;
    }

    static Optional<IntercomCollection> byKey(String key) {
        return Arrays.stream(values()).filter(c -> c.key.equals(key)).findFirst();
    }

    static Optional<IntercomCollection> byType(String type) {
        return Arrays.stream(values()).filter(c -> c.type.equals(type)).findFirst();
    }
}
