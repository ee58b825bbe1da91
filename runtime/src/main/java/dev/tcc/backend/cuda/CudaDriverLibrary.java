package dev.tcc.backend.cuda;

import com.sun.jna.Library;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few CUDA driver-API calls that {@link CudaProbe} makes through JNA, before any JCuda class
 * is touched: JCuda's native library links against libcuda.so.1 and throws
 * {@link UnsatisfiedLinkError} where there is none, so the probe decides first whether it can
 * start. Every function returns a {@code CUresult}; 0 is {@code CUDA_SUCCESS}. A
 * {@code CUdevice} is an {@code int}.
 */
public interface CudaDriverLibrary extends Library {
    int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;

    int cuInit(int flags);

    int cuDriverGetVersion(IntByReference driverVersion);

    int cuDeviceGetCount(IntByReference count);

    int cuDeviceGet(IntByReference device, int ordinal);

    /** Fills {@code name} with a NUL-terminated string of at most {@code len} bytes. */
    int cuDeviceGetName(byte[] name, int len, int dev);

    int cuDeviceGetAttribute(IntByReference pi, int attrib, int dev);

    int cuDeviceTotalMem_v2(LongByReference bytes, int dev);

    /** Sets {@code *pStr} to a static string such as "CUDA_ERROR_NO_DEVICE". */
    int cuGetErrorName(int error, PointerByReference pStr);
}
