package dev.tcc.opt;

import dev.tcc.ir.Serial;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** A set of nodes or variables, for the optimizer's passes (see {@link SerialTable} for why not an identity set). */
final class SerialSet<K extends Serial> extends SerialTable<K> {
    private Set<K> overflow;

    SerialSet(int expected) { super(expected); }

    @Override void newPage(int p, int pageCapacity) {}

    @Override int size() { return slotsUsed + (overflow == null ? 0 : overflow.size()); }

    /** Adds the key; returns whether it was absent. */
    boolean add(K key) {
        int s = slot(key, true);
        if (s != OVERFLOW) return claimed;
        if (overflow == null) overflow = Collections.newSetFromMap(new IdentityHashMap<>());
        return overflow.add(key);
    }

    boolean contains(K key) {
        int s = slot(key, false);
        return s >= 0 || (s == OVERFLOW && overflow != null && overflow.contains(key));
    }
}
