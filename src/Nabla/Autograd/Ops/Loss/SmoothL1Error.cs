using System.Numerics;

namespace Nabla.Autograd.Ops;

/// <summary>Smooth L1 (<c>F.smooth_l1_loss</c>) with threshold β &gt; 0: f(d) = ½d²/β for |d| &lt; β, else |d| − ½β;
/// f′(d) = d/β inside, sign(d) outside. β = 0 is plain L1 and goes through <see cref="AbsoluteError"/>.</summary>
internal readonly struct SmoothL1Error : IPointwiseLoss
{
    public static string Name => "SmoothL1Loss";

    public static T Value<T>(T d, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T z = T.Abs(d), half = T.CreateTruncating(0.5);
        return z < beta ? half * z * z / beta : z - half * beta;
    }

    public static T Derivative<T>(T d, T beta) where T : unmanaged, IFloatingPointIeee754<T> =>
        d < -beta ? -T.One : d > beta ? T.One : d / beta;
}
