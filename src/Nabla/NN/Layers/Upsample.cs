using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Resamples [N, C, H, W] to a fixed size or by a scale factor (<c>nn.Upsample</c>). See <see cref="Functional.Interpolate"/>.</summary>
/// <remarks>Give exactly one of size and scale factor. Modes "nearest" (default), "nearest-exact" and "bilinear".</remarks>
public sealed class Upsample : Module<Tensor, Tensor>
{
    /// <summary>The output's (H, W), or null.</summary>
    public Size2? Size { get; }
    /// <summary>The scale factors, or null.</summary>
    public Scale2? ScaleFactor { get; }
    /// <summary>"nearest", "nearest-exact" or "bilinear".</summary>
    public string Mode { get; }
    /// <summary>Bilinear only: align the corner pixels' centres.</summary>
    public bool? AlignCorners { get; }
    /// <summary>Step source coordinates by in/out rather than by 1/scale.</summary>
    public bool? RecomputeScaleFactor { get; }

    /// <summary>Creates the layer (PyTorch's argument order and defaults).</summary>
    public Upsample(Size2? size = null, Scale2? scaleFactor = null, string mode = "nearest", bool? alignCorners = null, bool? recomputeScaleFactor = null)
    {
        ArgumentNullException.ThrowIfNull(mode);
        (Size, ScaleFactor, Mode, AlignCorners, RecomputeScaleFactor) = (size, scaleFactor, mode, alignCorners, recomputeScaleFactor);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Interpolate(input, Size, ScaleFactor, Mode, AlignCorners, RecomputeScaleFactor);

    /// <inheritdoc/>
    public override string Describe() =>
        $"Upsample({(Size is { } s ? $"size={s}" : $"scale_factor={ScaleFactor}")}, mode='{Mode}')";
}
