using Nabla.Data.Text;
using Nabla.Tensors;

namespace Nabla.Cli.Sequence.CharLm;

/// <summary>A text as character ids, split into a training part (the first 90%) and a validation part (the rest,
/// contiguous, so no validation sentence was seen in training), served as windows of consecutive characters.</summary>
internal sealed class CharCorpus
{
    /// <summary>The fraction of the text used for training.</summary>
    public const double TrainFraction = 0.9;

    private readonly long[] ids;
    private readonly int split;

    public CharCorpus(string text, CharVocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        ids = vocabulary.Encode(text);
        split = (int)(ids.Length * TrainFraction);
    }

    /// <summary>The character vocabulary.</summary>
    public CharVocabulary Vocabulary { get; }

    /// <summary>Characters in the training part.</summary>
    public int TrainLength => split;

    /// <summary>Characters in the validation part.</summary>
    public int ValidationLength => ids.Length - split;

    /// <summary>A random batch of training windows: inputs x [B, T] and targets y [B, T], y[t] = x[t + 1].</summary>
    public (Tensor X, Tensor Y) TrainBatch(int batch, int length, Generator generator)
    {
        var starts = new int[batch];
        for (int b = 0; b < batch; b++) starts[b] = (int)generator.NextInt64(split - length - 1);
        return Windows(starts, length);
    }

    /// <summary>Up to <paramref name="maxWindows"/> evenly spaced validation windows, in batches of <paramref name="batch"/>.</summary>
    public IEnumerable<(Tensor X, Tensor Y)> ValidationBatches(int batch, int length, int maxWindows)
    {
        int available = (ValidationLength - 1) / length;
        int count = Math.Min(available, maxWindows);
        if (count == 0) yield break;
        var starts = Enumerable.Range(0, count).Select(i => split + (int)((long)i * (ValidationLength - 1 - length) / Math.Max(1, count - 1))).ToArray();
        for (int i = 0; i < count; i += batch) yield return Windows(starts[i..Math.Min(count, i + batch)], length);
    }

    private (Tensor X, Tensor Y) Windows(int[] starts, int length)
    {
        var x = new long[starts.Length * length];
        var y = new long[starts.Length * length];
        for (int b = 0; b < starts.Length; b++)
        {
            Array.Copy(ids, starts[b], x, b * length, length);
            Array.Copy(ids, starts[b] + 1, y, b * length, length);
        }
        return (Tensor.FromArray<long>(x, [starts.Length, length]), Tensor.FromArray<long>(y, [starts.Length, length]));
    }
}
