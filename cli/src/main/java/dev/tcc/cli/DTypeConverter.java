package dev.tcc.cli;

import dev.tcc.DType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** float32, float64, int32, int64, bool. */
final class DTypeConverter implements ITypeConverter<DType> {
    @Override public DType convert(String value) {
        try {
            return DType.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
