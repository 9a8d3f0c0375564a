package io.kubeqpu.local.apiserver;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Fabric8's {@link KubernetesCrudDispatcher} (7.5.x) with its store indexed ({@link StoreIndex}), so that reads, and
 * the look-ups that creates, updates, patches and deletes start with, cost the same with 20 or 20,000 stored objects.
 * The mock scans its whole {@code Map<AttributeSet, String>} (and copies it, for GETs and DELETEs) on every request.
 *
 * <p>Semantics are the mock's, unchanged: the index only narrows which keys {@code AttributeSet.matches} is run on,
 * in the store's order, and the writes still go through the mock's handlers (resourceVersion, generation, uid,
 * creationTimestamp, status subresource, 404/409, watch events). The index is kept in step in
 * {@link #processEvent}, through which every create/update/patch/delete of the mock passes, and {@link #reset}; should
 * something write the map by another way, the sizes differ and the index is rebuilt.
 *
 * <p>What this depends on in Fabric8 (7.5.2): the private {@code lock} field (a {@link ReadWriteLock}; without it the
 * reads and deletes fall back to the mock's own scans), {@code handleGet}/{@code handleDelete}'s behaviour, which
 * {@link #handleGet} and {@link #handleDelete} reproduce, and the public {@code findResource}/{@code processEvent}.
 */
public class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
    private static final Logger LOG = Logger.getLogger(IndexedCrudDispatcher.class.getName());
    /** The mock answers an empty list at these paths with the APIResourceList of its CRDs. */
    private static final Pattern API_RESOURCES_PATH = Pattern
            .compile("/apis(/(?<group>[a-zA-Z0-9-_.]+))?(/(?<version>[a-zA-Z0-9-_]+))");

    private final ReadWriteLock storeLock = storeLock();
    private final KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
    private final KubernetesResponseComposer composer = (KubernetesResponseComposer) responseComposer;
    /** The mock's resourceVersion counter is private: the last value it handed out, as its lists report it. */
    private final AtomicLong lastResourceVersion = new AtomicLong();
    /** Replaced, never changed in place, when rebuilt under a read lock; changed in place under the write lock. */
    private volatile StoreIndex index = new StoreIndex();

    /** Whether reads and deletes use the index (false only if this Fabric8 version has no lock to share). */
    public boolean indexed() {
        return storeLock != null;
    }

    @Override
    public long requestResourceVersion() {
        long v = super.requestResourceVersion();
        lastResourceVersion.accumulateAndGet(v, Math::max);
        return v;
    }

    /** Called under the store's lock (read or write) by the mock's POST/PUT/PATCH handlers. */
    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        Collection<AttributeSet> candidates = currentIndex().candidates(attributes);
        if (candidates == null) {
            return super.findResource(attributes);
        }
        for (AttributeSet key : candidates) {
            if (key.matches(attributes)) {
                String value = map.get(key);
                if (value != null) {
                    return new AbstractMap.SimpleImmutableEntry<>(key, value);
                }
            }
        }
        return null;
    }

    /**
     * Every write of the mock passes here under its write lock. The new key is computed the way the mock computes it
     * (from the parsed resource, the path's attributes when the resource has no plural); a resource only in JSON is
     * parsed here once and handed on, so the mock does not parse it again.
     */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        GenericKubernetesResource parsed = resource;
        AttributeSet newKey = null;
        if (newState != null) {
            if (parsed == null && !newState.isEmpty()) {
                parsed = Serialization.unmarshal(newState, GenericKubernetesResource.class);
            }
            newKey = parsed != null ? extractor.extract(parsed) : extractor.fromResource(newState);
            if (!newKey.containsKey(KubernetesAttributesExtractor.PLURAL)) {
                newKey = AttributeSet.merge(pathAttributes, newKey);
            }
        }
        super.processEvent(path, pathAttributes, oldAttributes, parsed, newState);
        StoreIndex current = index;
        if (oldAttributes != null) {
            current.remove(oldAttributes);
        }
        if (newKey != null) {
            current.add(newKey);
        }
        if (current.size() != map.size()) {
            rebuild();
        }
    }

    @Override
    public void reset() {
        super.reset();
        index = new StoreIndex();
    }

    /** The mock's GET: one object by name (404 if none), or a List; watches are left to the mock. */
    @Override
    public MockResponse handleGet(String path) {
        if (storeLock == null || detectWatchMode(path)) {
            return super.handleGet(path);
        }
        AttributeSet query = extractor.fromPath(path);
        List<String> items = new ArrayList<>();
        Lock read = storeLock.readLock();
        String resourceVersion;
        read.lock();
        try {
            Collection<AttributeSet> candidates = currentIndex().candidates(query);
            if (candidates == null) {
                return super.handleGet(path);
            }
            for (AttributeSet key : candidates) {
                if (key.matches(query)) {
                    String value = map.get(key);
                    if (value != null) {
                        items.add(value);
                    }
                }
            }
            resourceVersion = String.valueOf(lastResourceVersion.get());
        } finally {
            read.unlock();
        }
        MockResponse response = new MockResponse();
        if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
            if (items.isEmpty()) {
                return response.setResponseCode(HttpURLConnection.HTTP_NOT_FOUND);
            }
            return response.setResponseCode(HttpURLConnection.HTTP_OK).setBody(items.get(0));
        }
        if (items.isEmpty() && API_RESOURCES_PATH.matcher(path).matches()) {
            return super.handleGet(path);
        }
        return response.setResponseCode(HttpURLConnection.HTTP_OK).setBody(composer.compose(items, resourceVersion));
    }

    /**
     * The mock's DELETE: an object without finalizers is removed, one with finalizers gets a deletionTimestamp (once);
     * answers the object as it was (404 if none), or a List for a collection.
     */
    @Override
    public MockResponse handleDelete(String path) {
        if (storeLock == null) {
            return super.handleDelete(path);
        }
        AttributeSet query = extractor.fromPath(path);
        List<String> items = new ArrayList<>();
        Lock write = storeLock.writeLock();
        String resourceVersion;
        write.lock();
        try {
            Collection<AttributeSet> candidates = currentIndex().candidates(query);
            if (candidates == null) {
                return super.handleDelete(path);
            }
            List<AttributeSet> matching = new ArrayList<>();
            for (AttributeSet key : candidates) {
                if (key.matches(query)) {
                    matching.add(key);
                }
            }
            for (AttributeSet key : matching) {
                String value = map.get(key);
                if (value != null) {
                    items.add(value);
                    processDelete(path, query, key, value);
                }
            }
            resourceVersion = String.valueOf(lastResourceVersion.get());
        } finally {
            write.unlock();
        }
        MockResponse response = new MockResponse();
        if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
            if (items.isEmpty()) {
                return response.setResponseCode(HttpURLConnection.HTTP_NOT_FOUND);
            }
            return response.setResponseCode(HttpURLConnection.HTTP_OK).setBody(items.get(0));
        }
        return response.setResponseCode(HttpURLConnection.HTTP_OK).setBody(composer.compose(items, resourceVersion));
    }

    /** As the mock's private processDelete. */
    private void processDelete(String path, AttributeSet pathAttributes, AttributeSet key, String json) {
        GenericKubernetesResource resource = Serialization.unmarshal(json, GenericKubernetesResource.class);
        if (resource.getFinalizers().isEmpty()) {
            processEvent(path, pathAttributes, key, null, null);
            return;
        }
        if (!resource.isMarkedForDeletion()) {
            resource.getMetadata().setDeletionTimestamp(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            resource.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
            processEvent(path, pathAttributes, key, resource, Serialization.asJson(resource));
        }
    }

    /** For tests: whether the index, as maintained, is what indexing the store from scratch gives (same order). */
    boolean indexInStepWithStore() {
        Lock read = storeLock.readLock();
        read.lock();
        try {
            List<AttributeSet> keys;
            synchronized (map) {
                keys = new ArrayList<>(map.keySet());
            }
            return index.size() == keys.size() && index.contents().equals(StoreIndex.of(keys).contents());
        } finally {
            read.unlock();
        }
    }

    /** The index, rebuilt first if the map was changed behind its back (the sizes differ). Under a store lock. */
    private StoreIndex currentIndex() {
        StoreIndex current = index;
        if (current.size() != map.size()) {
            rebuild();
            current = index;
        }
        return current;
    }

    private synchronized void rebuild() {
        List<AttributeSet> keys;
        synchronized (map) {
            keys = new ArrayList<>(map.keySet());
        }
        index = StoreIndex.of(keys);
    }

    /** As the mock's private detectWatchMode. */
    private static boolean detectWatchMode(String path) {
        String queryString;
        try {
            queryString = new URI(path).getQuery();
        } catch (URISyntaxException e) {
            return false;
        }
        return queryString != null && !queryString.isEmpty() && queryString.contains("watch=true");
    }

    private ReadWriteLock storeLock() {
        try {
            Field field = KubernetesCrudDispatcher.class.getDeclaredField("lock");
            field.setAccessible(true);
            return (ReadWriteLock) field.get(this);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("the Fabric8 mock's store lock is not where expected (" + e
                    + "): the embedded API server scans its store on every read");
            return null;
        }
    }
}
