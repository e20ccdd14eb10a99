namespace Nabla.Tests.Autograd;

/// <summary>Where an op's input values are drawn from, so that finite differences stay away from poles
/// (log, sqrt, division), kinks (abs, relu, clamp) and ties (max, maximum).</summary>
/// <remarks>Values are U(<see cref="Low"/>, <see cref="High"/>), redrawn while closer than <see cref="Margin"/>
/// to a kink. A <see cref="Spacing"/> snaps them to offset + spacing·k (so two grids with different offsets never
/// tie); <see cref="Distinct"/> makes all values of a tensor different, evenly spread and shuffled.</remarks>
public sealed record InputDomain(double Low, double High)
{
    /// <summary>Points where the op is not differentiable.</summary>
    public double[] Kinks { get; init; } = [];

    /// <summary>Minimum distance from every kink (far above the finite-difference step 1e-6).</summary>
    public double Margin { get; init; } = 0.1;

    /// <summary>When positive, values are offset + spacing·k for integer k.</summary>
    public double Spacing { get; init; }

    /// <summary>The grid offset used with <see cref="Spacing"/>.</summary>
    public double Offset { get; init; }

    /// <summary>All values distinct and at least (High − Low)/n apart.</summary>
    public bool Distinct { get; init; }

    /// <summary>U(−2, 2).</summary>
    public static InputDomain Any { get; } = new(-2, 2);

    /// <summary>U(0.3, 2.5): log, sqrt, the base of a real power.</summary>
    public static InputDomain Positive { get; } = new(0.3, 2.5);

    /// <summary>|x| ≥ 0.5: denominators.</summary>
    public static InputDomain NonZero { get; } = new(-2, 2) { Kinks = [0], Margin = 0.5 };

    /// <summary>U(−2, 2) away from the given kinks.</summary>
    public static InputDomain AwayFrom(params double[] kinks) => new(-2, 2) { Kinks = kinks };

    /// <summary>Values on the grid offset + 0.1·k in [−2, 2]: two grids with offsets 0 and 0.05 never tie.</summary>
    public static InputDomain Grid(double offset) => new(-2, 2) { Spacing = 0.1, Offset = offset };

    /// <summary>Distinct values spread over [−2, 2], shuffled: a unique maximum in every row.</summary>
    public static InputDomain DistinctValues { get; } = new(-2, 2) { Distinct = true };

    /// <summary>Draws <paramref name="count"/> values.</summary>
    public double[] Sample(Random rng, int count)
    {
        var values = new double[count];
        if (Distinct)
        {
            for (int i = 0; i < count; i++) values[i] = Low + (High - Low) * (i + 0.5) / count;
            rng.Shuffle(values);
            return values;
        }
        for (int i = 0; i < count; i++)
        {
            double v;
            do
            {
                v = Low + (High - Low) * rng.NextDouble();
                if (Spacing > 0) v = Offset + Spacing * Math.Round((v - Offset) / Spacing);
            }
            while (Kinks.Any(k => Math.Abs(v - k) < Margin));
            values[i] = v;
        }
        return values;
    }
}
