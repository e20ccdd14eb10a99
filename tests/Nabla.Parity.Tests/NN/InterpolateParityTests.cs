using Nabla.NN;
using TorchSharp;
using Mode = TorchSharp.torch.InterpolationMode;

namespace Nabla.Parity.Tests.NN;

/// <summary>F.interpolate against libtorch's for nearest, nearest-exact and bilinear, with sizes and scale factors.</summary>
public sealed class InterpolateParityTests
{
    [Theory]
    [InlineData("nearest", 5, 7, 9, 4, null)]
    [InlineData("nearest", 6, 4, 3, 11, null)]
    [InlineData("nearest-exact", 5, 7, 9, 4, null)]
    [InlineData("bilinear", 5, 7, 9, 4, false)]
    [InlineData("bilinear", 5, 7, 3, 12, true)]
    [InlineData("bilinear", 8, 8, 3, 5, false)]
    public void Interpolate_WithSize_MatchesTorch(string mode, int h, int w, int oh, int ow, bool? align) =>
        Parity.Assert([[2, 3, h, w]],
            x => Functional.Interpolate(x[0], (oh, ow), mode: mode, alignCorners: align),
            x => torch.nn.functional.interpolate(x[0], [oh, ow], mode: ToTorch(mode), align_corners: align));

    [Theory]
    [InlineData("nearest", 1.7, 0.6, false)]
    [InlineData("nearest", 1.7, 2.0, true)]
    [InlineData("nearest-exact", 1.3, 0.45, false)]
    [InlineData("bilinear", 1.7, 0.6, false)]
    [InlineData("bilinear", 2.5, 3.0, true)]
    public void Interpolate_WithScaleFactor_MatchesTorch(string mode, double sh, double sw, bool recompute) =>
        Parity.Assert([[2, 2, 7, 9]],
            x => Functional.Interpolate(x[0], scaleFactor: (sh, sw), mode: mode, recomputeScaleFactor: recompute),
            x => torch.nn.functional.interpolate(x[0], scale_factor: [sh, sw], mode: ToTorch(mode), recompute_scale_factor: recompute));

    private static Mode ToTorch(string mode) => mode switch { "bilinear" => Mode.Bilinear, "nearest-exact" => Mode.NearestExact, _ => Mode.Nearest };
}
