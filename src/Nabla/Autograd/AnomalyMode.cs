using Nabla.Tensors;

namespace Nabla.Autograd;

/// <summary>Anomaly detection (<c>torch.autograd.set_detect_anomaly</c>): every recorded operation's output and
/// every gradient is checked for NaN and Inf, and the first operation that produced one is named.</summary>
/// <remarks>It scans every value, so it slows training; turn it on to find where a NaN comes from.</remarks>
public static class AnomalyMode
{
    /// <summary>Whether checks run (process-wide).</summary>
    public static bool IsEnabled { get; set; }

    /// <summary>Turns detection on until the scope is disposed, then restores the previous setting.</summary>
    public static IDisposable Enable() => new Scope(IsEnabled);

    private sealed class Scope : IDisposable
    {
        private readonly bool previous;
        public Scope(bool previous) { this.previous = previous; IsEnabled = true; }
        public void Dispose() => IsEnabled = previous;
    }

    internal static void CheckForward(string op, Tensor output)
    {
        if (HasNonFinite(output, out double bad))
            throw new AnomalyException($"Anomaly: {op} produced {Describe(bad)} in its output of shape {ShapeUtil.Format(output.ShapeSpan)} during the forward pass.", op);
    }

    internal static void CheckBackward(string op, int input, Tensor grad)
    {
        if (HasNonFinite(grad, out double bad))
            throw new AnomalyException($"Anomaly: {op}'s backward produced {Describe(bad)} in the gradient of its input {input} (shape {ShapeUtil.Format(grad.ShapeSpan)}).", op);
    }

    private static string Describe(double v) => double.IsNaN(v) ? "NaN" : "Inf";

    private static bool HasNonFinite(Tensor t, out double bad)
    {
        bad = 0;
        if (!t.DType.IsFloatingPoint()) return false;
        var c = t.Contiguous();
        if (t.DType == DType.Float32)
        {
            foreach (float v in c.Span<float>()) if (!float.IsFinite(v)) { bad = v; return true; }
        }
        else
        {
            foreach (double v in c.Span<double>()) if (!double.IsFinite(v)) { bad = v; return true; }
        }
        return false;
    }
}

/// <summary>Thrown by <see cref="AnomalyMode"/>: names the operation that first produced NaN or Inf.</summary>
public sealed class AnomalyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AnomalyException(string message, string op) : base(message) => Op = op;

    /// <summary>Creates the exception.</summary>
    public AnomalyException() : this("Anomaly detected.", "") { }

    /// <summary>Creates the exception.</summary>
    public AnomalyException(string message) : this(message, "") { }

    /// <summary>Creates the exception.</summary>
    public AnomalyException(string message, Exception inner) : base(message, inner) => Op = "";

    /// <summary>The operation that produced the non-finite value.</summary>
    public string Op { get; }
}
