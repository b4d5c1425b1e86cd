package dev.tributary.tenancy;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** What a credential may do. Each role implies the ones before it: read < write < admin. */
public enum Role {
    SYNC_READ(Role.READ),
    SYNC_WRITE(Role.WRITE),
    SYNC_ADMIN(Role.ADMIN);

    /** The roles' claims, as constants for {@code @Secured}. */
    public static final String READ = "sync:read";
    public static final String WRITE = "sync:write";
    public static final String ADMIN = "sync:admin";

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

    /**
     * This role's claim and the claims of every role it implies: the roles an {@code Authentication} carries, so
     * that a route declaring {@code @Secured(Role.READ)} admits a {@code sync:admin} credential as well.
     */
    public List<String> impliedClaims() {
        return Arrays.stream(values()).filter(this::implies).map(Role::claim).toList();
    }

    public static Optional<Role> fromClaim(String claim) {
        return Arrays.stream(values()).filter(r -> r.claim.equals(claim)).findFirst();
    }

    /** The strongest of the named roles; unknown names grant nothing. */
    public static Optional<Role> strongest(Collection<String> claims) {
        return claims.stream().map(Role::fromClaim).flatMap(Optional::stream).max(Enum::compareTo);
    }
}
