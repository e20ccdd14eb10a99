using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models.Tasks;

/// <summary>Recall the first symbol: step 0 holds one of K symbols, steps 1 … T−1 hold distractors, and the label is the
/// symbol at step 0, to be named after the last step. Chance is 1/K.</summary>
/// <remarks>
/// Input [B, T, K + D] one-hot: channels 0 … K−1 are the symbols to recall, K … K+D−1 the D distractors, drawn uniformly
/// and independently at every later step; target [B] int64 in [0, K). This is Hochreiter and Schmidhuber's
/// experiment 2a ("Long Short-Term Memory", 1997) with random distractors: the distractors come from their own alphabet,
/// so a gate can learn from the input alone what to store, and only the distance T − 1 makes the task hard.
/// Loss: cross-entropy; solved at a test accuracy of at least <see cref="SolvedAccuracy"/>.
/// </remarks>
public sealed class RecallTask : MemoryTask
{
    /// <summary>The test accuracy that counts as solved.</summary>
    public const double SolvedAccuracy = 0.99;

    /// <summary>Symbols to recall (K) and distractors (D) by default.</summary>
    public const int DefaultSymbols = 8, DefaultDistractors = 8;

    /// <summary>Creates the task over sequences of <paramref name="length"/> steps.</summary>
    public RecallTask(int length, int symbols = DefaultSymbols, int distractors = DefaultDistractors) : base(length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(symbols, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(distractors, 1);
        Symbols = symbols;
        Distractors = distractors;
    }

    /// <summary>The symbols to recall, K: the classes.</summary>
    public int Symbols { get; }

    /// <summary>The distractor symbols, D.</summary>
    public int Distractors { get; }

    /// <inheritdoc/>
    public override int InputSize => Symbols + Distractors;

    /// <inheritdoc/>
    public override int Outputs => Symbols;

    /// <inheritdoc/>
    public override double ChanceAccuracy => 1.0 / Symbols;

    /// <inheritdoc/>
    public override string Name => "recall";

    /// <inheritdoc/>
    public override (Tensor Input, Tensor Target) Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(generator);
        int channels = InputSize;
        var input = new float[count * Length * channels];   // [B, T, K + D]
        var target = new long[count];
        for (int b = 0; b < count; b++)
        {
            int row = b * Length * channels;
            target[b] = generator.NextInt64(Symbols);
            input[row + (int)target[b]] = 1;
            for (int t = 1; t < Length; t++)
                input[row + t * channels + Symbols + (int)generator.NextInt64(Distractors)] = 1;
        }
        return (Tensor.Wrap(input, [count, Length, channels]), Tensor.Wrap(target, [count]));
    }

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor target) => Functional.CrossEntropy(output, target);

    /// <inheritdoc/>
    public override long CountCorrect(Tensor output, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.ArgMax(1).Eq(target).CountNonZero();
    }

    /// <inheritdoc/>
    public override bool IsSolved(double loss, double accuracy) => accuracy >= SolvedAccuracy;
}
