using System.Numerics;

namespace Nabla.Autograd.Ops;

/// <summary>Mean squared error (<c>F.mse_loss</c>): f(d) = d², f′(d) = 2d.</summary>
internal readonly struct SquaredError : IPointwiseLoss
{
    public static string Name => "MseLoss";

    public static T Value<T>(T d, T parameter) where T : unmanaged, IFloatingPointIeee754<T> => d * d;

    public static T Derivative<T>(T d, T parameter) where T : unmanaged, IFloatingPointIeee754<T> => d + d;
}
