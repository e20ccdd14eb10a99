using Nabla.Tensors;

namespace Nabla.Audio;

/// <summary>Window functions for the STFT, as <c>torch.hann_window</c> and its siblings make them.</summary>
/// <remarks>Values are computed in double and rounded to <c>dtype</c>. N = 1 gives [1] and N = 0 an empty window, as in
/// PyTorch. A periodic window of length N is the symmetric one of length N + 1 without its last sample.</remarks>
public static class Windows
{
    /// <summary>w[n] = 0.5 − 0.5·cos(2πn/D), D = N if <paramref name="periodic"/> else N − 1 (<c>torch.hann_window</c>).</summary>
    public static Tensor Hann(int length, bool periodic = true, DType dtype = DType.Float32) => Create(WindowFunction.Hann, length, periodic, dtype);

    /// <summary>w[n] = 0.54 − 0.46·cos(2πn/D) (<c>torch.hamming_window</c>).</summary>
    public static Tensor Hamming(int length, bool periodic = true, DType dtype = DType.Float32) => Create(WindowFunction.Hamming, length, periodic, dtype);

    /// <summary>w[n] = 0.42 − 0.5·cos(2πn/D) + 0.08·cos(4πn/D) (<c>torch.blackman_window</c>).</summary>
    public static Tensor Blackman(int length, bool periodic = true, DType dtype = DType.Float32) => Create(WindowFunction.Blackman, length, periodic, dtype);

    /// <summary>w[n] = 1.</summary>
    public static Tensor Rectangular(int length, DType dtype = DType.Float32) => Create(WindowFunction.Rectangular, length, true, dtype);

    /// <summary>The window <paramref name="function"/> of <paramref name="length"/> samples.</summary>
    public static Tensor Create(WindowFunction function, int length, bool periodic = true, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"Windows: dtype must be float32 or float64; got {dtype.TorchName()}.", nameof(dtype));
        var values = new double[length];
        double d = periodic ? length : length - 1;
        for (int n = 0; n < length; n++)
        {
            double x = length == 1 ? 0 : 2 * Math.PI * n / d;
            values[n] = function switch
            {
                WindowFunction.Hann => 0.5 - 0.5 * Math.Cos(x),
                WindowFunction.Hamming => 0.54 - 0.46 * Math.Cos(x),
                WindowFunction.Blackman => 0.42 - 0.5 * Math.Cos(x) + 0.08 * Math.Cos(2 * x),
                _ => 1,
            };
        }
        // A one-sample window is [1] whatever its formula (PyTorch), and Blackman's endpoints are exactly 0, not −1.4e-17.
        if (length == 1) values[0] = 1;
        if (function == WindowFunction.Blackman) for (int n = 0; n < length; n++) values[n] = Math.Max(values[n], 0);
        return Tensor.FromArray<double>(values, [length]).To(dtype);
    }

    /// <summary>A window of length ≤ <paramref name="nFft"/> zero-padded on both sides to n_fft, left pad ⌊(n_fft − length)/2⌋
    /// (torch.stft's and librosa's <c>pad_center</c>).</summary>
    public static Tensor PadCenter(Tensor window, int nFft)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.Dim != 1 || window.Shape[0] > nFft)
            throw new ArgumentException($"PadCenter: the window must be 1-D and at most n_fft = {nFft} long; got shape [{string.Join(", ", window.Shape)}].", nameof(window));
        int left = (nFft - window.Shape[0]) / 2;
        return window.Shape[0] == nFft ? window : window.Pad([left, nFft - window.Shape[0] - left]);
    }
}
