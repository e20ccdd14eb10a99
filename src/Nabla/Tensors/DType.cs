namespace Nabla.Tensors;

/// <summary>The element type of a tensor.</summary>
/// <remarks>Float32 is the fast path; Float64 serves numerics and gradient checks; Int64 and Int32 hold
/// indices and labels; Bool holds masks (one byte per element), as <c>torch.bool</c> does.</remarks>
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
}

/// <summary>Facts about each <see cref="DType"/>.</summary>
public static class DTypeInfo
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        _ => 1,
    };

    /// <summary>True for Float32 and Float64, the dtypes autograd differentiates.</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>PyTorch's name, as printed by <c>tensor.dtype</c>.</summary>
    public static string TorchName(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int64 => "int64",
        DType.Int32 => "int32",
        _ => "bool",
    };
}
