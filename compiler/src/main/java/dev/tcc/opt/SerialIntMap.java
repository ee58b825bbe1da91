package dev.tcc.opt;

import dev.tcc.ir.Serial;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Node or variable -> int (topological positions, use counts, rule generations), unboxed, for the
 * optimizer's passes (see {@link SerialTable} for why not an IdentityHashMap).
 */
final class SerialIntMap<K extends Serial> extends SerialTable<K> {
    private int[][] values;
    private Map<K, Integer> overflow;

    SerialIntMap(int expected) { super(expected); }

    @Override void newPage(int p, int pageCapacity) {
        if (values == null) values = new int[pageCapacity][];
        else if (values.length < pageCapacity) values = Arrays.copyOf(values, pageCapacity);
        values[p] = new int[PAGE];
    }

    @Override int size() { return slotsUsed + (overflow == null ? 0 : overflow.size()); }

    boolean containsKey(K key) {
        int s = slot(key, false);
        return s >= 0 || (s == OVERFLOW && overflow != null && overflow.containsKey(key));
    }

    /** The key's value, or {@code absent} if it has none. */
    int get(K key, int absent) {
        int s = slot(key, false);
        if (s >= 0) return values[pageOf(s)][offsetOf(s)];
        if (s == OVERFLOW && overflow != null) {
            Integer v = overflow.get(key);
            if (v != null) return v;
        }
        return absent;
    }

    void put(K key, int value) {
        int s = slot(key, true);
        if (s == OVERFLOW) overflow().put(key, value);
        else values[pageOf(s)][offsetOf(s)] = value;
    }

    /** Enters the key with {@code value} if it is absent; returns whether it was absent. */
    boolean putIfAbsent(K key, int value) {
        int s = slot(key, true);
        if (s == OVERFLOW) return overflow().putIfAbsent(key, value) == null;
        if (claimed) values[pageOf(s)][offsetOf(s)] = value;
        return claimed;
    }

    /** Adds {@code delta} to the key's value (an absent key counts from 0). */
    void add(K key, int delta) {
        int s = slot(key, true);
        if (s == OVERFLOW) overflow().merge(key, delta, Integer::sum);
        else values[pageOf(s)][offsetOf(s)] += delta;
    }

    private Map<K, Integer> overflow() {
        if (overflow == null) overflow = new IdentityHashMap<>();
        return overflow;
    }
}
