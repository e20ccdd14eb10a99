using System.Numerics;

namespace Nabla.Autograd.Ops;

/// <summary>Mean absolute error (<c>F.l1_loss</c>): f(d) = |d|, f′(d) = sign(d) with sign(0) = 0, as PyTorch.</summary>
internal readonly struct AbsoluteError : IPointwiseLoss
{
    public static string Name => "L1Loss";

    public static T Value<T>(T d, T parameter) where T : unmanaged, IFloatingPointIeee754<T> => T.Abs(d);

    // d itself for ±0 (and NaN), so zero differences get a zero gradient.
    public static T Derivative<T>(T d, T parameter) where T : unmanaged, IFloatingPointIeee754<T> =>
        d > T.Zero ? T.One : d < T.Zero ? -T.One : d;
}
