package dev.tcc.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Pointer;
import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.Function;
import dev.tcc.NDArray;
import dev.tcc.Outputs;
import dev.tcc.Rng;
import dev.tcc.T;
import dev.tcc.Tcc;
import dev.tcc.Var;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Outputs.close()} on the CPU backend: the next call writes into the closed outputs' memory
 * (whose old contents must not leak into the results: every kernel kind writes all of its output),
 * arrays that were not closed are never overwritten, and changed shapes get fitting arrays.
 */
class OutputsRecyclingTest {
    @BeforeAll
    static void needsCompiler() {
        assumeTrue(CpuBackend.available(), "no working C compiler: " + CpuBackend.unavailableReason());
    }

    private static final Var X = T.matrix("x"), Y = T.matrix("y");
    /** One output per kernel kind: elementwise, reductions over each axis, GEMM + epilogue, argmax, bool, softmax, concat. */
    private static final List<Var> OUTS = List.of(X.add(Y).exp(), T.sum(X, 0), T.max(X, 1), T.dot(X, Y.T()).add(1).sigmoid(),
            T.argmax(X, 1), X.gt(Y), T.softmax(X), T.concatenate(List.of(X, Y), 0), T.sum(X.mul(Y)));

    private static long address(NDArray a) { return Pointer.nativeValue(CLibrary.pointer(a)); }

    private static void assertMatches(Function ref, NDArray a, NDArray b, Outputs got) {
        Outputs want = ref.call(a, b);
        for (int i = 0; i < want.size(); i++)
            assertTrue(want.get(i).allClose(got.get(i), 1e-5, 1e-6), "output " + i + ": " + got.get(i) + " vs " + want.get(i));
    }

    @Test
    void closedOutputsServeTheNextCallAndTheirOldValuesDoNotLeak() {
        Function f = Tcc.function("recycle").inputs(X, Y).outputs(OUTS).backend(Backend.CPU).build();
        Function ref = Tcc.function("recycle_ref").inputs(X, Y).outputs(OUTS).backend(Backend.INTERP).build();
        Rng rng = new Rng(7);
        NDArray a1 = rng.randn(37, 70), b1 = rng.randn(37, 70), a2 = rng.randn(37, 70), b2 = rng.randn(37, 70);

        Outputs first = f.call(a1, b1);
        List<Long> addresses = new ArrayList<>();
        for (NDArray o : first) addresses.add(address(o));
        first.close();
        first.close();                                      // closing twice does nothing more

        try (Outputs second = f.call(a2, b2)) {
            for (int i = 0; i < second.size(); i++)
                assertEquals(addresses.get(i), address(second.get(i)), "output " + i + " reuses the closed array's memory");
            assertMatches(ref, a2, b2, second);
        }

        NDArray a3 = rng.randn(5, 9), b3 = rng.randn(5, 9);  // other shapes after a close: arrays that fit
        try (Outputs third = f.call(a3, b3)) {
            assertEquals(List.of(10, 9), List.of(third.get(7).shape()[0], third.get(7).shape()[1]));
            assertMatches(ref, a3, b3, third);
        }
    }

    @Test
    void outputsThatAreNotClosedAreNeverOverwritten() {
        Function f = Tcc.function("keep").inputs(X, Y).outputs(OUTS).backend(Backend.CPU).build();
        Rng rng = new Rng(8);
        NDArray a1 = rng.randn(12, 66), b1 = rng.randn(12, 66), a2 = rng.randn(12, 66), b2 = rng.randn(12, 66);
        Outputs kept = f.call(a1, b1);
        List<NDArray> copies = new ArrayList<>();
        for (NDArray o : kept) copies.add(o.copy());
        Outputs second = f.call(a2, b2);
        kept.close();                                       // an older call's outputs: not the last call's, so ignored
        Outputs third = f.call(rng.randn(12, 66), rng.randn(12, 66));
        for (int i = 0; i < third.size(); i++) {
            assertNotEquals(address(second.get(i)), address(third.get(i)), "output " + i + " of a call that was not closed was reused");
            assertEquals(copies.get(i), kept.get(i), "output " + i + " of the first call changed");
        }
    }
}
