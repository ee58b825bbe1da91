package dev.tcc.backend.cuda;

import jcuda.driver.CUdeviceptr;

/** A JCuda device pointer that tells its address (what cuMemAlloc returned), for argument packing. */
final class DevicePointer extends CUdeviceptr {
    long address() { return getNativePointer() + getByteOffset(); }
}
