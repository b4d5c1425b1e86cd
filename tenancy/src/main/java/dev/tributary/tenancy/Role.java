package dev.tributary.tenancy;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/** What a credential may do. Each role implies the ones before it: read < write < admin. */
public enum Role {
    SYNC_READ("sync:read"),
    SYNC_WRITE("sync:write"),
    SYNC_ADMIN("sync:admin");

    private final String claim;

    Role(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }

    public boolean implies(Role other) {
        return compareTo(other) >= 0;
    }

    public static Optional<Role> fromClaim(String claim) {
        return Arrays.stream(values()).filter(r -> r.claim.equals(claim)).findFirst();
    }

    /** The strongest of the named roles; unknown names grant nothing. */
    public static Optional<Role> strongest(Collection<String> claims) {
        return claims.stream().map(Role::fromClaim).flatMap(Optional::stream).max(Enum::compareTo);
    }
}
