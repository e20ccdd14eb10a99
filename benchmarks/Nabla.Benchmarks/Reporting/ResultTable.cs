using System.Collections;
using System.Globalization;

namespace Nabla.Benchmarks.Reporting;

/// <summary>Prints the results as a table of medians and ratios, then each row's extra metrics.</summary>
internal static class ResultTable
{
    /// <summary>Writes the table and the extras to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, IReadOnlyList<WorkloadResult> results, bool withTorch)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(withTorch
            ? "workload  threads   Nabla ms  TorchSharp ms   ratio   steps"
            : "workload  threads   Nabla ms     min ms     max ms   steps");
        foreach (var r in results)
        {
            var m = r.Measurement;
            output.WriteLine(m.Torch is null
                ? string.Format(inv, "{0,-8}  {1,7}  {2,9:F3}  {3,9:F3}  {4,9:F3}  {5,6}", r.Id, r.Threads, m.Nabla.MedianMs, m.Nabla.MinMs, m.Nabla.MaxMs, m.Nabla.Steps)
                : string.Format(inv, "{0,-8}  {1,7}  {2,9:F3}  {3,13:F3}  {4,6:F2}  {5,6}", r.Id, r.Threads, m.Nabla.MedianMs, m.Torch.MedianMs, m.Ratio, m.Nabla.Steps));
        }

        if (withTorch) output.WriteLine("ratio = Nabla median / TorchSharp median: below 1, Nabla is faster.");
        output.WriteLine();
        foreach (var r in results)
        {
            output.WriteLine($"{r.Id}, {r.Threads} thread{(r.Threads == 1 ? "" : "s")}:");
            foreach (var (key, value) in r.Extra) output.WriteLine($"  {key} = {Format(value)}");
        }
    }

    /// <summary>A number with up to 4 significant decimals, a list as [a, b], a dictionary as {k: v}.</summary>
    public static string Format(object value) => value switch
    {
        double d => Number(d),
        float f => Number(f),
        string s => s,
        IDictionary dict => "{" + string.Join(", ", dict.Keys.Cast<object>().Select(k => $"{k}: {Format(dict[k]!)}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Number(double d) =>
        Math.Abs(d) >= 1000 || d == Math.Floor(d)
            ? d.ToString("0", CultureInfo.InvariantCulture)
            : d.ToString(Math.Abs(d) >= 10 ? "0.0#" : "0.0###", CultureInfo.InvariantCulture);
}
