namespace Nabla.Tensors;

/// <summary>The element type of a tensor.</summary>
/// <remarks>Float32 is the fast path; Float64 serves numerics and gradient checks; Int64 and Int32 hold
/// indices and labels; Bool holds masks (one byte per element), as <c>torch.bool</c> does; Complex64 holds spectra
/// (two float32 per element, <see cref="Tensors.Complex64"/>).</remarks>
public enum DType
{
    /// <summary>32-bit IEEE float (<c>torch.float32</c>).</summary>
    Float32,
    /// <summary>64-bit IEEE float (<c>torch.float64</c>).</summary>
    Float64,
    /// <summary>64-bit signed integer (<c>torch.int64</c>), the dtype of indices and class labels.</summary>
    Int64,
    /// <summary>32-bit signed integer (<c>torch.int32</c>).</summary>
    Int32,
    /// <summary>Boolean stored as one byte (<c>torch.bool</c>), the dtype of masks.</summary>
    Bool,
    /// <summary>Complex number of two float32 (<c>torch.complex64</c>), the dtype of STFT spectra.</summary>
    Complex64,
}

/// <summary>Facts about each <see cref="DType"/>.</summary>
public static class DTypeInfo
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 or DType.Complex64 => 8,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>True for Float32 and Float64, the dtypes autograd differentiates.</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>True for Complex64.</summary>
    public static bool IsComplex(this DType dtype) => dtype is DType.Complex64;

    /// <summary>PyTorch's name, as printed by <c>tensor.dtype</c>.</summary>
    public static string TorchName(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int64 => "int64",
        DType.Int32 => "int32",
        DType.Bool => "bool",
        DType.Complex64 => "complex64",
        _ => dtype.ToString(),
    };
}
