using System.Globalization;

namespace Nabla.Cli.Lab.Experiments.EncoderDecoder;

/// <summary>Groups translations by the character length of their source and measures exact match per group.</summary>
/// <param name="LowerBounds">Each bucket's shortest length, increasing; the first bucket takes everything below the second's bound,
/// the last everything from its bound up.</param>
internal sealed record LengthBuckets(int[] LowerBounds)
{
    /// <summary>The bucket of a source of <paramref name="length"/> characters.</summary>
    public int Of(int length)
    {
        int bucket = 0;
        while (bucket + 1 < LowerBounds.Length && length >= LowerBounds[bucket + 1]) bucket++;
        return bucket;
    }

    /// <summary>Buckets.</summary>
    public int Count => LowerBounds.Length;

    /// <summary>"8–10", "11–14", "20+" from the lengths actually present (<paramref name="lengths"/>).</summary>
    public string[] Labels(IReadOnlyList<int> lengths) => [.. Enumerable.Range(0, Count).Select(b =>
    {
        var inside = lengths.Where(l => Of(l) == b).ToList();
        if (inside.Count == 0) return b + 1 < Count ? Invariant($"{LowerBounds[b]}–{LowerBounds[b + 1] - 1}") : Invariant($"{LowerBounds[b]}+");
        return inside.Min() == inside.Max() ? Invariant($"{inside.Min()}") : Invariant($"{inside.Min()}–{inside.Max()}");
    })];

    /// <summary>Per bucket: the examples in it, the correct ones, and their mean source length.</summary>
    public (int Count, int Correct, double MeanLength)[] Tally(IReadOnlyList<int> lengths, IReadOnlyList<bool> correct)
    {
        if (lengths.Count != correct.Count) throw new ArgumentException($"LengthBuckets.Tally: {lengths.Count} lengths for {correct.Count} outcomes; expected one each", nameof(correct));
        var tally = new (int Count, int Correct, double MeanLength)[Count];
        for (int i = 0; i < lengths.Count; i++)
        {
            int b = Of(lengths[i]);
            tally[b] = (tally[b].Count + 1, tally[b].Correct + (correct[i] ? 1 : 0), tally[b].MeanLength + lengths[i]);
        }
        return [.. tally.Select(t => (t.Count, t.Correct, t.Count == 0 ? 0 : t.MeanLength / t.Count))];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
