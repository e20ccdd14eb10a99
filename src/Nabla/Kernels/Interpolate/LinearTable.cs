using System.Numerics;

namespace Nabla.Kernels.Interpolate;

/// <summary>Linear interpolation along one axis: output o reads input I0[o] with weight W0[o] and I1[o] with W1[o]
/// (see <see cref="InterpolateKernel.LinearIndices{T}"/>).</summary>
internal sealed class LinearTable<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int[] I0 { get; }
    public int[] I1 { get; }
    public T[] W0 { get; }
    public T[] W1 { get; }

    /// <summary>Number of outputs.</summary>
    public int Count => I0.Length;

    public LinearTable(int inSize, int outSize, bool alignCorners, double scale)
    {
        (I0, I1, W0, W1) = (new int[outSize], new int[outSize], new T[outSize], new T[outSize]);
        InterpolateKernel.LinearIndices<T>(inSize, outSize, alignCorners, scale, I0, I1, W0, W1);
    }
}
