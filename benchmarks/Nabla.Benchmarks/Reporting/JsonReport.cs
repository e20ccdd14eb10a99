using System.Collections;
using System.Text.Json;
using Nabla.Benchmarks.Timing;

namespace Nabla.Benchmarks.Reporting;

/// <summary>Writes the results as <c>{"results": [...], "machine": {...}}</c>.</summary>
/// <remarks>
/// One object per workload and thread count: <c>id, threads, median_ms, min_ms, max_ms, steps, extra</c>, and when
/// TorchSharp ran <c>torch_median_ms, torch_min_ms, torch_max_ms, torch_steps, ratio</c> (Nabla / TorchSharp).
/// Times are per step in milliseconds.
/// </remarks>
internal static class JsonReport
{
    /// <summary>Writes the report to <paramref name="path"/>, replacing it.</summary>
    public static void Write(string path, IReadOnlyList<WorkloadResult> results, MachineInfo machine)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("results");
        foreach (var r in results) WriteResult(json, r);
        json.WriteEndArray();
        json.WriteStartObject("machine");
        json.WriteString("date_utc", machine.DateUtc);
        json.WriteString("cpu", machine.Cpu);
        json.WriteNumber("logical_cores", machine.LogicalCores);
        json.WriteString("os", machine.Os);
        json.WriteString("runtime", machine.Runtime);
        json.WriteString("nabla_simd", machine.NablaSimd);
        json.WriteString("gc", machine.Gc);
        if (machine.TorchSharp is not null) json.WriteString("torchsharp", machine.TorchSharp);
        if (machine.LibTorch is not null) json.WriteString("libtorch", machine.LibTorch);
        json.WriteString("load_average_start", machine.LoadAverageAtStart);
        json.WriteString("load_average_end", MachineInfo.LoadAverage());
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, WorkloadResult r)
    {
        StepStats nabla = r.Measurement.Nabla;
        json.WriteStartObject();
        json.WriteString("id", r.Id);
        json.WriteNumber("threads", r.Threads);
        json.WriteNumber("median_ms", Round(nabla.MedianMs));
        json.WriteNumber("min_ms", Round(nabla.MinMs));
        json.WriteNumber("max_ms", Round(nabla.MaxMs));
        json.WriteNumber("steps", nabla.Steps);
        if (r.Measurement.Torch is { } torch)
        {
            json.WriteNumber("torch_median_ms", Round(torch.MedianMs));
            json.WriteNumber("torch_min_ms", Round(torch.MinMs));
            json.WriteNumber("torch_max_ms", Round(torch.MaxMs));
            json.WriteNumber("torch_steps", torch.Steps);
            json.WriteNumber("ratio", Round(r.Measurement.Ratio!.Value));  // not null: TorchSharp ran
        }

        json.WritePropertyName("extra");
        WriteValue(json, r.Extra);
        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, object value)
    {
        switch (value)
        {
            case double d: json.WriteNumberValue(Round(d)); break;
            case float f: json.WriteNumberValue(Round(f)); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case bool b: json.WriteBooleanValue(b); break;
            case string s: json.WriteStringValue(s); break;
            case IDictionary dict:
                json.WriteStartObject();
                foreach (DictionaryEntry e in dict)
                {
                    json.WritePropertyName(Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture)!);
                    WriteValue(json, e.Value!);
                }

                json.WriteEndObject();
                break;
            case IEnumerable list:
                json.WriteStartArray();
                foreach (object item in list) WriteValue(json, item);
                json.WriteEndArray();
                break;
            default: throw new ArgumentException($"JsonReport: cannot write a {value.GetType().Name} in 'extra'.", nameof(value));
        }
    }

    /// <summary>Six significant digits are more than the measurements hold.</summary>
    private static double Round(double d) =>
        d == 0 || !double.IsFinite(d) ? 0 : Math.Round(d, Math.Clamp(5 - (int)Math.Floor(Math.Log10(Math.Abs(d))), 0, 15));
}
