using Nabla.Autograd.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

// Resampling (torch.nn.functional.interpolate).
public static partial class Functional
{
    /// <summary>Resamples [N, C, H, W] to <paramref name="size"/> or by <paramref name="scaleFactor"/> (exactly one of the
    /// two) with "nearest", "nearest-exact" or "bilinear" interpolation (<c>F.interpolate</c>).</summary>
    /// <remarks>
    /// With a scale factor the output is ⌊H·s⌋ × ⌊W·s⌋ and the source coordinates step by 1/s (by in/out when
    /// <paramref name="recomputeScaleFactor"/> is true, or when a size is given). Nearest: src = min(⌊dst·step⌋, in − 1);
    /// nearest-exact: min(⌊(dst + ½)·step⌋, in − 1). Bilinear (<paramref name="alignCorners"/> false by default):
    /// src = max((dst + ½)·step − ½, 0), or dst·(in − 1)/(out − 1) with align corners; the value mixes the two
    /// neighbours on each axis. <paramref name="alignCorners"/> must be null for the nearest modes. Differentiable in the input.
    /// </remarks>
    public static Tensor Interpolate(Tensor input, Size2? size = null, Scale2? scaleFactor = null, string mode = "nearest",
        bool? alignCorners = null, bool? recomputeScaleFactor = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(mode);
        const string op = "Interpolate";
        bool nearest = mode is "nearest" or "nearest-exact";
        if (!nearest && mode != "bilinear")
            throw new ArgumentException($"{op}: mode \"{mode}\" is not supported; expected \"nearest\", \"nearest-exact\" or \"bilinear\".", nameof(mode));
        if (input.Dim != 4)
            throw new ShapeMismatchException(op, "[N, C, H, W]", ShapeUtil.Format(input.ShapeSpan),
                $"{op}: mode \"{mode}\" needs a 4-D input [N, C, H, W]; got {ShapeUtil.Format(input.ShapeSpan)}.");
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: input has dtype {input.DType.TorchName()}; expected float32 or float64.", nameof(input));
        if (size is not null && scaleFactor is not null) throw new ArgumentException($"{op}: only one of size or scale_factor should be given.");
        if (size is null && scaleFactor is null) throw new ArgumentException($"{op}: either size or scale_factor must be given.");
        if (nearest && alignCorners is not null)
            throw new ArgumentException($"{op}: align_corners can only be set with the interpolating modes (bilinear); mode is \"{mode}\".", nameof(alignCorners));
        if (size is not null && recomputeScaleFactor == true)
            throw new ArgumentException($"{op}: recompute_scale_factor is not meaningful with an explicit size.", nameof(recomputeScaleFactor));

        int h = input.Shape[2], w = input.Shape[3];
        int outH, outW;
        double scaleH = 0, scaleW = 0;
        if (size is { } s) (outH, outW) = (s.H, s.W);
        else
        {
            var f = scaleFactor!.Value;   // not null: size is null here
            (outH, outW) = ((int)Math.Floor(h * f.H), (int)Math.Floor(w * f.W));
            if (recomputeScaleFactor != true) (scaleH, scaleW) = (f.H, f.W);
        }
        if (outH < 1 || outW < 1 || h < 1 || w < 1)
            throw new ArgumentException($"{op}: input and output sizes must be positive; got input {h}×{w} and output {outH}×{outW}.");
        return mode == "bilinear"
            ? UpsampleBilinear2dOp.Apply(input, outH, outW, alignCorners ?? false, scaleH, scaleW)
            : UpsampleNearest2dOp.Apply(input, outH, outW, scaleH, scaleW, exact: mode == "nearest-exact");
    }
}
