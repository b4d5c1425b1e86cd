package dev.tributary.connector.testkit;

/** How a fake collection pages its list endpoint. */
public enum Pagination {
    /** {@code ?offset=&limit=} → {@code {"data": [...]}}; an empty page ends the list. */
    OFFSET,
    /** {@code ?page=&per_page=} (from 1) → {@code {"data": [...]}}; an empty page ends the list. */
    PAGE_NUMBER,
    /** {@code ?cursor=&limit=} → {@code {"data": [...], "next_cursor": "…"|null}}. */
    CURSOR,
    /** {@code ?page=&per_page=} → a bare JSON array, the next page in {@code Link: <…>; rel="next"}. */
    LINK_HEADER,
    /** {@code ?limit=} → {@code {"data": [...], "next": "<absolute URL>"|null}}. */
    NEXT_URL
}
