using System.Diagnostics.CodeAnalysis;

namespace Nabla.IO;

/// <summary>Element sizes and header names of <see cref="SafeTensorDType"/>.</summary>
public static class SafeTensorDTypeExtensions
{
    /// <summary>Bytes per element: 1 for BOOL, U8, I8, F8_*; 2 for I16, U16, F16, BF16; 4 for I32, U32, F32; 8 for F64, I64, U64.</summary>
    public static int ElementSize(this SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.BOOL or SafeTensorDType.U8 or SafeTensorDType.I8
            or SafeTensorDType.F8_E5M2 or SafeTensorDType.F8_E4M3 => 1,
        SafeTensorDType.I16 or SafeTensorDType.U16 or SafeTensorDType.F16 or SafeTensorDType.BF16 => 2,
        SafeTensorDType.I32 or SafeTensorDType.U32 or SafeTensorDType.F32 => 4,
        SafeTensorDType.F64 or SafeTensorDType.I64 or SafeTensorDType.U64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "safetensors: unknown dtype value."),
    };

    /// <summary>The dtype's name in a safetensors header ("F32", "BF16", …).</summary>
    public static string HeaderName(this SafeTensorDType dtype)
    {
        _ = dtype.ElementSize();   // rejects values outside the enum before they are named
        return dtype.ToString();
    }

    /// <summary>Every dtype name a header may use, for error messages.</summary>
    internal const string SupportedNames = "BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64";

    /// <summary>Parses a header dtype name; exact and case-sensitive, as the reference reader is.</summary>
    internal static bool TryParse(string? name, [NotNullWhen(true)] out SafeTensorDType? dtype)
    {
        dtype = name switch
        {
            "BOOL" => SafeTensorDType.BOOL,
            "U8" => SafeTensorDType.U8,
            "I8" => SafeTensorDType.I8,
            "F8_E5M2" => SafeTensorDType.F8_E5M2,
            "F8_E4M3" => SafeTensorDType.F8_E4M3,
            "I16" => SafeTensorDType.I16,
            "U16" => SafeTensorDType.U16,
            "F16" => SafeTensorDType.F16,
            "BF16" => SafeTensorDType.BF16,
            "I32" => SafeTensorDType.I32,
            "U32" => SafeTensorDType.U32,
            "F32" => SafeTensorDType.F32,
            "F64" => SafeTensorDType.F64,
            "I64" => SafeTensorDType.I64,
            "U64" => SafeTensorDType.U64,
            _ => null,
        };
        return dtype is not null;
    }
}
