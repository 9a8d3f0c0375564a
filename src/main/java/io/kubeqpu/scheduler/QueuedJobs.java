package io.kubeqpu.scheduler;

import java.util.Collection;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * Queued jobs in FIFO order that keep an array copy of themselves until they change, so that a {@link QueueSnapshot}
 * copies only what changed since the last one (one or two instances' lanes per event), not the whole queue. Every
 * way in which a TreeSet can change (including through an iterator) drops the copy.
 */
final class QueuedJobs extends TreeSet<JobState> {
    private transient JobState[] copy;

    QueuedJobs() {
        super(JobState.FIFO);
    }

    /** The jobs in FIFO order; the array is shared and never modified. */
    JobState[] copy() {
        JobState[] c = copy;
        if (c == null) {
            c = super.toArray(new JobState[0]);
            copy = c;
        }
        return c;
    }

    @Override
    public boolean add(JobState j) {
        copy = null;
        return super.add(j);
    }

    @Override
    public boolean addAll(Collection<? extends JobState> c) {
        copy = null;
        return super.addAll(c);
    }

    @Override
    public boolean remove(Object o) {
        copy = null;
        return super.remove(o);
    }

    @Override
    public JobState pollFirst() {
        copy = null;
        return super.pollFirst();
    }

    @Override
    public JobState pollLast() {
        copy = null;
        return super.pollLast();
    }

    @Override
    public void clear() {
        copy = null;
        super.clear();
    }

    @Override
    public Iterator<JobState> iterator() {
        copy = null; // it may remove
        return super.iterator();
    }
}
