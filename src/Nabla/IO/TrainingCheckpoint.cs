using System.Globalization;
using System.Text;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.IO;

/// <summary>A checkpoint of a whole training run in one safetensors file: the model, the optimizer, the learning-rate
/// scheduler, the random generator and the position (epoch, batch, step), so a stopped run resumes exactly.</summary>
/// <remarks>
/// <para>Tensors: the model's state dict under its own PyTorch names, unprefixed, and the optimizer's state dict
/// (<see cref="Optimizer.StateDict"/>) under "optimizer." ("optimizer.state.0.exp_avg", "optimizer.param_groups.0.lr").
/// In PyTorch, <c>sd = safetensors.torch.load_file(path)</c> then
/// <c>model.load_state_dict({k: v for k, v in sd.items() if not k.startswith("optimizer.")})</c> loads the weights;
/// <see cref="Checkpoint.LoadInto"/> and <see cref="Checkpoint.LoadModel"/> drop the optimizer's tensors themselves.</para>
/// <para>Metadata (strings): "format" = "nabla.training", "format_version" = "1"; "epoch", "batch", "step"
/// (<see cref="TrainingPosition"/>); "optimizer" (its type name); "scheduler" (its type name) with each value of its
/// state dict as "scheduler.NAME", when there is one; "generator.s0" … "generator.s3" (xoshiro256** words, decimal),
/// "generator.cached_normal" (round-trip double) and "generator.has_cached_normal" ("true"/"false"); then the caller's
/// own keys (the run's configuration, the model's architecture, …); and "checksum" = "xxh64:" and 16 hex digits, the
/// XXH64 hash chained over every other metadata pair and every tensor's name, dtype, shape and bytes (both in ordinal
/// name order), so a flipped byte anywhere is caught. Numbers use the invariant culture.</para>
/// <para>Written atomically (temporary file, flush to disk, rename), so a crash leaves the previous checkpoint or the new
/// one. Read in two stages: <see cref="Read"/> validates the file (format, every header entry, every metadata value) and
/// <see cref="Restore"/> checks that model, optimizer, scheduler and generator all fit before it changes any of them.</para>
/// </remarks>
public sealed class TrainingCheckpoint
{
    /// <summary>The "format" metadata value that marks a training checkpoint.</summary>
    public const string Format = "nabla.training";

    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The prefix of the optimizer's tensors.</summary>
    public const string OptimizerPrefix = "optimizer.";

    private const string ChecksumKey = "checksum", ChecksumPrefix = "xxh64:";

    private const string FormatKey = "format", VersionKey = "format_version", EpochKey = "epoch", BatchKey = "batch", StepKey = "step",
        OptimizerKey = "optimizer", SchedulerKey = "scheduler", SchedulerPrefix = "scheduler.", GeneratorPrefix = "generator.";

    private static readonly string[] GeneratorKeys = ["s0", "s1", "s2", "s3", "cached_normal", "has_cached_normal"];

    private TrainingCheckpoint(string path, IReadOnlyDictionary<string, Tensor> modelState, IReadOnlyDictionary<string, Tensor> optimizerState,
        TrainingPosition position, string optimizerType, string? schedulerType, IReadOnlyDictionary<string, double> schedulerState,
        GeneratorState generatorState, IReadOnlyDictionary<string, string> metadata)
    {
        (Path, ModelState, OptimizerState, Position, OptimizerType, SchedulerType, SchedulerState, GeneratorState, Metadata) =
            (path, modelState, optimizerState, position, optimizerType, schedulerType, schedulerState, generatorState, metadata);
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The model's tensors under their state-dict names.</summary>
    public IReadOnlyDictionary<string, Tensor> ModelState { get; }

    /// <summary>The optimizer's state dict (names without the "optimizer." prefix).</summary>
    public IReadOnlyDictionary<string, Tensor> OptimizerState { get; }

    /// <summary>Where the run stood.</summary>
    public TrainingPosition Position { get; }

    /// <summary>The optimizer's type name ("Adam").</summary>
    public string OptimizerType { get; }

    /// <summary>The scheduler's type name, or null when the run had none.</summary>
    public string? SchedulerType { get; }

    /// <summary>The scheduler's state dict; empty when the run had none.</summary>
    public IReadOnlyDictionary<string, double> SchedulerState { get; }

    /// <summary>The random generator's state.</summary>
    public GeneratorState GeneratorState { get; }

    /// <summary>The caller's own metadata, without the keys this format reserves.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Writes the training state to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file, e.g. RUN/checkpoint.safetensors.</param>
    /// <param name="model">Its state dict is saved under its own names.</param>
    /// <param name="optimizer">Its state dict is saved under "optimizer.".</param>
    /// <param name="position">Where the run stands.</param>
    /// <param name="scheduler">The learning-rate scheduler, if any.</param>
    /// <param name="generator">The generator that initialization, shuffling and dropout draw from; <see cref="Generator.Default"/> if null.</param>
    /// <param name="metadata">More string metadata, such as the run's configuration; must not use the reserved keys.</param>
    /// <exception cref="ArgumentException">A model key starts with "optimizer.", or <paramref name="metadata"/> uses a reserved key.</exception>
    public static void Save(string path, Module model, Optimizer optimizer, TrainingPosition position, IScheduler? scheduler = null,
        Generator? generator = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(position);
        if (position.Epoch < 0 || position.Batch < 0 || position.Step < 0)
            throw new ArgumentOutOfRangeException(nameof(position), position, "TrainingCheckpoint.Save: epoch, batch and step must be ≥ 0.");

        var tensors = new OrderedDictionary<string, Tensor>();
        foreach (var (name, t) in model.StateDict())
        {
            if (name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
                throw new ArgumentException($"TrainingCheckpoint.Save: model key '{name}' starts with '{OptimizerPrefix}', which the checkpoint keeps for the optimizer's state.", nameof(model));
            tensors.Add(name, t);
        }
        foreach (var (name, t) in optimizer.StateDict()) tensors.Add(OptimizerPrefix + name, t);

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (IsReserved(key))
                throw new ArgumentException($"TrainingCheckpoint.Save: metadata key '{key}' is reserved by the checkpoint format; use another name.", nameof(metadata));
            meta[key] = value;
        }
        meta[FormatKey] = Format;
        meta[VersionKey] = Text(FormatVersion);
        meta[EpochKey] = Text(position.Epoch);
        meta[BatchKey] = Text(position.Batch);
        meta[StepKey] = Text(position.Step);
        meta[OptimizerKey] = optimizer.GetType().Name;
        if (scheduler is not null)
        {
            meta[SchedulerKey] = scheduler.GetType().Name;
            foreach (var (name, value) in scheduler.StateDict()) meta[SchedulerPrefix + name] = Text(value);
        }
        var g = (generator ?? Generator.Default).GetState();
        meta[GeneratorPrefix + "s0"] = Text(g.S0);
        meta[GeneratorPrefix + "s1"] = Text(g.S1);
        meta[GeneratorPrefix + "s2"] = Text(g.S2);
        meta[GeneratorPrefix + "s3"] = Text(g.S3);
        meta[GeneratorPrefix + "cached_normal"] = Text(g.CachedNormal);
        meta[GeneratorPrefix + "has_cached_normal"] = g.HasCachedNormal ? "true" : "false";
        var entries = tensors.Select(kv => Checkpoint.ToEntry(kv.Key, kv.Value)).ToList();
        meta[ChecksumKey] = ChecksumPrefix + Checksum(entries, meta).ToString("x16", CultureInfo.InvariantCulture);
        SafeTensors.Write(path, entries, meta);
    }

    /// <summary>Whether a file's metadata marks it as a training checkpoint (of any version).</summary>
    public static bool IsTrainingCheckpoint(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(FormatKey, out string? format) && format == Format;

    /// <summary>Reads and validates a training checkpoint without applying it.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt or truncated, is not a training checkpoint, has another
    /// format version, or holds a malformed value; the message names the file.</exception>
    public static TrainingCheckpoint Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = SafeTensors.Read(path);   // validates the header, the offsets and the length before any data is trusted
        var metadata = file.Metadata;
        if (!metadata.TryGetValue(FormatKey, out string? format))
            throw Error(path, "it is not a training checkpoint (no 'format' metadata); a model-only file such as model.safetensors holds weights but no optimizer or position");
        if (format != Format)
            throw Error(path, $"its format is '{format}'; expected '{Format}'");
        string versionText = Required(path, metadata, VersionKey);
        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version != FormatVersion)
            throw Error(path, $"its format version is '{versionText}'; this Nabla reads version {FormatVersion}");
        string checksum = Required(path, metadata, ChecksumKey);
        string actual = ChecksumPrefix + Checksum(file.Entries, metadata).ToString("x16", CultureInfo.InvariantCulture);
        if (checksum != actual)
            throw Error(path, $"its contents do not match its checksum ({checksum} recorded, {actual} computed): the file is corrupt");

        var position = new TrainingPosition(Whole<int>(path, metadata, EpochKey), Whole<int>(path, metadata, BatchKey), Whole<long>(path, metadata, StepKey));
        string optimizerType = Required(path, metadata, OptimizerKey);
        var generator = new GeneratorState(Whole<ulong>(path, metadata, GeneratorPrefix + "s0"), Whole<ulong>(path, metadata, GeneratorPrefix + "s1"),
            Whole<ulong>(path, metadata, GeneratorPrefix + "s2"), Whole<ulong>(path, metadata, GeneratorPrefix + "s3"),
            Number(path, metadata, GeneratorPrefix + "cached_normal"), Flag(path, metadata, GeneratorPrefix + "has_cached_normal"));
        if ((generator.S0 | generator.S1 | generator.S2 | generator.S3) == 0)
            throw Error(path, "its generator state is all zeros, which xoshiro256** never reaches");

        string? schedulerType = metadata.GetValueOrDefault(SchedulerKey);
        var schedulerState = new Dictionary<string, double>(StringComparer.Ordinal);
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (key.StartsWith(SchedulerPrefix, StringComparison.Ordinal))
            {
                if (schedulerType is null) throw Error(path, $"it has scheduler state '{key}' but no 'scheduler' type");
                schedulerState[key[SchedulerPrefix.Length..]] = Number(path, metadata, key);
            }
            else if (key.StartsWith(GeneratorPrefix, StringComparison.Ordinal) && !GeneratorKeys.Contains(key[GeneratorPrefix.Length..]))
                throw Error(path, $"unexpected generator metadata '{key}'");
            else if (!IsReserved(key)) own[key] = value;
        }

        var model = new OrderedDictionary<string, Tensor>();
        var optimizer = new OrderedDictionary<string, Tensor>();
        foreach (var entry in file.Entries)
        {
            var t = Checkpoint.FromEntry(entry, path);
            if (entry.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) optimizer.Add(entry.Name[OptimizerPrefix.Length..], t);
            else model.Add(entry.Name, t);
        }
        return new TrainingCheckpoint(path, model, optimizer, position, optimizerType, schedulerType, schedulerState, generator, own);
    }

    /// <summary>Reads <paramref name="path"/> and restores it into the run's objects (<see cref="Read"/>, then <see cref="Restore"/>).</summary>
    public static TrainingPosition Load(string path, Module model, Optimizer optimizer, IScheduler? scheduler = null, Generator? generator = null) =>
        Read(path).Restore(model, optimizer, scheduler, generator);

    /// <summary>Copies the checkpoint into the model, optimizer, scheduler and generator, and returns where the run stood.</summary>
    /// <remarks>Everything is checked first: the model's keys, shapes and dtypes exactly (strict), the optimizer's type and
    /// state dict, the scheduler's presence, type and state. Only then is anything changed, so a refused checkpoint leaves
    /// all four as they were.</remarks>
    /// <param name="model">Receives the weights and buffers.</param>
    /// <param name="optimizer">Receives its state and hyper-parameters (learning rate included).</param>
    /// <param name="scheduler">Receives its counters; must be given exactly when the checkpoint holds a scheduler.</param>
    /// <param name="generator">Continues the saved random stream; <see cref="Generator.Default"/> if null.</param>
    /// <exception cref="InvalidDataException">The checkpoint does not fit the objects; the message names the file and the mismatch.</exception>
    public TrainingPosition Restore(Module model, Optimizer optimizer, IScheduler? scheduler = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        CheckModel(model);

        if (optimizer.GetType().Name != OptimizerType)
            throw Error(Path, $"it holds the state of optimizer {OptimizerType}, but the run's optimizer is {optimizer.GetType().Name}");
        Action applyOptimizer;
        try
        {
            applyOptimizer = optimizer.PrepareLoad(OptimizerState);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"training checkpoint {Path}: {e.Message}", e);
        }

        if (scheduler is null != SchedulerType is null)
            throw Error(Path, SchedulerType is null
                ? $"it holds no scheduler state, but the run's scheduler is {scheduler!.GetType().Name}"   // non-null: exactly one of the two is null
                : $"it holds the state of scheduler {SchedulerType}, but the run has no scheduler");
        if (scheduler is not null)
        {
            if (scheduler.GetType().Name != SchedulerType)
                throw Error(Path, $"it holds the state of scheduler {SchedulerType}, but the run's scheduler is {scheduler.GetType().Name}");
            try
            {
                scheduler.LoadStateDict(SchedulerState);   // checks everything before changing anything; the last step that can fail
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"training checkpoint {Path}: {e.Message}", e);
            }
        }

        model.LoadStateDict(ModelState, strict: true);   // checked above: cannot fail
        applyOptimizer();
        (generator ?? Generator.Default).SetState(GeneratorState);
        return Position;
    }

    // Strict and exact: a resumed run must continue with the very tensors it saved, so dtypes must match too.
    private void CheckModel(Module model)
    {
        var own = model.StateDict();
        var missing = own.Keys.Where(k => !ModelState.ContainsKey(k)).ToList();
        var unexpected = ModelState.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw Error(Path, $"it does not fit the model: missing keys [{string.Join(", ", missing)}]; unexpected keys [{string.Join(", ", unexpected)}]");
        foreach (var (key, target) in own)
        {
            var source = ModelState[key];
            if (!source.Shape.SequenceEqual(target.Shape) || source.DType != target.DType)
                throw Error(Path, $"it does not fit the model: '{key}' is {source.DType.TorchName()} {ShapeUtil.Format(source.ShapeSpan)} in the checkpoint but {target.DType.TorchName()} {ShapeUtil.Format(target.ShapeSpan)} in the model");
        }
    }

    // XXH64 chained over every metadata pair but the checksum itself and every tensor's name, dtype, shape and bytes,
    // both in ordinal name order: any changed byte of a value or of the data shows, wherever the file stores it.
    private static ulong Checksum(IReadOnlyList<SafeTensorEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        ulong h = 0;
        foreach (string key in metadata.Keys.Where(k => k != ChecksumKey).Order(StringComparer.Ordinal))
            h = XxHash64.Hash(Encoding.UTF8.GetBytes(metadata[key]), XxHash64.Hash(Encoding.UTF8.GetBytes(key), h));
        foreach (var e in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            h = XxHash64.Hash(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{e.Name}\0{e.DType.HeaderName()}\0{string.Join(',', e.Shape)}")), h);
            h = XxHash64.Hash(e.Data, h);
        }
        return h;
    }

    private static bool IsReserved(string key) =>
        key is ChecksumKey or FormatKey or VersionKey or EpochKey or BatchKey or StepKey or OptimizerKey or SchedulerKey
        || key.StartsWith(SchedulerPrefix, StringComparison.Ordinal) || key.StartsWith(GeneratorPrefix, StringComparison.Ordinal);

    private static string Required(string path, IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out string? value) ? value : throw Error(path, $"its metadata lacks '{key}'");

    private static T Whole<T>(string path, IReadOnlyDictionary<string, string> metadata, string key) where T : System.Numerics.IBinaryInteger<T>
    {
        string text = Required(path, metadata, key);
        return T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out T? value) ? value
            : throw Error(path, $"metadata '{key}' is '{text}'; expected a whole number ≥ 0");
    }

    private static double Number(string path, IReadOnlyDictionary<string, string> metadata, string key)
    {
        string text = Required(path, metadata, key);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value
            : throw Error(path, $"metadata '{key}' is '{text}'; expected a number");
    }

    private static bool Flag(string path, IReadOnlyDictionary<string, string> metadata, string key) => Required(path, metadata, key) switch
    {
        "true" => true,
        "false" => false,
        var text => throw Error(path, $"metadata '{key}' is '{text}'; expected true or false"),
    };

    private static string Text<T>(T value) where T : IFormattable => value.ToString(value is double ? "R" : null, CultureInfo.InvariantCulture);

    private static InvalidDataException Error(string path, string problem) => new($"training checkpoint {path}: {problem}.");
}
