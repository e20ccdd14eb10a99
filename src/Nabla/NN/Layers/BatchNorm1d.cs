namespace Nabla.NN;

/// <summary>Batch normalization of [N, C] or [N, C, L] per channel (<c>nn.BatchNorm1d</c>). See <see cref="BatchNormBase"/>.</summary>
/// <remarks>Defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. Ioffe and Szegedy, 2015.</remarks>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats)
{
    private protected override bool AcceptsRank(int rank) => rank is 2 or 3;

    private protected override string ExpectedShape => "2-D [N, C] or 3-D [N, C, L]";
}
