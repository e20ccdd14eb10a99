using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>Chrono initialization (Tallec and Ollivier, "Can recurrent neural networks warp time?", ICLR 2018): gate
/// biases that give each hidden unit a memory time drawn from [1, T_max − 1], b = log(U(1, T_max − 1)).</summary>
/// <remarks>
/// A unit whose keep gate is σ(b) forgets at a rate 1 − σ(b) ≈ e^(−b), so it remembers for about e^b steps; drawing b
/// as log of U(1, T_max − 1) spreads the units' memory times up to the longest dependency expected.
/// LSTM (gates i, f, g, o): b_f = log(U(1, T_max − 1)) and b_i = −b_f, so a unit that keeps long also writes little;
/// these are the signs of the original LSTM's negative input-gate biases (Hochreiter and Schmidhuber, 1997) and of the
/// positive forget-gate bias of Gers, Schmidhuber and Cummins (2000). GRU (gates r, z, n, h' = (1 − z)⊙n + z⊙h):
/// b_z = log(U(1, T_max − 1)). The value goes into bias_ih; the same block of bias_hh is zeroed, so the sum is b.
/// Every other weight keeps its initialization. A plain RNN has no gate, so nothing applies to it.
/// </remarks>
public static class ChronoInit
{
    /// <summary>Sets the gate biases of every layer and direction of <paramref name="layer"/> for dependencies up to
    /// <paramref name="maxDependency"/> steps.</summary>
    /// <exception cref="ArgumentException">The layer is an <see cref="RNN"/> or has no biases.</exception>
    public static void Apply(RecurrentLayer layer, int maxDependency, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDependency, 2);
        // The gate block (in units of H) that holds the keep gate, and whether the input gate (block 0) is set too.
        (int keepBlock, bool inputGate) = layer switch
        {
            LSTM => (1, true),
            GRU => (1, false),
            _ => throw new ArgumentException($"ChronoInit: {layer.GetType().Name} has no gates; chrono initialization applies to LSTM and GRU.", nameof(layer)),
        };
        if (!layer.Options.Bias)
            throw new ArgumentException($"ChronoInit: {layer.Describe()} has no biases (bias: false); chrono initialization sets gate biases.", nameof(layer));
        generator ??= Generator.Default;
        int h = layer.HiddenSize;
        var parameters = layer.NamedParameters().ToDictionary(p => p.Name, p => (Tensor)p.Parameter);
        using var _ = Tensor.NoGrad();
        foreach (var (name, biasIh) in parameters.Where(p => p.Key.StartsWith("bias_ih", StringComparison.Ordinal)))
        {
            var keep = new float[h];
            for (int u = 0; u < h; u++) keep[u] = (float)Math.Log(1 + generator.NextDouble() * (maxDependency - 2));   // log U(1, T_max − 1)
            var biasHh = parameters["bias_hh" + name["bias_ih".Length..]];
            biasIh.Narrow(0, keepBlock * h, h).Copy_(Tensor.Wrap(keep, [h]));
            biasHh.Narrow(0, keepBlock * h, h).Zero_();
            if (!inputGate) continue;
            biasIh.Narrow(0, 0, h).Copy_(Tensor.Wrap(keep, [h]).Neg());
            biasHh.Narrow(0, 0, h).Zero_();
        }
    }
}
