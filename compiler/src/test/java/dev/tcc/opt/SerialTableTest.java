package dev.tcc.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tcc.ir.Serial;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The serial-addressed tables against identity maps, on random operations over keys whose serials
 * are consecutive, sparse (negative and extreme ones too) or shared by several keys (which only a
 * wrapped serial counter makes, and which must still be told apart by identity).
 */
class SerialTableTest {

    /** A key with a chosen serial; distinct objects with equal serials are distinct keys. */
    private record Key(int serial) implements Serial {
        @Override public boolean equals(Object o) { return this == o; }
        @Override public int hashCode() { return System.identityHashCode(this); }
    }

    private static List<Key> keys(String kind, int n, Random rnd) {
        IntUnaryOperator serial = switch (kind) {
            case "consecutive" -> i -> 1_000_000 + i;
            case "sparse" -> i -> i % 7 == 0 ? (i % 2 == 0 ? Integer.MIN_VALUE + i : Integer.MAX_VALUE - i) : rnd.nextInt();
            case "shared" -> i -> i / 3 * 200;          // three keys per serial, a page every few serials
            default -> throw new IllegalArgumentException(kind);
        };
        List<Key> ks = new ArrayList<>();
        for (int i = 0; i < n; i++) ks.add(new Key(serial.applyAsInt(i)));
        Collections.shuffle(ks, rnd);
        return ks;
    }

    @ParameterizedTest
    @ValueSource(strings = {"consecutive", "sparse", "shared"})
    void serialMapAgreesWithIdentityMap(String kind) {
        Random rnd = new Random(kind.hashCode());
        List<Key> ks = keys(kind, 5000, rnd);
        SerialMap<Key, Integer> table = new SerialMap<>(kind.equals("consecutive") ? 5000 : 0);
        Map<Key, Integer> ref = new IdentityHashMap<>();
        for (int step = 0; step < 40_000; step++) {
            Key k = ks.get(rnd.nextInt(ks.size()));
            int v = rnd.nextInt(100);
            switch (rnd.nextInt(4)) {
                case 0 -> assertEquals(ref.put(k, v), table.put(k, v));
                case 1 -> assertEquals(ref.putIfAbsent(k, v), table.putIfAbsent(k, v));
                case 2 -> assertEquals(ref.get(k), table.get(k));
                default -> assertEquals(ref.containsKey(k), table.containsKey(k));
            }
            assertEquals(ref.size(), table.size());
        }
        for (Key k : ks) assertEquals(ref.get(k), table.get(k), () -> "serial " + k.serial());
    }

    @ParameterizedTest
    @ValueSource(strings = {"consecutive", "sparse", "shared"})
    void serialIntMapAgreesWithIdentityMap(String kind) {
        Random rnd = new Random(kind.hashCode() + 1);
        List<Key> ks = keys(kind, 5000, rnd);
        SerialIntMap<Key> table = new SerialIntMap<>(kind.equals("consecutive") ? 5000 : 0);
        Map<Key, Integer> ref = new IdentityHashMap<>();
        for (int step = 0; step < 40_000; step++) {
            Key k = ks.get(rnd.nextInt(ks.size()));
            int v = rnd.nextInt(100) - 50;
            switch (rnd.nextInt(5)) {
                case 0 -> { table.put(k, v); ref.put(k, v); }
                case 1 -> assertEquals(ref.putIfAbsent(k, v) == null, table.putIfAbsent(k, v));
                case 2 -> { table.add(k, v); ref.merge(k, v, Integer::sum); }
                case 3 -> assertEquals(ref.getOrDefault(k, -999), table.get(k, -999));
                default -> assertEquals(ref.containsKey(k), table.containsKey(k));
            }
            assertEquals(ref.size(), table.size());
        }
        for (Key k : ks) assertEquals(ref.getOrDefault(k, -999), table.get(k, -999), () -> "serial " + k.serial());
    }

    @ParameterizedTest
    @ValueSource(strings = {"consecutive", "sparse", "shared"})
    void serialSetAgreesWithIdentitySet(String kind) {
        Random rnd = new Random(kind.hashCode() + 2);
        List<Key> ks = keys(kind, 5000, rnd);
        SerialSet<Key> table = new SerialSet<>(0);
        Set<Key> ref = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int step = 0; step < 20_000; step++) {
            Key k = ks.get(rnd.nextInt(ks.size()));
            if (rnd.nextBoolean()) assertEquals(ref.add(k), table.add(k));
            else assertEquals(ref.contains(k), table.contains(k));
            assertEquals(ref.size(), table.size());
        }
        for (Key k : ks) assertEquals(ref.contains(k), table.contains(k), () -> "serial " + k.serial());
    }
}
