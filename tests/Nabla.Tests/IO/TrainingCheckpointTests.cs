using System.Buffers.Binary;
using System.Text;
using Nabla.IO;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Tests.IO;

/// <summary>Training checkpoints: a resumed run continues bit for bit; a corrupt, truncated, foreign or mismatched file
/// is refused with a message naming it, before anything is changed.</summary>
public sealed class TrainingCheckpointTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("nabla-training-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string PathOf(string name) => Path.Combine(dir, name);

    /// <summary>A model, Adam, a cosine schedule and a generator that dropout draws from, as a training run holds them.</summary>
    private sealed class Run
    {
        public Run(long seed, int hidden = 8)
        {
            Generator = new Generator(seed);
            Model = new Sequential(new Linear(4, hidden, generator: Generator), new ReLU(), new Linear(hidden, 3, generator: Generator));
            Optimizer = new Adam(Model.Parameters(), lr: 0.05);
            Scheduler = new CosineAnnealingLr(Optimizer, tMax: 20);
        }

        public Generator Generator { get; }
        public Sequential Model { get; }
        public Adam Optimizer { get; }
        public CosineAnnealingLr Scheduler { get; }

        /// <summary>Steps t ∈ [from, to): a batch fixed by t, dropout drawn from the run's generator.</summary>
        public void Train(int from, int to)
        {
            for (int t = from; t < to; t++)
            {
                var data = new Generator(1000 + t);
                var x = Tensor.Randn([5, 4], generator: data);
                var y = Tensor.FromArray<long>([t % 3, (t + 1) % 3, 0, 1, 2]);
                var h = Functional.Dropout(x, 0.2, training: true, generator: Generator);
                var loss = Functional.CrossEntropy(Model.Call(h), y);
                Optimizer.ZeroGrad();
                loss.Backward();
                Optimizer.Step();
                Scheduler.Step();
            }
        }

        public void Save(string path, TrainingPosition position, IReadOnlyDictionary<string, string>? metadata = null) =>
            TrainingCheckpoint.Save(path, Model, Optimizer, position, Scheduler, Generator, metadata);

        public TrainingPosition Load(string path) => TrainingCheckpoint.Load(path, Model, Optimizer, Scheduler, Generator);

        /// <summary>Everything a resume must restore, as copies: weights, optimizer state, rate, schedule, generator.</summary>
        public Snapshot Take() => new(
            Model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone()),
            Optimizer.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone()),
            Optimizer.LearningRate, Scheduler.LastEpoch, Generator.GetState());
    }

    private sealed record Snapshot(Dictionary<string, Tensor> Model, Dictionary<string, Tensor> Optimizer, double Lr, int LastEpoch, GeneratorState Generator);

    private static void AssertSame(Snapshot expected, Snapshot actual)
    {
        Assert.Equal(expected.Model.Keys, actual.Model.Keys);
        foreach (var key in expected.Model.Keys) Assert.True(expected.Model[key].AllClose(actual.Model[key], rtol: 0, atol: 0), $"model '{key}' differs");
        Assert.Equal(expected.Optimizer.Keys, actual.Optimizer.Keys);
        foreach (var key in expected.Optimizer.Keys)
            Assert.True(expected.Optimizer[key].AllClose(actual.Optimizer[key], rtol: 0, atol: 0), $"optimizer '{key}' differs");
        Assert.Equal(expected.Lr, actual.Lr);
        Assert.Equal(expected.LastEpoch, actual.LastEpoch);
        Assert.Equal(expected.Generator, actual.Generator);
    }

    [Fact]
    public void SaveThenLoad_ResumedRunContinuesBitForBit()
    {
        var original = new Run(seed: 1);
        original.Train(0, 4);
        string path = PathOf("checkpoint.safetensors");
        original.Save(path, new TrainingPosition(Epoch: 1, Batch: 2, Step: 4), new Dictionary<string, string> { ["arch"] = "mlp", ["config"] = "{\"lr\": 0.05}" });
        original.Train(4, 9);

        var resumed = new Run(seed: 99);   // other initial weights and random stream: all must come from the file
        var position = resumed.Load(path);
        Assert.Equal(new TrainingPosition(1, 2, 4), position);
        resumed.Train(4, 9);

        AssertSame(original.Take(), resumed.Take());
        Assert.Equal(original.Generator.NextUInt64(), resumed.Generator.NextUInt64());
    }

    [Fact]
    public void Read_ExposesPositionMetadataAndBothStateDicts()
    {
        var run = new Run(seed: 1);
        run.Train(0, 2);
        string path = PathOf("checkpoint.safetensors");
        run.Save(path, new TrainingPosition(3, 0, 2), new Dictionary<string, string> { ["arch"] = "mlp" });

        var checkpoint = TrainingCheckpoint.Read(path);
        Assert.Equal(path, checkpoint.Path);
        Assert.True(checkpoint.Position.AtEpochEnd);
        Assert.Equal("Adam", checkpoint.OptimizerType);
        Assert.Equal("CosineAnnealingLr", checkpoint.SchedulerType);
        Assert.Equal(2, checkpoint.SchedulerState["last_epoch"]);
        Assert.Equal(new Dictionary<string, string> { ["arch"] = "mlp" }, checkpoint.Metadata);
        Assert.Equal(run.Generator.GetState(), checkpoint.GeneratorState);
        // The file stores tensors by dtype, then name (as the reference writer does), so compare the sets.
        Assert.Equal(run.Model.StateDict().Keys.Order(StringComparer.Ordinal), checkpoint.ModelState.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(run.Optimizer.StateDict().Keys.Order(StringComparer.Ordinal), checkpoint.OptimizerState.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void File_KeepsModelKeysUnprefixed_SoModelLoadersIgnoreTheOptimizer()
    {
        var run = new Run(seed: 1);
        run.Train(0, 2);
        string path = PathOf("checkpoint.safetensors");
        run.Save(path, new TrainingPosition(0, 2, 2));

        var all = Checkpoint.Load(path, out var metadata);
        Assert.Contains("0.weight", all.Keys);
        Assert.Contains("optimizer.state.0.exp_avg", all.Keys);
        Assert.Contains("optimizer.param_groups.0.lr", all.Keys);
        Assert.Equal("nabla.training", metadata["format"]);
        Assert.Equal("1", metadata["format_version"]);
        Assert.Equal("2", metadata["step"]);
        Assert.Matches("^xxh64:[0-9a-f]{16}$", metadata["checksum"]);

        Assert.Equal(run.Model.StateDict().Keys.Order(StringComparer.Ordinal), Checkpoint.LoadModel(path, out _).Keys.Order(StringComparer.Ordinal));
        var other = new Run(seed: 5);
        Checkpoint.LoadInto(path, other.Model);
        Assert.True(other.Model.StateDict()["2.bias"].AllClose(run.Model.StateDict()["2.bias"], rtol: 0, atol: 0));
    }

    // ---- refusals ----

    /// <summary>Asserts that loading <paramref name="path"/> into a fresh run throws an InvalidDataException naming the
    /// file and containing <paramref name="message"/>, and that the run is untouched.</summary>
    private static void AssertRefused(string path, string message, Run? into = null)
    {
        var run = into ?? new Run(seed: 7);
        run.Train(0, 1);
        var before = run.Take();
        var e = Assert.Throws<InvalidDataException>(() => run.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        AssertSame(before, run.Take());
    }

    private string Saved(string name = "checkpoint.safetensors")
    {
        var run = new Run(seed: 1);
        run.Train(0, 3);
        string path = PathOf(name);
        run.Save(path, new TrainingPosition(1, 1, 3));
        return path;
    }

    [Fact]
    public void TruncatedFile_IsRefused()
    {
        string path = Saved();
        byte[] bytes = File.ReadAllBytes(path);
        foreach (int length in new[] { 0, 5, 8, 100, bytes.Length / 2, bytes.Length - 1 })
        {
            string cut = PathOf($"cut-{length}.safetensors");
            File.WriteAllBytes(cut, bytes[..length]);
            AssertRefused(cut, "safetensors: ");
        }
    }

    [Fact]
    public void FlippedByteAnywhereInTheHeader_IsRefused()
    {
        string path = Saved();
        byte[] bytes = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var accepted = new List<int>();
        for (int i = 0; i < headerEnd; i++)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[i] ^= 0x01;
            File.WriteAllBytes(path, copy);
            try
            {
                TrainingCheckpoint.Read(path);
                accepted.Add(i);
            }
            catch (InvalidDataException e)
            {
                Assert.Contains(path, e.Message, StringComparison.Ordinal);
            }
        }
        Assert.Empty(accepted);
    }

    [Fact]
    public void FlippedBytesInTheDataOrAMetadataValue_AreCaughtByTheChecksum()
    {
        string path = Saved();
        byte[] bytes = File.ReadAllBytes(path);
        byte[] data = (byte[])bytes.Clone();
        data[^3] ^= 0x10;
        File.WriteAllBytes(path, data);
        AssertRefused(path, "do not match its checksum");

        // "step":"3" → "step":"2": still a valid file and a valid number, but not what was written.
        byte[] step = (byte[])bytes.Clone();
        int at = IndexOf(step, "\"step\":\"3\"") + "\"step\":\"".Length;
        step[at] = (byte)'2';
        File.WriteAllBytes(path, step);
        AssertRefused(path, "the file is corrupt");
    }

    private static int IndexOf(byte[] haystack, string needle)
    {
        int i = haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle));
        Assert.True(i >= 0, $"'{needle}' not in the file");
        return i;
    }

    [Fact]
    public void OtherFormatVersion_IsRefused()
    {
        string path = Saved();
        var tensors = Checkpoint.Load(path, out var metadata);
        Checkpoint.Save(path, tensors, new Dictionary<string, string>(metadata) { ["format_version"] = "2" });
        AssertRefused(path, "its format version is '2'; this Nabla reads version 1");
    }

    [Fact]
    public void ModelOnlyFile_IsRefusedAsNotATrainingCheckpoint()
    {
        string path = PathOf("model.safetensors");
        Checkpoint.Save(path, new Run(seed: 1).Model);
        AssertRefused(path, "it is not a training checkpoint");
    }

    [Fact]
    public void MissingFile_IsRefused()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TrainingCheckpoint.Read(PathOf("none.safetensors")));
        Assert.Contains("none.safetensors", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchedModel_IsRefusedAndNothingChanges()
    {
        string path = Saved();
        AssertRefused(path, "it does not fit the model: '0.weight' is float32 [8, 4] in the checkpoint but float32 [6, 4] in the model", new Run(seed: 7, hidden: 6));

        var bigger = new Run(seed: 7);
        bigger.Model.Append(new ReLU());
        bigger.Model.Append(new Linear(3, 2, generator: new Generator(3)));
        var fresh = new Adam(bigger.Model.Parameters(), lr: 0.05);
        var e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path, bigger.Model, fresh, new CosineAnnealingLr(fresh, 20)));
        Assert.Contains("missing keys [4.weight, 4.bias]; unexpected keys []", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchedOptimizerOrScheduler_IsRefusedAndNothingChanges()
    {
        string path = Saved();
        var run = new Run(seed: 7);
        run.Train(0, 1);
        var before = run.Take();

        var sgd = new Sgd(run.Model.Parameters(), lr: 0.1);
        var e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path, run.Model, sgd, run.Scheduler, run.Generator));
        Assert.Contains("it holds the state of optimizer Adam, but the run's optimizer is Sgd", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path, run.Model, run.Optimizer, null, run.Generator));
        Assert.Contains("it holds the state of scheduler CosineAnnealingLr, but the run has no scheduler", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path, run.Model, run.Optimizer, new StepLr(run.Optimizer, 5), run.Generator));
        Assert.Contains("it holds the state of scheduler CosineAnnealingLr, but the run's scheduler is StepLr", e.Message, StringComparison.Ordinal);

        // Another parameter grouping: the optimizer's own check, reported against the file.
        var grouped = new Adam([new ParamGroup<AdamOptions>([.. run.Model.Parameters().Take(2)], new()), new([.. run.Model.Parameters().Skip(2)], new())]);
        e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path, run.Model, grouped, run.Scheduler, run.Generator));
        Assert.Contains("Adam.LoadStateDict: the state dict has 1 parameter groups but the optimizer has 2", e.Message, StringComparison.Ordinal);

        run.Optimizer.LearningRate = before.Lr;   // StepLr's constructor set the rate; nothing else may have moved
        AssertSame(before, run.Take());
    }

    [Fact]
    public void Save_RefusesReservedMetadataKeys()
    {
        var run = new Run(seed: 1);
        var e = Assert.Throws<ArgumentException>(() => run.Save(PathOf("x.safetensors"), new TrainingPosition(0, 0, 0), new Dictionary<string, string> { ["generator.s0"] = "1" }));
        Assert.Contains("metadata key 'generator.s0' is reserved", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("x.safetensors")));
    }

    [Fact]
    public void Save_ReplacesTheFileAtomically_LeavingNoTemporaryFiles()
    {
        var run = new Run(seed: 1);
        string path = PathOf("checkpoint.safetensors");
        run.Save(path, new TrainingPosition(0, 1, 1));
        run.Train(0, 1);
        run.Save(path, new TrainingPosition(0, 2, 2));
        Assert.Equal(2, TrainingCheckpoint.Read(path).Position.Step);
        Assert.Equal(["checkpoint.safetensors"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    [InlineData("Nobody inspects the spammish repetition", 0xFBCEA83C8A378BF1UL)]
    public void XxHash64_MatchesTheReferenceValues(string text, ulong expected) =>
        Assert.Equal(expected, XxHash64.Hash(Encoding.UTF8.GetBytes(text)));
}
