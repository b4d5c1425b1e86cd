package dev.tributary.connector.testkit;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A fake Stripe API on a real socket, in Stripe's shapes: list endpoints under
 * {@code /v1/<resource>} (newest first, {@code limit} up to 100, {@code starting_after},
 * {@code created} or {@code created[gt|gte|lt|lte]} in Unix seconds on every list but
 * {@code /v1/subscription_items}, which refuses it as Stripe does),
 * one object at {@code /v1/<resource>/<id>}, {@code /v1/events} (30 days of them,
 * the same {@code created} filters, {@code type} with a {@code *} wildcard), errors as
 * {@code {"error": {"type", "code", "message"}}}, 429s as Stripe sends them (without a
 * {@code Retry-After}), a required secret key — and a webhook sender that signs its
 * deliveries with {@code Stripe-Signature: t=…,v1=…}. Every change to an object
 * records the event Stripe would.
 */
public final class FakeStripe extends FakeProvider {

    /** How long Stripe keeps events. */
    public static final Duration EVENT_RETENTION = Duration.ofDays(30);

    /** The resources served, with the object type each holds and the prefix of its ids. */
    private static final Map<String, String[]> RESOURCES = Map.of(
            "customers", new String[] {"customer", "cus_"},
            "products", new String[] {"product", "prod_"},
            "prices", new String[] {"price", "price_"},
            "subscriptions", new String[] {"subscription", "sub_"},
            "subscription_items", new String[] {"subscription_item", "si_"},
            "invoices", new String[] {"invoice", "in_"},
            "payment_intents", new String[] {"payment_intent", "pi_"},
            "charges", new String[] {"charge", "ch_"},
            "refunds", new String[] {"refund", "re_"},
            "coupons", new String[] {"coupon", "co_"});

    /** Subscriptions embed this many items; the rest are listed at /v1/subscription_items. */
    private static final int EMBEDDED_ITEMS = 10;

    private final String secretKey;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Objects> resources = new HashMap<>();
    private final Objects events = new Objects();

    /** One resource's objects in creation order (oldest first), with an index by id; a deleted one leaves null. */
    private static final class Objects {
        final List<Map<String, Object>> all = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();

        void add(Map<String, Object> object) {
            index.put((String) object.get("id"), all.size());
            all.add(object);
        }

        Map<String, Object> get(String id) {
            Integer at = index.get(id);
            return at == null ? null : all.get(at);
        }
    }

    private FakeStripe(String secretKey) {
        this.secretKey = secretKey;
        RESOURCES.keySet().forEach(resource -> resources.put(resource, new Objects()));
    }

    /** A fake Stripe account whose API answers only to {@code secretKey}. */
    public static FakeStripe start(String secretKey) {
        return new FakeStripe(secretKey);
    }

    // --- the account -----------------------------------------------------------------------

    /** Creates an object (a {@code resource} as in the URL: "customers", "prices", …) and its created event. */
    public synchronized String create(String resource, Map<String, Object> fields) {
        String[] kind = kind(resource);
        Map<String, Object> object = new LinkedHashMap<>();
        String id = fields.containsKey("id") ? (String) fields.get("id")
                : kind[1] + String.format("%010d", ids.incrementAndGet());
        object.put("id", id);
        object.put("object", kind[0]);
        object.put("created", clock.instant().getEpochSecond());
        object.put("livemode", false);
        object.putAll(fields);
        object.put("id", id);
        resources.get(resource).add(object);
        recordEvent(eventType(kind[0], "created"), object);
        return id;
    }

    /** Creates a subscription of a customer to prices, with one item per price. */
    public synchronized String createSubscription(String customer, List<String> prices) {
        String id = "sub_" + String.format("%010d", ids.incrementAndGet());
        List<Object> items = new ArrayList<>();
        for (String price : prices) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", "si_" + String.format("%010d", ids.incrementAndGet()));
            item.put("object", "subscription_item");
            item.put("created", clock.instant().getEpochSecond());
            item.put("price", price);
            item.put("quantity", 1);
            item.put("subscription", id);
            resources.get("subscription_items").add(item);
            items.add(item);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("customer", customer);
        fields.put("status", "active");
        fields.put("canceled_at", null);
        fields.put("ended_at", null);
        fields.put("items", Map.of("object", "list", "data", items.subList(0, Math.min(EMBEDDED_ITEMS, items.size())),
                "has_more", items.size() > EMBEDDED_ITEMS, "url", "/v1/subscription_items?subscription=" + id));
        return create("subscriptions", fields);
    }

    /** Many plain customers at once, for benchmarks: no events are recorded. */
    public synchronized void seedCustomers(int count) {
        Objects customers = resources.get("customers");
        long created = clock.instant().getEpochSecond();
        for (int i = 0; i < count; i++) {
            String id = "cus_" + String.format("%010d", ids.incrementAndGet());
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("id", id);
            object.put("object", "customer");
            object.put("created", created);
            object.put("email", "customer" + i + "@example.com");
            object.put("name", "Customer " + i);
            object.put("currency", "usd");
            object.put("balance", 0);
            object.put("delinquent", false);
            object.put("description", null);
            object.put("livemode", false);
            object.put("metadata", Map.of("seq", Integer.toString(i)));
            customers.add(object);
        }
    }

    /** Changes fields of an object and records its updated event (a canceled subscription: its deleted event). */
    public synchronized void update(String resource, String id, Map<String, Object> changes) {
        Map<String, Object> object = existing(resource, id);
        Map<String, Object> changed = new LinkedHashMap<>(object);
        changed.putAll(changes);
        replace(resource, changed);
        recordEvent(eventType((String) object.get("object"), "updated"), changed);
    }

    /** Cancels a subscription now, as Stripe's DELETE /v1/subscriptions/{id} does. */
    public synchronized void cancelSubscription(String id) {
        Map<String, Object> changed = new LinkedHashMap<>(existing("subscriptions", id));
        long now = clock.instant().getEpochSecond();
        changed.put("status", "canceled");
        changed.put("canceled_at", now);
        changed.put("ended_at", now);
        replace("subscriptions", changed);
        recordEvent("customer.subscription.deleted", changed);
    }

    /** Deletes an object and records its deleted event, which carries the object's last state. */
    public synchronized void delete(String resource, String id) {
        Map<String, Object> object = existing(resource, id);
        Objects objects = resources.get(resource);
        objects.all.set(objects.index.remove(id), null);
        recordEvent(eventType((String) object.get("object"), "deleted"), object);
    }

    public synchronized Map<String, Object> object(String resource, String id) {
        return resources.get(resource).get(id);
    }

    /** The id of the newest event. */
    public synchronized String lastEventId() {
        return (String) events.all.get(events.all.size() - 1).get("id");
    }

    /** An event as Stripe would deliver it. */
    public synchronized Map<String, Object> event(String eventId) {
        return events.get(eventId);
    }

    // --- webhooks --------------------------------------------------------------------------

    /** The {@code Stripe-Signature} header for a payload signed at {@code epochSeconds} with each secret. */
    public static String signature(String payload, long epochSeconds, String... secrets) {
        StringBuilder header = new StringBuilder("t=").append(epochSeconds);
        for (String secret : secrets) {
            header.append(",v1=").append(hmacHex("HmacSHA256", secret, epochSeconds + "." + payload));
        }
        return header.toString();
    }

    /** Delivers an event to a webhook endpoint, signed now with {@code secrets}, as Stripe does. */
    public Delivery sendWebhook(URI endpoint, String eventId, String... secrets) {
        String payload = Json.write(event(eventId));
        return deliver(endpoint, payload, Map.of("Stripe-Signature",
                signature(payload, clock.instant().getEpochSecond(), secrets)));
    }

    /** Delivers any body with any {@code Stripe-Signature}: for forged, stale and tampered deliveries. */
    public Delivery sendRaw(URI endpoint, String body, String signatureHeader) {
        return deliver(endpoint, body, signatureHeader == null ? Map.of() : Map.of("Stripe-Signature", signatureHeader));
    }

    /** An event as JSON text, exactly as {@link #sendWebhook} would send it. */
    public String eventJson(String eventId) {
        return Json.write(event(eventId));
    }

    // --- serving ---------------------------------------------------------------------------

    @Override
    protected boolean authorized(Request request) {
        return ("Bearer " + secretKey).equals(request.header("Authorization"));
    }

    @Override
    protected void unauthorized(Request request) throws IOException {
        error(request, 401, "invalid_request_error", null, "Invalid API Key provided.");
    }

    @Override
    protected void rateLimited(Request request, int retryAfterSeconds) throws IOException {
        error(request, 429, "invalid_request_error", "rate_limit",
                "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.");
    }

    @Override
    protected void failed(Request request, int status) throws IOException {
        error(request, status, "api_error", null, "An unexpected error occurred (injected).");
    }

    @Override
    protected synchronized void serve(Request request) throws IOException {
        String[] path = request.path().replaceAll("^/+|/+$", "").split("/");
        if (!request.method().equals("GET") || path.length < 2 || !path[0].equals("v1")) {
            error(request, 404, "invalid_request_error", null, "Unrecognized request URL (" + request.method() + ": "
                    + request.path() + ").");
            return;
        }
        String resource = path[1];
        if (resource.equals("events") && path.length == 2) {
            listEvents(request);
        } else if (RESOURCES.containsKey(resource) && path.length == 2) {
            list(request, resource);
        } else if ((RESOURCES.containsKey(resource) || resource.equals("events")) && path.length == 3) {
            Map<String, Object> object = resource.equals("events") ? events.get(path[2])
                    : resources.get(resource).get(path[2]);
            if (object == null) {
                error(request, 404, "invalid_request_error", "resource_missing",
                        "No such " + resource + ": '" + path[2] + "'");
            } else {
                request.send(200, object, Map.of());
            }
        } else {
            error(request, 404, "invalid_request_error", null, "Unrecognized request URL (GET: " + request.path()
                    + ").");
        }
    }

    private void list(Request request, String resource) throws IOException {
        Predicate<Map<String, Object>> filter = object -> true;
        if (resource.equals("subscription_items")) {
            Optional<String> created = request.query().keySet().stream().filter(k -> k.startsWith("created")).findFirst();
            if (created.isPresent()) {
                error(request, 400, "invalid_request_error", "parameter_unknown",
                        "Received unknown parameter: " + created.get());
                return;
            }
        }
        if (resource.equals("subscriptions") && !"all".equals(request.query().get("status"))) {
            String status = request.query().get("status");
            filter = status == null ? object -> !"canceled".equals(object.get("status"))
                    : object -> status.equals(object.get("status"));
        }
        if (resource.equals("subscription_items")) {
            String subscription = request.query().get("subscription");
            if (subscription == null) {
                error(request, 400, "invalid_request_error", "parameter_missing",
                        "Missing required param: subscription.");
                return;
            }
            filter = object -> subscription.equals(object.get("subscription"));
        }
        Optional<Predicate<Map<String, Object>>> created = created(request);
        if (created.isPresent()) {
            page(request, resources.get(resource), "/v1/" + resource, filter.and(created.get()));
        }
    }

    private void listEvents(Request request) throws IOException {
        long oldest = clock.instant().minus(EVENT_RETENTION).getEpochSecond();
        String type = request.query().get("type");
        Predicate<String> typeMatches = type == null ? t -> true
                : type.endsWith("*") ? t -> t.startsWith(type.substring(0, type.length() - 1)) : type::equals;
        Optional<Predicate<Map<String, Object>>> created = created(request);
        if (created.isPresent()) {
            page(request, events, "/v1/events", created.get().and(event -> createdAt(event) >= oldest
                    && typeMatches.test((String) event.get("type"))));
        }
    }

    /**
     * The list's {@code created} filter ({@code created=}, {@code created[gt]}, {@code [gte]}, {@code [lt]},
     * {@code [lte]}, Unix seconds), or empty after answering 400 to a value that is not an integer.
     */
    private static Optional<Predicate<Map<String, Object>>> created(Request request) throws IOException {
        Predicate<Map<String, Object>> filter = object -> true;
        for (var parameter : request.query().entrySet()) {
            String name = parameter.getKey();
            if (!name.equals("created") && !name.startsWith("created[")) {
                continue;
            }
            long bound;
            try {
                bound = Long.parseLong(parameter.getValue());
            } catch (NumberFormatException e) {
                error(request, 400, "invalid_request_error", "parameter_invalid_integer",
                        "Invalid integer: " + parameter.getValue());
                return Optional.empty();
            }
            Predicate<Long> holds = switch (name) {
                case "created" -> t -> t == bound;
                case "created[gt]" -> t -> t > bound;
                case "created[gte]" -> t -> t >= bound;
                case "created[lt]" -> t -> t < bound;
                case "created[lte]" -> t -> t <= bound;
                default -> null;
            };
            if (holds == null) {
                error(request, 400, "invalid_request_error", "parameter_unknown", "Received unknown parameter: " + name);
                return Optional.empty();
            }
            filter = filter.and(object -> holds.test(createdAt(object)));
        }
        return Optional.of(filter);
    }

    private static long createdAt(Map<String, Object> object) {
        return ((Number) object.get("created")).longValue();
    }

    /** Newest first, after {@code starting_after}, at most {@code limit} (1–100, default 10). */
    private void page(Request request, Objects objects, String url, Predicate<Map<String, Object>> filter)
            throws IOException {
        int limit;
        try {
            limit = Integer.parseInt(request.query().getOrDefault("limit", "10"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 100) {
            error(request, 400, "invalid_request_error", "parameter_invalid_integer",
                    "Invalid integer: limit must be between 1 and 100.");
            return;
        }
        int from = objects.all.size() - 1;
        String startingAfter = request.query().get("starting_after");
        if (startingAfter != null) {
            Integer at = objects.index.get(startingAfter);
            if (at == null) {
                error(request, 400, "invalid_request_error", "resource_missing",
                        "No such object: '" + startingAfter + "'");
                return;
            }
            from = at - 1;
        }
        List<Object> data = new ArrayList<>();
        boolean more = false;
        for (int i = from; i >= 0; i--) {
            Map<String, Object> object = objects.all.get(i);
            if (object == null || !filter.test(object)) {
                continue;
            }
            if (data.size() == limit) {
                more = true;
                break;
            }
            data.add(object);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("url", url);
        body.put("has_more", more);
        body.put("data", data);
        served(data);
        request.send(200, body, Map.of());
    }

    private static void error(Request request, int status, String type, String code, String message)
            throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        if (code != null) {
            error.put("code", code);
        }
        error.put("message", message);
        request.send(status, Map.of("error", error), Map.of("Request-Id", "req_fake"));
    }

    private void recordEvent(String type, Map<String, Object> object) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", "evt_" + String.format("%010d", ids.incrementAndGet()));
        event.put("object", "event");
        event.put("api_version", "2025-08-27.basil");
        event.put("created", clock.instant().getEpochSecond());
        event.put("type", type);
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("data", Map.of("object", new LinkedHashMap<>(object)));
        events.add(event);
    }

    private void replace(String resource, Map<String, Object> object) {
        Objects objects = resources.get(resource);
        objects.all.set(objects.index.get((String) object.get("id")), object);
    }

    private Map<String, Object> existing(String resource, String id) {
        kind(resource);
        Map<String, Object> object = resources.get(resource).get(id);
        if (object == null) {
            throw new IllegalArgumentException("no " + resource + " " + id);
        }
        return object;
    }

    private static String[] kind(String resource) {
        String[] kind = RESOURCES.get(resource);
        if (kind == null) {
            throw new IllegalArgumentException("the fake serves no resource " + resource);
        }
        return kind;
    }

    private static String eventType(String objectType, String verb) {
        return (objectType.equals("subscription") ? "customer.subscription" : objectType) + "." + verb;
    }
}
