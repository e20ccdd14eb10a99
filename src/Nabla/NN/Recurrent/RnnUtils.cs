using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Helpers for batches of variable-length sequences (PyTorch's <c>torch.nn.utils.rnn</c>).</summary>
public static class RnnUtils
{
    /// <summary>Packs a padded batch [T, B, *] ([B, T, *] with <paramref name="batchFirst"/>) whose sequence b has
    /// <c>lengths[b]</c> real steps. With <paramref name="enforceSorted"/>, as in PyTorch, lengths must not increase.</summary>
    public static PackedSequence PackPaddedSequence(Tensor input, int[] lengths, bool batchFirst = false, bool enforceSorted = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lengths);
        const string op = "PackPaddedSequence";
        if (input.Dim < 2)
            Throw.Shape(op, "[T, B, *]", ShapeUtil.Format(input.shape), $"{op}: input must have at least 2 dims ({(batchFirst ? "[B, T, *]" : "[T, B, *]")}); got {ShapeUtil.Format(input.shape)}.");
        var timeMajor = batchFirst ? input.Transpose(0, 1) : input;
        int steps = timeMajor.shape[0], batch = timeMajor.shape[1];
        if (lengths.Length != batch)
            Throw.Argument($"{op}: {lengths.Length} lengths given for a batch of {batch}; expected one per sequence.");
        for (int b = 0; b < batch; b++)
        {
            if (lengths[b] <= 0 || lengths[b] > steps)
                Throw.OutOfRange($"{op}: length {lengths[b]} of sequence {b} is outside [1, {steps}] (PyTorch requires every length to be positive and at most the padded length).");
            if (enforceSorted && b > 0 && lengths[b] > lengths[b - 1])
                Throw.Argument($"{op}: lengths must be sorted in decreasing order when enforceSorted is true; got {lengths[b - 1]} before {lengths[b]} (pass enforceSorted: false to accept any order).");
        }
        return new PackedSequence(timeMajor, (int[])lengths.Clone());
    }

    /// <summary><see cref="PackPaddedSequence(Tensor, int[], bool, bool)"/> with lengths given as an integer tensor [B].</summary>
    public static PackedSequence PackPaddedSequence(Tensor input, Tensor lengths, bool batchFirst = false, bool enforceSorted = true)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Dim != 1 || lengths.DType.IsFloatingPoint() || lengths.DType == DType.Bool)
            Throw.Argument($"PackPaddedSequence: lengths must be a 1-D integer tensor; got {lengths.DType.TorchName()} {ShapeUtil.Format(lengths.shape)}.");
        return PackPaddedSequence(input, lengths.ToArray<long>().Select(l => checked((int)l)).ToArray(), batchFirst, enforceSorted);
    }

    /// <summary>Unpacks to a padded tensor [T, B, *] ([B, T, *] with <paramref name="batchFirst"/>), padded steps set to
    /// <paramref name="paddingValue"/> and T raised to <paramref name="totalLength"/> when given; returns the lengths too.</summary>
    public static (Tensor Padded, Tensor Lengths) PadPackedSequence(PackedSequence sequence, bool batchFirst = false,
        double paddingValue = 0, int? totalLength = null)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var padded = sequence.Padded;
        int steps = padded.shape[0], batch = padded.shape[1];
        int[] lengths = sequence.LengthsArray();
        int maxLength = lengths.Length == 0 ? 0 : lengths.Max();
        if (totalLength is { } total && total < maxLength)
            Throw.Argument($"PadPackedSequence: totalLength {total} is shorter than the longest sequence ({maxLength}).");
        int target = totalLength ?? maxLength;
        if (target != steps) padded = target < steps ? padded.Narrow(0, 0, target) : Tensor.Cat([padded, Tensor.Zeros([target - steps, .. padded.shape.AsSpan(1)], padded.DType)], 0);
        var shape = new int[padded.Dim];
        Array.Fill(shape, 1);
        (shape[0], shape[1]) = (target, batch);
        var padding = Tensor.FromArray(Mask(lengths, target, timeMajor: true).ToArray<bool>().Select(real => !real).ToArray(), shape);
        var result = padded.MaskedFill(padding, paddingValue);
        return (batchFirst ? result.Transpose(0, 1) : result, sequence.Lengths);
    }

    /// <summary>Stacks sequences [L_i, *] into one padded tensor [max L, B, *] ([B, max L, *] with
    /// <paramref name="batchFirst"/>), filling with <paramref name="paddingValue"/>. Differentiable.</summary>
    public static Tensor PadSequence(IReadOnlyList<Tensor> sequences, bool batchFirst = false, double paddingValue = 0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) Throw.Argument("PadSequence: expected at least one sequence.");
        var trailing = sequences[0].shape.AsSpan(1).ToArray();
        int maxLength = 0;
        foreach (var s in sequences)
        {
            if (s.Dim < 1 || !ShapeUtil.SameShape(s.shape.AsSpan(1), trailing) || s.DType != sequences[0].DType)
                Throw.Shape("PadSequence", $"[L, {string.Join(", ", trailing)}]", ShapeUtil.Format(s.shape),
                    $"PadSequence: every sequence must be [L, {string.Join(", ", trailing)}] of dtype {sequences[0].DType.TorchName()}; got {s.DType.TorchName()} {ShapeUtil.Format(s.shape)}.");
            maxLength = Math.Max(maxLength, s.shape[0]);
        }
        var rows = sequences.Select(s => s.shape[0] == maxLength ? s
            : Tensor.Cat([s, Tensor.Full([maxLength - s.shape[0], .. trailing], paddingValue, s.DType)], 0)).ToArray();
        return Tensor.Stack(rows, batchFirst ? 0 : 1);
    }

    /// <summary>Pads and packs sequences [L_i, *] in one go (<c>pack_sequence</c>).</summary>
    public static PackedSequence PackSequence(IReadOnlyList<Tensor> sequences, bool enforceSorted = true)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var lengths = sequences.Select(s => s.Dim == 0 ? 0 : s.shape[0]).ToArray();
        return PackPaddedSequence(PadSequence(sequences), lengths, batchFirst: false, enforceSorted);
    }

    /// <summary>A boolean mask of real steps, true where step t of sequence b is real (t &lt; lengths[b]):
    /// [T, B] when <paramref name="timeMajor"/>, else [B, T].</summary>
    public static Tensor Mask(IReadOnlyList<int> lengths, int steps, bool timeMajor = false)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        int batch = lengths.Count;
        var values = new bool[steps * batch];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < Math.Min(steps, lengths[b]); t++)
                values[timeMajor ? t * batch + b : b * steps + t] = true;
        return Tensor.FromArray(values, timeMajor ? [steps, batch] : [batch, steps]);
    }
}
