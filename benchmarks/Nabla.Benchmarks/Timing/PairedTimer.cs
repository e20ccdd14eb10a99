namespace Nabla.Benchmarks.Timing;

/// <summary>Times a Nabla step against a TorchSharp step in one process, alternating A B A B ….</summary>
/// <remarks>
/// Alternation makes the host's noise (a busy neighbour, a vCPU taken away for a while, frequency changes) fall
/// on both libraries alike; medians then discard the outliers. Both libraries first warm up, alternating too.
/// </remarks>
internal sealed class PairedTimer(TimingSettings settings)
{
    private const int EstimateWindow = 5;

    /// <summary>Warms up both steps, then times them in alternating samples.</summary>
    /// <param name="nabla">Nabla's step.</param>
    /// <param name="torch">TorchSharp's step, or null to time Nabla alone.</param>
    /// <param name="defaultSteps">Timed steps per library unless <see cref="TimingSettings.Steps"/> is set; then
    /// cut to the time budget, but never below <see cref="TimingSettings.MinSamples"/> samples.</param>
    /// <remarks>A sample is <c>perSample</c> consecutive steps, enough to last <see cref="TimingSettings.MinSampleMs"/>
    /// for the faster library; both libraries run the same number per sample.</remarks>
    public Measurement Measure(Action nabla, Action? torch, int defaultSteps)
    {
        var a = new StepSampler(nabla);
        var b = torch is null ? null : new StepSampler(torch);
        (double estA, double estB) = WarmUp(a, b);

        // Both libraries use the same steps per sample, chosen so that the faster one's sample lasts MinSampleMs.
        double fastest = b is null ? estA : Math.Min(estA, estB);
        int perSample = Math.Max(1, (int)Math.Ceiling(settings.MinSampleMs / Math.Max(fastest, 1e-6)));
        double roundMs = perSample * (estA + estB) + (b is null ? 0 : 2 * settings.SettleMs);
        int samples = settings.Steps is { } steps
            ? (steps + perSample - 1) / perSample
            : Math.Max(TimingSettings.MinSamples,
                Math.Min((defaultSteps + perSample - 1) / perSample, (int)(settings.BudgetSeconds * 1000 / roundMs)));

        for (int s = 0; s < samples; s++)
        {
            a.Sample(perSample);
            if (b is null) continue;
            settings.Settle();
            b.Sample(perSample);
            settings.Settle();
        }

        return new Measurement(a.Stats(perSample), b?.Stats(perSample));
    }

    /// <summary>Alternates untimed steps until each library has run WarmupSeconds and WarmupSteps; returns each
    /// one's step time estimated from its last steps (0 for an absent library).</summary>
    private (double A, double B) WarmUp(StepSampler a, StepSampler? b)
    {
        var lastA = new Queue<double>();
        var lastB = new Queue<double>();
        double totalA = 0, totalB = 0;
        for (int step = 0; step < settings.WarmupSteps || totalA < settings.WarmupSeconds * 1000
                || (b is not null && totalB < settings.WarmupSeconds * 1000); step++)
        {
            totalA += Record(lastA, a.RunOnce());
            if (b is not null) totalB += Record(lastB, b.RunOnce());
        }

        return (Estimate(lastA), b is null ? 0 : Estimate(lastB));
    }

    private static double Record(Queue<double> last, double ms)
    {
        last.Enqueue(ms);
        if (last.Count > EstimateWindow) last.Dequeue();
        return ms;
    }

    private static double Estimate(Queue<double> last) => StepSampler.Median([.. last.Order()]);
}
