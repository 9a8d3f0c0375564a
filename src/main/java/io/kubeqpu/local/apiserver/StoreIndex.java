package io.kubeqpu.local.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An index over the keys of Fabric8's CRUD store ({@code CrudDispatcher.map}, a {@code Map<AttributeSet, String>} that
 * the mock scans linearly on every request): the keys by plural, by (plural, namespace) and by (plural, name). Given a
 * query made from a request path, {@link #candidates} returns a superset of the stored keys that can match it, in the
 * store's order, so that the caller keeps the mock's exact semantics by running {@code AttributeSet.matches} on those
 * candidates only.
 *
 * <p>Why a superset is enough: a query made from a path has the plural (and the namespace and name when the path has
 * them) as plain equality attributes, which a key matches only if it holds an equal attribute; a key has at most one
 * attribute per name. The mock's {@code Value} treats {@code "*"} as equal to anything, which hashing cannot follow:
 * queries with {@code *} there get no candidates ({@code null}: scan), and while such a key is stored the index
 * declines all queries.
 *
 * <p>Every bucket is a {@link LinkedHashSet} and is updated in the same order as the store's {@code LinkedHashMap}
 * (remove the old key, add the new one), so the candidates come in the store's iteration order and lists come out
 * in the same order as the mock's scan. Not thread-safe: written under the store's write lock, read under its read
 * lock.
 */
final class StoreIndex {
    static final String PLURAL = KubernetesAttributesExtractor.PLURAL;
    static final String NAMESPACE = KubernetesAttributesExtractor.NAMESPACE;
    static final String NAME = KubernetesAttributesExtractor.NAME;
    private static final String WILDCARD = "*";

    private record PluralNs(Attribute plural, Attribute namespace) {
    }

    private record PluralName(Attribute plural, Attribute name) {
    }

    private final Map<Attribute, Set<AttributeSet>> byPlural = new HashMap<>();
    private final Map<PluralNs, Set<AttributeSet>> byNamespace = new HashMap<>();
    private final Map<PluralName, Set<AttributeSet>> byName = new HashMap<>();
    /** Keys without a plural: no query from a resource path can match them; counted for {@link #size}. */
    private final Set<AttributeSet> unindexed = new LinkedHashSet<>();
    private final Set<AttributeSet> wildcards = new LinkedHashSet<>();
    private int size;

    static StoreIndex of(Collection<AttributeSet> keys) {
        StoreIndex index = new StoreIndex();
        keys.forEach(index::add);
        return index;
    }

    void add(AttributeSet key) {
        Attribute plural = key.getAttribute(PLURAL);
        if (plural == null) {
            if (unindexed.add(key)) {
                size++;
            }
            return;
        }
        if (!byPlural.computeIfAbsent(plural, k -> new LinkedHashSet<>()).add(key)) {
            return;
        }
        size++;
        Attribute namespace = key.getAttribute(NAMESPACE);
        Attribute name = key.getAttribute(NAME);
        byNamespace.computeIfAbsent(new PluralNs(plural, namespace), k -> new LinkedHashSet<>()).add(key);
        byName.computeIfAbsent(new PluralName(plural, name), k -> new LinkedHashSet<>()).add(key);
        if (isWildcard(plural) || isWildcard(namespace) || isWildcard(name)) {
            wildcards.add(key);
        }
    }

    void remove(AttributeSet key) {
        Attribute plural = key.getAttribute(PLURAL);
        if (plural == null) {
            if (unindexed.remove(key)) {
                size--;
            }
            return;
        }
        if (!removeFrom(byPlural, plural, key)) {
            return;
        }
        size--;
        removeFrom(byNamespace, new PluralNs(plural, key.getAttribute(NAMESPACE)), key);
        removeFrom(byName, new PluralName(plural, key.getAttribute(NAME)), key);
        wildcards.remove(key);
    }

    /** The buckets, in order, as a comparable value: two indexes of the same store in the same order are equal. */
    Map<String, List<AttributeSet>> contents() {
        Map<String, List<AttributeSet>> all = new java.util.TreeMap<>();
        byPlural.forEach((k, v) -> all.put("plural " + k, List.copyOf(v)));
        byNamespace.forEach((k, v) -> all.put("namespace " + k, List.copyOf(v)));
        byName.forEach((k, v) -> all.put("name " + k, List.copyOf(v)));
        all.put("unindexed", List.copyOf(unindexed));
        all.put("wildcards", List.copyOf(wildcards));
        return all;
    }

    /** How many keys are indexed: the store's size when the index is in step with it. */
    int size() {
        return size;
    }

    /**
     * The stored keys that may match {@code query}, in store order; {@code null} when the index cannot tell (no
     * plural in the query, a selector of another type on plural/namespace/name, a {@code *} value): then scan.
     */
    Collection<AttributeSet> candidates(AttributeSet query) {
        if (!wildcards.isEmpty()) {
            return null;
        }
        Attribute plural = query.getAttribute(PLURAL);
        if (!usable(plural)) {
            return null;
        }
        Attribute name = query.getAttribute(NAME);
        if (name != null) {
            return usable(name) ? orEmpty(byName.get(new PluralName(plural, name))) : null;
        }
        Attribute namespace = query.getAttribute(NAMESPACE);
        if (namespace != null) {
            return usable(namespace) ? orEmpty(byNamespace.get(new PluralNs(plural, namespace))) : null;
        }
        return orEmpty(byPlural.get(plural));
    }

    /** An equality attribute with one value that is not the mock's wildcard: exactly what a hash lookup finds. */
    private static boolean usable(Attribute a) {
        return a != null && a.getType() == AttributeType.WITH && a.getValues().size() == 1 && !isWildcard(a);
    }

    private static boolean isWildcard(Attribute a) {
        if (a == null) {
            return false;
        }
        // Value.equals is true both ways when one side is "*" (Value.toString is the raw value).
        return a.getValues().stream().anyMatch(v -> WILDCARD.equals(String.valueOf(v)));
    }

    private static Collection<AttributeSet> orEmpty(Set<AttributeSet> bucket) {
        return bucket == null ? List.of() : bucket;
    }

    private static <K> boolean removeFrom(Map<K, Set<AttributeSet>> buckets, K bucketKey, AttributeSet key) {
        Set<AttributeSet> bucket = buckets.get(bucketKey);
        if (bucket == null || !bucket.remove(key)) {
            return false;
        }
        if (bucket.isEmpty()) {
            buckets.remove(bucketKey);
        }
        return true;
    }
}
