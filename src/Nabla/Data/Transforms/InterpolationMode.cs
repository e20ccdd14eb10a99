namespace Nabla.Data.Transforms;

/// <summary>How a geometric transform reads the input between pixel centres (<c>torchvision.transforms.InterpolationMode</c>).</summary>
public enum InterpolationMode
{
    /// <summary>The nearest pixel (ties to even, as <c>grid_sample</c>'s nearest mode).</summary>
    Nearest,

    /// <summary>The four nearest pixels weighted by (1 − |dx|)(1 − |dy|).</summary>
    Bilinear,
}
