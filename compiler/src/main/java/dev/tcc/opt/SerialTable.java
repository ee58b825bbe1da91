package dev.tcc.opt;

import dev.tcc.ir.Serial;
import java.util.Arrays;

/**
 * The key side of the optimizer's per-pass tables on nodes and variables: identity-keyed, but
 * addressed by the keys' creation numbers ({@link Serial}) instead of identity hash codes.
 *
 * <p>Why: a graph's nodes and variables are made in runs of consecutive serials, and the passes
 * visit them in roughly that order. Here a key's slot is at offset {@code serial % 512} of the page
 * for {@code serial / 512}, so neighbouring keys share cache lines and a walk over the graph reads
 * the table almost sequentially. An {@link java.util.IdentityHashMap} probes a random slot of a
 * table as big as the graph: on graphs of 10^5 nodes that was a cache miss per lookup and made
 * optimizer time grow faster than the graph. Pages exist only where keys are, so a table's memory
 * follows its keys however far apart their serials lie.
 *
 * <p>Keys are still compared by identity. A key whose slot holds another key with the same serial
 * (possible only after the serial counter wraps) goes to the subclass's overflow map, so the table
 * is correct for any keys.
 */
abstract class SerialTable<K extends Serial> {
    private static final int BITS = 9;
    static final int PAGE = 1 << BITS;
    private static final int MASK = PAGE - 1;
    /** Returned by {@link #slot} for a key whose slot another key with its serial holds. */
    static final int OVERFLOW = -2;

    /** Directory, open addressing on page numbers: {@code dirPage[i]} is the page's index + 1, 0 for a free slot. */
    private int[] dirNo, dirPage;
    private int pages;
    /** Each page's keys, one slot per serial. */
    Object[][] keys;
    /** The page found last: lookups mostly run through a page in order. */
    private int lastNo, lastPage = -1;
    /** Keys held in page slots (not in the overflow map). */
    int slotsUsed;
    /** Set by {@link #slot} when it claimed a free slot for the key. */
    boolean claimed;

    SerialTable(int expected) {
        int cap = Math.max(4, Integer.highestOneBit(Math.max(1, expected) / PAGE + 1) * 2);
        keys = new Object[cap][];
        int dir = cap * 2;
        dirNo = new int[dir];
        dirPage = new int[dir];
    }

    /** Makes the value array of page {@code p} (called when a page is created; the page arrays may have to grow first). */
    abstract void newPage(int p, int pageCapacity);

    /** The number of keys. */
    abstract int size();

    /**
     * The key's slot as {@code page << 9 | offset}; -1 if it is absent and {@code create} is false;
     * {@link #OVERFLOW} if another key with the same serial holds the slot. With {@code create}, an
     * absent key is entered in its free slot and {@link #claimed} is set.
     */
    final int slot(K key, boolean create) {
        claimed = false;
        int s = key.serial();
        int p = page(s >> BITS, create);
        if (p < 0) return -1;
        int o = s & MASK;
        Object[] ks = keys[p];
        Object k = ks[o];
        if (k == key) return p << BITS | o;
        if (k != null) return OVERFLOW;
        if (!create) return -1;
        ks[o] = key;
        slotsUsed++;
        claimed = true;
        return p << BITS | o;
    }

    static int pageOf(int slot) { return slot >>> BITS; }

    static int offsetOf(int slot) { return slot & MASK; }

    private int page(int no, boolean create) {
        if (no == lastNo && lastPage >= 0) return lastPage;
        int m = dirNo.length - 1;
        int i = mix(no) & m;
        for (int d; (d = dirPage[i]) != 0; i = (i + 1) & m) {
            if (dirNo[i] == no) {
                lastNo = no;
                return lastPage = d - 1;
            }
        }
        if (!create) return -1;
        int p = pages++;
        if (p == keys.length) keys = Arrays.copyOf(keys, p * 2);
        keys[p] = new Object[PAGE];
        newPage(p, keys.length);
        dirNo[i] = no;
        dirPage[i] = p + 1;
        if (pages * 2 > dirNo.length) growDirectory();
        lastNo = no;
        return lastPage = p;
    }

    private void growDirectory() {
        int[] oldNo = dirNo, oldPage = dirPage;
        dirNo = new int[oldNo.length * 2];
        dirPage = new int[oldNo.length * 2];
        int m = dirNo.length - 1;
        for (int j = 0; j < oldNo.length; j++) {
            if (oldPage[j] == 0) continue;
            int i = mix(oldNo[j]) & m;
            while (dirPage[i] != 0) i = (i + 1) & m;
            dirNo[i] = oldNo[j];
            dirPage[i] = oldPage[j];
        }
    }

    /** Page numbers of one graph are consecutive; spread them over the directory (Fibonacci hashing). */
    private static int mix(int no) { return (no * 0x9E3779B9) >>> 7; }
}
