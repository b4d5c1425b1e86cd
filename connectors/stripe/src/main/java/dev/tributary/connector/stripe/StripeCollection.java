package dev.tributary.connector.stripe;

import dev.tributary.connector.CollectionSpec;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The Stripe resources synced: each one's collection key, list endpoint, object
 * type, the events that change it, and the list parameters that make a full
 * fetch complete (subscriptions: canceled ones too).
 */
enum StripeCollection {
    CUSTOMER("stripe_customer", "customers", "customer", "customer.*", Map.of()),
    PRODUCT("stripe_product", "products", "product", "product.*", Map.of()),
    PRICE("stripe_price", "prices", "price", "price.*", Map.of()),
    SUBSCRIPTION("stripe_subscription", "subscriptions", "subscription", "customer.subscription.*",
            Map.of("status", "all")),
    /** Listed through their subscriptions (Stripe lists items only per subscription). */
    SUBSCRIPTION_ITEM("stripe_subscription_item", "subscription_items", "subscription_item",
            "customer.subscription.*", Map.of()),
    INVOICE("stripe_invoice", "invoices", "invoice", "invoice.*", Map.of()),
    PAYMENT_INTENT("stripe_payment_intent", "payment_intents", "payment_intent", "payment_intent.*", Map.of()),
    CHARGE("stripe_charge", "charges", "charge", "charge.*", Map.of()),
    REFUND("stripe_refund", "refunds", "refund", "refund.*", Map.of()),
    COUPON("stripe_coupon", "coupons", "coupon", "coupon.*", Map.of());

    final String key;
    final String resource;
    final String objectType;
    final String events;
    final Map<String, String> listParameters;

    StripeCollection(String key, String resource, String objectType, String events, Map<String, String> listParameters) {
        this.key = key;
        this.resource = resource;
        this.objectType = objectType;
        this.events = events;
        this.listParameters = listParameters;
    }

    CollectionSpec spec() {
        return new CollectionSpec(key, resource);
    }

    /** Whether a deleted event removes the object; a deleted subscription is a canceled one, kept archived. */
    boolean deletable() {
        return this != SUBSCRIPTION && this != SUBSCRIPTION_ITEM;
    }

    static Optional<StripeCollection> byKey(String key) {
        return Arrays.stream(values()).filter(c -> c.key.equals(key)).findFirst();
    }

    static Optional<StripeCollection> byObjectType(String objectType) {
        return Arrays.stream(values()).filter(c -> c.objectType.equals(objectType)).findFirst();
    }
}
