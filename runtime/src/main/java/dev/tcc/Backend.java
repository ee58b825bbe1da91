package dev.tcc;

/** Where a function runs. {@code AUTO} picks CUDA when a device is usable, else CPU, else INTERP. */
public enum Backend { AUTO, CUDA, CPU, INTERP }
