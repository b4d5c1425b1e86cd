package dev.tributary.tenancy;

import java.util.Objects;

/**
 * Whose owned rows — saved filters, sync list items, push runs — a transaction sees and may
 * write: one owner's (a credential below {@code sync:admin}: its {@link Principal#id() id},
 * {@code jwt:<sub>} or {@code key:<api key id>}), or the whole tenant's ({@code sync:admin}, the
 * workers, the scheduled sync). {@link TenantScope} names it to PostgreSQL as
 * {@code tributary.user_id}, which row-level security checks beside the tenant.
 */
public record Ownership(String owner, boolean wholeTenant) {

    /** The setting's value for the whole tenant; no owner id is this ({@link Principal} ids have a prefix). */
    static final String WHOLE_TENANT = "*";

    /** The workers and the scheduled sync, which act for every owner of a tenant. */
    public static final Ownership SYSTEM = new Ownership("system", true);

    public Ownership {
        Objects.requireNonNull(owner, "owner");
        if (owner.isEmpty() || owner.equals(WHOLE_TENANT)) {
            throw new IllegalArgumentException("not an owner: '" + owner + "'");
        }
    }

    /** A credential's scope: its own rows, or with {@code sync:admin} its tenant's. */
    public static Ownership of(Principal principal) {
        return new Ownership(principal.id(), principal.role().map(role -> role.implies(Role.SYNC_ADMIN)).orElse(false));
    }

    /** Acting for one owner only (a worker running that owner's push). */
    public static Ownership only(String owner) {
        return new Ownership(owner, false);
    }

    /** The value of {@code tributary.user_id}. */
    String setting() {
        return wholeTenant ? WHOLE_TENANT : owner;
    }
}
