package dev.tcc.opt;

import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;

/**
 * The merge pass's structural hash table: finds the node that applies an equal op to the same input
 * variables (Theano's MergeOptimizer, by hash instead of by clients).
 *
 * <p>Open addressing over two arrays, the keys' hashes and their nodes, rather than a HashMap keyed
 * by (op, inputs) records. Most lookups find nothing (a graph has few duplicates); here a miss reads
 * only the hash array, where a HashMap read a bucket, an entry, a key record and its list, each
 * somewhere else in memory. On graphs of 10^5 nodes those misses were the largest cost of merging.
 * Input variables enter the hash by serial number (cheap, and stable for the table's lifetime).
 */
final class MergeTable {
    /** Slot hash, never 0 for a used slot. */
    private int[] hashes;
    private Node[] nodes;
    private int size;

    MergeTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(8, expected) * 2 - 1) * 2;   // load factor at most 1/2
        hashes = new int[cap];
        nodes = new Node[cap];
    }

    int size() { return size; }

    /** The node applying an op equal to {@code op} to exactly {@code ins} (in order, or swapped if asked: two inputs only), or null. */
    Node get(Op op, Var[] ins, boolean swapped) {
        int h = hash(op, ins, swapped);
        int m = hashes.length - 1;
        for (int i = h & m, s; (s = hashes[i]) != 0; i = (i + 1) & m) {
            if (s == h && matches(nodes[i], op, ins, swapped)) return nodes[i];
        }
        return null;
    }

    /** Enters {@code node}, whose op is {@code op} and whose inputs are {@code ins}; {@link #get} found no such node. */
    void add(Op op, Var[] ins, Node node) {
        int h = hash(op, ins, false);
        int m = hashes.length - 1;
        int i = h & m;
        while (hashes[i] != 0) i = (i + 1) & m;
        hashes[i] = h;
        nodes[i] = node;
        if (++size * 2 > hashes.length) grow();
    }

    private static boolean matches(Node n, Op op, Var[] ins, boolean swapped) {
        if (n.inputs().size() != ins.length) return false;
        for (int k = 0; k < ins.length; k++)
            if (n.input(k) != ins[swapped ? ins.length - 1 - k : k]) return false;
        Op o = n.op();
        return o == op || o.equals(op);
    }

    private static int hash(Op op, Var[] ins, boolean swapped) {
        int h = op.hashCode();
        for (int k = 0; k < ins.length; k++) h = 31 * h + ins[swapped ? ins.length - 1 - k : k].serial();
        // murmur3's finalizer: serials are consecutive, and linear probing needs the bits spread
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h == 0 ? 1 : h;
    }

    private void grow() {
        int[] oldH = hashes;
        Node[] oldN = nodes;
        hashes = new int[oldH.length * 2];
        nodes = new Node[oldH.length * 2];
        int m = hashes.length - 1;
        for (int j = 0; j < oldH.length; j++) {
            if (oldH[j] == 0) continue;
            int i = oldH[j] & m;
            while (hashes[i] != 0) i = (i + 1) & m;
            hashes[i] = oldH[j];
            nodes[i] = oldN[j];
        }
    }
}
