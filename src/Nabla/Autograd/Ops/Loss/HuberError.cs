using System.Numerics;

namespace Nabla.Autograd.Ops;

/// <summary>Huber loss (<c>F.huber_loss</c>) with threshold δ: f(d) = ½d² for |d| &lt; δ, else δ·(|d| − ½δ);
/// f′(d) = d inside, δ·sign(d) outside. It equals δ·smooth-L1 with β = δ.</summary>
internal readonly struct HuberError : IPointwiseLoss
{
    public static string Name => "HuberLoss";

    public static T Value<T>(T d, T delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T z = T.Abs(d), half = T.CreateTruncating(0.5);
        return z < delta ? half * z * z : delta * (z - half * delta);
    }

    public static T Derivative<T>(T d, T delta) where T : unmanaged, IFloatingPointIeee754<T> =>
        d < -delta ? -delta : d > delta ? delta : d;
}
