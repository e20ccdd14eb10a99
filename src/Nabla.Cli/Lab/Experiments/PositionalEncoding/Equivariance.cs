using Nabla.Cli.Lab.Common;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.PositionalEncoding;

/// <summary>Measures permutation equivariance: whether shuffling a model's input positions shuffles its output the same
/// way, f(x_π) = f(x)_π.</summary>
internal static class Equivariance
{
    /// <summary>max |f(x_π)[n, t] − f(x)[n, π(t)]| over the logits of <paramref name="tokens"/> [N, T], for one random
    /// permutation π of the positions drawn from <paramref name="generator"/>.</summary>
    public static double MaxDeviation(TokenTagger model, Tensor tokens, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        var permutation = Permutation(tokens.Shape[1], generator);
        var index = Tensor.FromArray<long>(permutation, [permutation.Length]);
        bool training = model.Training;
        model.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var original = model.Call(tokens).IndexSelect(1, index);            // f(x)_π: position t holds f(x) at π(t)
            var shuffled = model.Call(tokens.IndexSelect(1, index));            // f(x_π)
            return shuffled.Sub(original).Abs().Max().Item();
        }
        finally { model.Train(training); }
    }

    /// <summary>A uniformly random permutation of 0 … n − 1 (Fisher–Yates) that moves at least one position.</summary>
    public static long[] Permutation(int n, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var p = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        do
        {
            for (int i = n - 1; i > 0; i--)
            {
                int j = (int)generator.NextInt64(i + 1);
                (p[i], p[j]) = (p[j], p[i]);
            }
        }
        while (n > 1 && p.Select((v, i) => v == i).All(same => same));
        return p;
    }
}
