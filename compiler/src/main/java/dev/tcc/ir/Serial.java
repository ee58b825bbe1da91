package dev.tcc.ir;

/**
 * Something numbered in creation order: graph nodes and variables. A graph's objects are made in
 * runs of consecutive numbers and the compiler's passes visit them in roughly that order, so tables
 * keyed on the number keep the entries used together close together in memory (see the optimizer's
 * {@code SerialTable}). Numbers are per class (nodes and variables count separately) and wrap after
 * 2^32 creations: they are a locality-preserving hash, never an identity.
 */
public interface Serial {
    int serial();
}
