package dev.tcc.nvrtc;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * JNA view of the part of NVRTC's C API (nvrtc.h) that tcc uses. Every function returns an
 * {@code nvrtcResult}; 0 is {@code NVRTC_SUCCESS}. {@code size_t*} is mapped to
 * {@link LongByReference}, which is right on every 64-bit platform NVRTC ships for.
 * Strings are passed as UTF-8 (see {@link Nvrtc#load}), so non-ASCII comments in generated
 * sources survive.
 */
public interface NvrtcLibrary extends Library {
    int NVRTC_SUCCESS = 0;
    int NVRTC_ERROR_COMPILATION = 6;
    int NVRTC_ERROR_BUILTIN_OPERATION_FAILURE = 7;

    String nvrtcGetErrorString(int result);

    int nvrtcVersion(IntByReference major, IntByReference minor);

    /** {@code headers} and {@code includeNames} may be null when {@code numHeaders} is 0. */
    int nvrtcCreateProgram(PointerByReference prog, String src, String name,
                           int numHeaders, String[] headers, String[] includeNames);

    int nvrtcCompileProgram(Pointer prog, int numOptions, String[] options);

    int nvrtcGetProgramLogSize(Pointer prog, LongByReference logSizeRet);

    /** Fills {@code log} with a NUL-terminated string of the size reported above. */
    int nvrtcGetProgramLog(Pointer prog, byte[] log);

    int nvrtcGetCUBINSize(Pointer prog, LongByReference cubinSizeRet);

    int nvrtcGetCUBIN(Pointer prog, byte[] cubin);

    int nvrtcGetPTXSize(Pointer prog, LongByReference ptxSizeRet);

    /** Fills {@code ptx} with a NUL-terminated string of the size reported above. */
    int nvrtcGetPTX(Pointer prog, byte[] ptx);

    /** Takes the address of the handle and sets it to NULL. */
    int nvrtcDestroyProgram(PointerByReference prog);
}
