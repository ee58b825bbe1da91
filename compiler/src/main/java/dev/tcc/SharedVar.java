package dev.tcc;

import dev.tcc.ir.Site;
import dev.tcc.ir.TensorType;

/**
 * A variable whose value persists between function calls (Theano's shared variable). Its type
 * carries its value's exact shape. {@link #getValue} and {@link #setValue} copy, like Theano's
 * get_value/set_value. A backend that keeps the value on a device installs a {@link Storage}
 * so that reads and writes go to the resident copy.
 */
public final class SharedVar extends Var {

    /** Where the current value lives. The default keeps it in host memory. */
    public interface Storage {
        /** A copy of the current value. */
        NDArray read();

        /** Replaces the value with a copy of {@code value} (already checked for shape and dtype). */
        void write(NDArray value);
    }

    private static final class HostStorage implements Storage {
        private NDArray value;

        HostStorage(NDArray value) { this.value = value.copy(); }

        @Override public synchronized NDArray read() { return value.copy(); }

        @Override public synchronized void write(NDArray v) { value = v.copy(); }
    }

    private volatile Storage storage;

    public SharedVar(NDArray value, String name, Site site) {
        super(new TensorType(value.dtype(), value.shape()), null, -1, name, site);
        this.storage = new HostStorage(value);
    }

    /** A copy of the current value. */
    public NDArray getValue() { return storage.read(); }

    /** Sets the value from a copy of {@code value}, which must have this variable's shape and dtype. */
    public void setValue(NDArray value) {
        if (value.dtype() != dtype()) throw new TccException("setValue of " + describe() + ": the new value has dtype "
                + value.dtype() + "; convert it first with value.astype(DType." + dtype().name() + ")");
        if (!type().accepts(value.shape())) throw new TccException("setValue of " + describe() + ": the new value has shape "
                + TensorType.shapeString(value.shape()) + ", but a shared variable keeps the shape it was made with, "
                + TensorType.shapeString(type().shape()) + "; make a new shared variable for another shape");
        storage.write(value);
    }

    /** Sets a scalar (or any size-1) shared variable from a Java number. */
    public void setValue(double value) {
        NDArray a = NDArray.zeros(dtype(), type().shape());
        if (a.size() != 1) throw new TccException("setValue(" + value + ") on " + describe() + ": only size-1 shared variables take a number");
        a.setFlat(0, value);
        setValue(a);
    }

    public Storage storage() { return storage; }

    /** Moves the value into {@code newStorage} (a backend making it device-resident). */
    public synchronized void relocate(Storage newStorage) {
        NDArray v = storage.read();
        newStorage.write(v);
        this.storage = newStorage;
    }
}
