package dev.tcc.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tcc.T;
import dev.tcc.Var;
import dev.tcc.ir.Node;
import dev.tcc.ir.Op;
import dev.tcc.ir.Site;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merge pass's structural hash table: hits by equal op and identical inputs, in order or swapped, through growth. */
class MergeTableTest {

    private static Node apply(Op op, Var... ins) { return op.applyAt(Site.here(), List.of(ins)); }

    @Test
    void findsEqualOpOnIdenticalInputsOnly() {
        Var a = T.vector("a"), b = T.vector("b"), c = T.vector("c");
        Op add = a.add(b).owner().op(), mul = a.mul(b).owner().op();
        Op otherAdd = c.add(a).owner().op();                       // another instance, equal to add
        MergeTable table = new MergeTable(0);
        Node ab = apply(add, a, b);
        table.add(add, new Var[] {a, b}, ab);
        assertSame(ab, table.get(add, new Var[] {a, b}, false));
        assertSame(ab, table.get(otherAdd, new Var[] {a, b}, false), "equal ops merge");
        assertNull(table.get(mul, new Var[] {a, b}, false), "another op");
        assertNull(table.get(add, new Var[] {a, c}, false), "another input");
        assertNull(table.get(add, new Var[] {T.vector("a"), b}, false), "an equal-looking but different variable");
        assertNull(table.get(add, new Var[] {b, a}, false), "swapped inputs without asking");
        assertSame(ab, table.get(add, new Var[] {b, a}, true), "swapped inputs when asked");
        assertNull(table.get(T.neg(a).owner().op(), new Var[] {a}, false), "another arity");
        assertEquals(1, table.size());
    }

    @Test
    void keepsEveryEntryThroughGrowth() {
        List<Var> leaves = new ArrayList<>();
        for (int i = 0; i < 300; i++) leaves.add(T.vector("v" + i));
        Op add = leaves.get(0).add(leaves.get(1)).owner().op(), sub = leaves.get(0).sub(leaves.get(1)).owner().op();
        MergeTable table = new MergeTable(4);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 300; i++)
            for (int j = 0; j < 300; j += 7) {
                Var[] ins = {leaves.get(i), leaves.get(j)};
                Node n = apply(add, ins);
                assertNull(table.get(add, ins, false));
                table.add(add, ins, n);
                nodes.add(n);
            }
        assertEquals(nodes.size(), table.size());
        for (Node n : nodes) {
            Var[] ins = {n.input(0), n.input(1)};
            assertSame(n, table.get(add, ins, false));
            assertNull(table.get(sub, ins, false));
        }
    }
}
