package dev.tcc.backend.cpu;

import dev.tcc.T;
import dev.tcc.Tcc;
import dev.tcc.Var;
import java.util.List;

/**
 * Run in a separate JVM by {@link AutoBackendTest} with a TCC_CC that does not exist: builds two
 * functions on Backend.AUTO and prints their backends and results.
 */
public final class AutoFallbackMain {
    public static void main(String[] args) {
        Var x = T.scalar("x");
        var f = Tcc.function(List.of(x), x.mul(2));
        var g = Tcc.function(List.of(x), T.exp(x));
        System.out.println("backends=" + f.backend() + "," + g.backend());
        System.out.println("f(3)=" + f.call(3).scalar() + " g(0)=" + g.call(0).scalar());
    }
}
