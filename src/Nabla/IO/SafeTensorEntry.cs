namespace Nabla.IO;

/// <summary>One named tensor of a safetensors file: element type, shape, and its raw little-endian bytes.</summary>
/// <param name="Name">The tensor's key, e.g. PyTorch's state-dict name "fc1.weight".</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The dimensions, outermost first; [] for a scalar.</param>
/// <param name="Data">numel(Shape) × <see cref="SafeTensorDTypeExtensions.ElementSize"/> bytes, little-endian, row-major (C) order.</param>
public sealed record SafeTensorEntry(string Name, SafeTensorDType DType, int[] Shape, byte[] Data)
{
    /// <summary>numel = ∏ Shape[i]; 1 for a scalar, 0 when any dimension is 0.</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (int dim in Shape) count *= dim;
            return count;
        }
    }
}
