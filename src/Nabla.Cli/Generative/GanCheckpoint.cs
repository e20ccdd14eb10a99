using System.Globalization;
using Nabla.IO;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Generative;

/// <summary>The whole state of a GAN run in one safetensors file, for <c>--resume</c>: the two networks' state dicts under
/// "generator." and "discriminator.", their Adam states under "optimizer_g." and "optimizer_d.", and metadata holding the
/// format, the position (epoch, step) and the random generator's xoshiro256** state, besides the caller's own keys.</summary>
/// <remarks><see cref="TrainingCheckpoint"/> holds one model and one optimizer; a GAN has two of each. In PyTorch,
/// <c>{k[10:]: v for k, v in sd.items() if k.startswith("generator.")}</c> is the generator's state dict.</remarks>
internal static class GanCheckpoint
{
    /// <summary>The "format" metadata value.</summary>
    public const string Format = "nabla.gan-training";

    /// <summary>Tensor name prefixes.</summary>
    public const string GeneratorPrefix = "generator.", DiscriminatorPrefix = "discriminator.", GeneratorOptimizerPrefix = "optimizer_g.",
        DiscriminatorOptimizerPrefix = "optimizer_d.";

    private const string FormatKey = "format", EpochKey = "epoch", StepKey = "step", RandomPrefix = "random.";

    /// <summary>Writes the state to <paramref name="path"/> (atomically: a temporary file, then a rename).</summary>
    public static void Save(string path, DcganGenerator g, DcganDiscriminator d, Optimizer optimizerG, Optimizer optimizerD, int epoch, long step,
        Generator random, IReadOnlyDictionary<string, string> metadata)
    {
        var tensors = new Dictionary<string, Tensor>();
        Add(tensors, GeneratorPrefix, g.StateDict());
        Add(tensors, DiscriminatorPrefix, d.StateDict());
        Add(tensors, GeneratorOptimizerPrefix, optimizerG.StateDict());
        Add(tensors, DiscriminatorOptimizerPrefix, optimizerD.StateDict());
        var meta = new Dictionary<string, string>(metadata)
        {
            [FormatKey] = Format,
            [EpochKey] = Text(epoch),
            [StepKey] = Text(step),
        };
        var s = random.GetState();
        meta[RandomPrefix + "s0"] = Text(s.S0);
        meta[RandomPrefix + "s1"] = Text(s.S1);
        meta[RandomPrefix + "s2"] = Text(s.S2);
        meta[RandomPrefix + "s3"] = Text(s.S3);
        meta[RandomPrefix + "cached_normal"] = s.CachedNormal.ToString("R", CultureInfo.InvariantCulture);
        meta[RandomPrefix + "has_cached_normal"] = s.HasCachedNormal ? "true" : "false";
        Checkpoint.Save(path, tensors, meta);
    }

    /// <summary>Whether a file's metadata marks it as a GAN training checkpoint.</summary>
    public static bool IsGanCheckpoint(IReadOnlyDictionary<string, string> metadata) => metadata.GetValueOrDefault(FormatKey) == Format;

    /// <summary>The generator's tensors of a GAN checkpoint, without their prefix.</summary>
    public static Dictionary<string, Tensor> GeneratorState(IReadOnlyDictionary<string, Tensor> tensors) => Strip(tensors, GeneratorPrefix);

    /// <summary>Restores networks, optimizers and the random generator from <paramref name="path"/>; returns the epochs
    /// done and the steps taken. The file is read and the networks' keys and shapes checked before anything changes.</summary>
    /// <exception cref="InvalidDataException">The file is not a GAN checkpoint or does not fit the networks.</exception>
    public static (int Epoch, long Step) Restore(string path, DcganGenerator g, DcganDiscriminator d, Optimizer optimizerG, Optimizer optimizerD,
        Generator random, out IReadOnlyDictionary<string, string> metadata)
    {
        var tensors = Checkpoint.Load(path, out metadata);
        var meta = metadata;
        if (!IsGanCheckpoint(meta))
            throw new InvalidDataException($"{path} is not a GAN training checkpoint (its format is '{meta.GetValueOrDefault(FormatKey, "")}', expected '{Format}')");
        int epoch = (int)Number(EpochKey);
        long step = (long)Number(StepKey);
        var state = new GeneratorState(Word("s0"), Word("s1"), Word("s2"), Word("s3"),
            double.TryParse(meta.GetValueOrDefault(RandomPrefix + "cached_normal", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out double cached) ? cached
                : throw Bad(RandomPrefix + "cached_normal"),
            meta.GetValueOrDefault(RandomPrefix + "has_cached_normal") switch { "true" => true, "false" => false, _ => throw Bad(RandomPrefix + "has_cached_normal") });
        var gState = Strip(tensors, GeneratorPrefix);
        var dState = Strip(tensors, DiscriminatorPrefix);
        var gOptimizer = Strip(tensors, GeneratorOptimizerPrefix);
        var dOptimizer = Strip(tensors, DiscriminatorOptimizerPrefix);
        try
        {
            Check(g, gState, "generator");
            Check(d, dState, "discriminator");
            optimizerG.LoadStateDict(gOptimizer);
            optimizerD.LoadStateDict(dOptimizer);
            g.LoadStateDict(gState);
            d.LoadStateDict(dState);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        random.SetState(state);
        return (epoch, step);

        double Number(string key) =>
            double.TryParse(meta.GetValueOrDefault(key, ""), NumberStyles.None, CultureInfo.InvariantCulture, out double v) ? v : throw Bad(key);
        ulong Word(string name) =>
            ulong.TryParse(meta.GetValueOrDefault(RandomPrefix + name, ""), NumberStyles.None, CultureInfo.InvariantCulture, out ulong w) ? w : throw Bad(RandomPrefix + name);
        InvalidDataException Bad(string key) => new($"{path}: metadata '{key}' is '{meta.GetValueOrDefault(key, "")}'; the file is damaged or was not written by nabla train gan");
    }

    // Keys and shapes must match before LoadStateDict changes anything, so a bad file leaves the networks as they were.
    private static void Check(Module module, IReadOnlyDictionary<string, Tensor> state, string what)
    {
        var expected = module.StateDict();
        var missing = expected.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var extra = state.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new ArgumentException($"the {what}'s tensors do not match (missing: {string.Join(", ", missing)}; unexpected: {string.Join(", ", extra)})");
        foreach (var (key, t) in expected)
            if (!t.Shape.SequenceEqual(state[key].Shape))
                throw new ArgumentException($"the {what}'s '{key}' is [{string.Join(", ", state[key].Shape)}]; expected [{string.Join(", ", t.Shape)}]");
    }

    private static void Add(Dictionary<string, Tensor> tensors, string prefix, IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var (name, t) in state) tensors.Add(prefix + name, t);
    }

    private static Dictionary<string, Tensor> Strip(IReadOnlyDictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
