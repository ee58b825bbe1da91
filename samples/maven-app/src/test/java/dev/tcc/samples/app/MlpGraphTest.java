package dev.tcc.samples.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tcc.Backend;
import dev.tcc.DType;
import dev.tcc.NDArray;
import dev.tcc.Rng;
import org.junit.jupiter.api.Test;

/** The wrapper generated from mlp.graph trains the seed MLP on the CPU backend. */
class MlpGraphTest {
    @Test
    void trainsTheSeedMlpToFullAccuracy() {
        MlpGraph mlp = MlpGraph.load(Backend.CPU);
        NDArray x = new Rng(0).randn(400, 784);
        NDArray y = new Rng(0).randint(0, 2, 400).astype(DType.FLOAT32);
        MlpGraph.TrainResult first = mlp.train(x, y);
        MlpGraph.TrainResult last = first;
        for (int i = 1; i < 2000; i++) last = mlp.train(x, y);
        assertEquals(400, last.xent().size());
        for (int i = 0; i < 400; i++) assertTrue(Double.isFinite(last.xent().getFlat(i)), "cross entropy is finite");
        NDArray predictions = mlp.predict(x).prediction();
        int right = 0;
        for (int i = 0; i < 400; i++) if ((predictions.getFlat(i) != 0) == (y.getFlat(i) != 0)) right++;
        assertEquals(400, right, "train accuracy");
        assertEquals(DType.FLOAT32, mlp.w1().getValue().dtype());
        assertEquals(784, mlp.w1().getValue().shape(0));
    }
}
