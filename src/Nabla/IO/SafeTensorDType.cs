namespace Nabla.IO;

/// <summary>The element types of the safetensors format, each named exactly as the file header spells it.</summary>
/// <remarks>
/// Declared in the reference implementation's order, which ascends by alignment; <see cref="SafeTensors.Write(Stream, IReadOnlyList{SafeTensorEntry}, IReadOnlyDictionary{string, string}?)"/>
/// stores tensors in descending order of it so each tensor's data starts aligned to its element size.
/// Sub-byte types (F4, F6_*) and complex types are not supported.
/// </remarks>
public enum SafeTensorDType
{
    /// <summary>Boolean, one byte per element (0 or 1).</summary>
    BOOL,
    /// <summary>Unsigned 8-bit integer.</summary>
    U8,
    /// <summary>Signed 8-bit integer.</summary>
    I8,
    /// <summary>8-bit float, 5 exponent and 2 mantissa bits.</summary>
    F8_E5M2,
    /// <summary>8-bit float, 4 exponent and 3 mantissa bits.</summary>
    F8_E4M3,
    /// <summary>Signed 16-bit integer.</summary>
    I16,
    /// <summary>Unsigned 16-bit integer.</summary>
    U16,
    /// <summary>IEEE 754 half-precision float.</summary>
    F16,
    /// <summary>bfloat16: the upper 16 bits of an IEEE 754 single.</summary>
    BF16,
    /// <summary>Signed 32-bit integer.</summary>
    I32,
    /// <summary>Unsigned 32-bit integer.</summary>
    U32,
    /// <summary>IEEE 754 single-precision float.</summary>
    F32,
    /// <summary>IEEE 754 double-precision float.</summary>
    F64,
    /// <summary>Signed 64-bit integer.</summary>
    I64,
    /// <summary>Unsigned 64-bit integer.</summary>
    U64,
}
