namespace Nabla.Kernels.Fft;

/// <summary>What the analysis writes per bin: the complex value X (interleaved re, im) or |X|^p.</summary>
internal enum SpectrumOutput
{
    /// <summary>X[k] as (re, im) pairs.</summary>
    Complex,
    /// <summary>|X[k]|^p for an exponent p (1: magnitude, 2: power).</summary>
    Power,
}
