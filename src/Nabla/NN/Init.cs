using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Weight initializations (<c>torch.nn.init</c>). Each fills the tensor in place, without recording
/// autograd, draws from the given generator (the default one if null), and returns the tensor.</summary>
public static class Init
{
    /// <summary>The recommended gain for a nonlinearity (<c>calculate_gain</c>): linear, conv*, sigmoid → 1;
    /// tanh → 5/3; relu → √2; leaky_relu → √(2/(1+slope²)); selu → 3/4.</summary>
    public static double CalculateGain(string nonlinearity, double? param = null) => nonlinearity switch
    {
        "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid" => 1.0,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2.0),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        "selu" => 0.75,
        _ => throw new ArgumentException($"CalculateGain: unsupported nonlinearity '{nonlinearity}' (expected linear, conv1d/2d/3d, sigmoid, tanh, relu, leaky_relu or selu).", nameof(nonlinearity)),
    };

    /// <summary>(fan_in, fan_out) of a weight: fan_in = shape[1]·receptive field, fan_out = shape[0]·receptive field,
    /// with the receptive field the product of shape[2..] (1 for Linear).</summary>
    public static (int FanIn, int FanOut) CalculateFans(Tensor tensor)
    {
        if (tensor.Dim < 2)
            throw new ArgumentException($"CalculateFans: fan in and fan out need a tensor with at least 2 dimensions; got {ShapeUtil.Format(tensor.ShapeSpan)}.");
        int receptive = 1;
        for (int i = 2; i < tensor.Dim; i++) receptive *= tensor.Shape[i];
        return (tensor.Shape[1] * receptive, tensor.Shape[0] * receptive);
    }

    /// <summary>U(a, b).</summary>
    public static Tensor Uniform(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        return Fill(tensor, () => a + (b - a) * g.NextDouble());
    }

    /// <summary>N(mean, std²).</summary>
    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        return Fill(tensor, () => mean + std * g.NextNormal());
    }

    /// <summary>N(mean, std²) restricted to [a, b] by rejection (<c>trunc_normal_</c>).</summary>
    public static Tensor TruncNormal(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2, Generator? generator = null)
    {
        if (a >= b) throw new ArgumentException($"TruncNormal: lower bound {a} must be below upper bound {b}.");
        var g = generator ?? Generator.Default;
        return Fill(tensor, () =>
        {
            for (int tries = 0; tries < 10_000; tries++)
            {
                double v = mean + std * g.NextNormal();
                if (v >= a && v <= b) return v;
            }
            return Math.Clamp(mean, a, b);
        });
    }

    /// <summary>Every element = <paramref name="value"/>.</summary>
    public static Tensor Constant(Tensor tensor, double value) => Fill(tensor, () => value);

    /// <summary>Zeros.</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0);

    /// <summary>Ones.</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1);

    /// <summary>Glorot/Xavier uniform: U(−a, a), a = gain·√(6/(fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(tensor, -a, a, generator);
    }

    /// <summary>Glorot/Xavier normal: N(0, std²), std = gain·√(2/(fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        return Normal(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>He/Kaiming uniform: U(−b, b), b = gain·√(3/fan), gain = CalculateGain(nonlinearity, a).</summary>
    /// <param name="tensor">The weight.</param>
    /// <param name="a">Negative slope of the leaky ReLU that follows (0 for ReLU).</param>
    /// <param name="mode">"fan_in" (preserves forward variance) or "fan_out" (backward).</param>
    /// <param name="nonlinearity">"leaky_relu" (PyTorch's default) or "relu", …</param>
    /// <param name="generator">Random source.</param>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        double std = KaimingStd(tensor, a, mode, nonlinearity);
        double bound = Math.Sqrt(3.0) * std;
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>He/Kaiming normal: N(0, std²), std = gain/√fan.</summary>
    public static Tensor KaimingNormal(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null) =>
        Normal(tensor, 0, KaimingStd(tensor, a, mode, nonlinearity), generator);

    private static double KaimingStd(Tensor tensor, double a, string mode, string nonlinearity)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        int fan = mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => throw new ArgumentException($"Kaiming: mode must be \"fan_in\" or \"fan_out\"; got \"{mode}\".", nameof(mode)),
        };
        return CalculateGain(nonlinearity, a) / Math.Sqrt(fan);
    }

    /// <summary>A (semi-)orthogonal matrix scaled by <paramref name="gain"/> (Saxe et al., 2013; <c>orthogonal_</c>):
    /// the tensor is viewed as [rows = shape[0], cols = numel/rows]; a normal matrix of the larger orientation is
    /// QR-factored, Q's columns are sign-corrected by diag(R) so the result is uniformly distributed, and it is
    /// transposed back when rows &lt; cols.</summary>
    public static Tensor Orthogonal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        if (tensor.Dim < 2)
            throw new ArgumentException($"Orthogonal: only tensors with 2 or more dimensions are supported; got {ShapeUtil.Format(tensor.ShapeSpan)}.");
        if (tensor.NumEl == 0) return tensor;
        int rows = tensor.Shape[0], cols = tensor.NumEl / rows;
        var flat = Tensor.Randn([Math.Max(rows, cols), Math.Min(rows, cols)], DType.Float64, generator);
        var (q, r) = Linalg.Qr(flat);
        var d = Tensor.Empty([Math.Min(rows, cols)], DType.Float64);
        for (int i = 0; i < d.NumEl; i++) d.SetFromDouble(i, Math.Sign(r[i, i]) is 0 ? 1 : Math.Sign(r[i, i]));
        using (Tensor.NoGrad())
        {
            q = q.Mul(d);                                  // column j times sign(R[j, j])
            if (rows < cols) q = q.T;
            var values = q.Mul(gain).Reshape(tensor.Shape.ToArray()).To(tensor.DType);
            tensor.CopyFromRaw(values);
        }
        tensor.Storage.Version++;
        return tensor;
    }

    /// <summary>PyTorch's default for Linear (and convolutions): W by kaiming_uniform(a = √5), which is
    /// U(−1/√fan_in, 1/√fan_in); b ~ U(−1/√fan_in, 1/√fan_in).</summary>
    public static void LinearDefault(Tensor weight, Tensor? bias, Generator? generator = null)
    {
        KaimingUniform(weight, a: Math.Sqrt(5), generator: generator);
        if (bias is null) return;
        var (fanIn, _) = CalculateFans(weight);
        double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        Uniform(bias, -bound, bound, generator);
    }

    private static Tensor Fill(Tensor tensor, Func<double> next)
    {
        if (!tensor.DType.IsFloatingPoint())
            throw new ArgumentException($"Init: expects a float32 or float64 tensor; got {tensor.DType.TorchName()}.");
        var values = Tensor.Uninitialized(tensor.ShapeSpan, tensor.DType);
        for (int i = 0; i < values.NumEl; i++) values.SetFromDouble(i, next());
        tensor.CopyFromRaw(values);
        tensor.Storage.Version++;
        return tensor;
    }
}
