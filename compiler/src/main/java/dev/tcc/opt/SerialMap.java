package dev.tcc.opt;

import dev.tcc.ir.Serial;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/** Node or variable -> object, for the optimizer's passes (see {@link SerialTable} for why not an IdentityHashMap). */
final class SerialMap<K extends Serial, V> extends SerialTable<K> {
    private Object[][] values;
    private Map<K, V> overflow;

    SerialMap(int expected) { super(expected); }

    @Override void newPage(int p, int pageCapacity) {
        if (values == null) values = new Object[pageCapacity][];
        else if (values.length < pageCapacity) values = Arrays.copyOf(values, pageCapacity);
        values[p] = new Object[PAGE];
    }

    @SuppressWarnings("unchecked")
    V get(K key) {
        int s = slot(key, false);
        if (s >= 0) return (V) values[pageOf(s)][offsetOf(s)];
        return s == OVERFLOW && overflow != null ? overflow.get(key) : null;
    }

    boolean containsKey(K key) {
        int s = slot(key, false);
        return s >= 0 || (s == OVERFLOW && overflow != null && overflow.containsKey(key));
    }

    /** Sets the key's value; returns the previous one (null if none). */
    @SuppressWarnings("unchecked")
    V put(K key, V value) {
        int s = slot(key, true);
        if (s == OVERFLOW) return overflow().put(key, value);
        Object[] vs = values[pageOf(s)];
        V old = (V) vs[offsetOf(s)];
        vs[offsetOf(s)] = value;
        return old;
    }

    /** Sets the key's value if it has none; returns the value it had (null if none). */
    @SuppressWarnings("unchecked")
    V putIfAbsent(K key, V value) {
        int s = slot(key, true);
        if (s == OVERFLOW) return overflow().putIfAbsent(key, value);
        Object[] vs = values[pageOf(s)];
        if (claimed) {
            vs[offsetOf(s)] = value;
            return null;
        }
        return (V) vs[offsetOf(s)];
    }

    @Override int size() { return slotsUsed + (overflow == null ? 0 : overflow.size()); }

    private Map<K, V> overflow() {
        if (overflow == null) overflow = new IdentityHashMap<>();
        return overflow;
    }
}
