using System.Runtime.InteropServices;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.IO;

/// <summary>Saves and loads tensors and module state dicts as safetensors files, under PyTorch's names,
/// so weights move between Nabla and PyTorch (<c>safetensors.torch.save_file</c> / <c>load_file</c>).</summary>
public static class Checkpoint
{
    /// <summary>Writes named tensors atomically (temporary file, flush, rename).</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = new List<SafeTensorEntry>(tensors.Count);
        foreach (var (name, t) in tensors) entries.Add(ToEntry(name, t));
        SafeTensors.Write(path, entries, metadata);
    }

    /// <summary>Writes a module's state dict.</summary>
    public static void Save(string path, Module module, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, module.StateDict(), metadata);

    /// <summary>Reads every tensor of a safetensors file, validated before use.</summary>
    public static IReadOnlyDictionary<string, Tensor> Load(string path) => Load(path, out _);

    /// <summary>Reads every tensor and the metadata of a safetensors file.</summary>
    public static IReadOnlyDictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        var file = SafeTensors.Read(path);
        metadata = file.Metadata;
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var e in file.Entries) result.Add(e.Name, FromEntry(e, file.SourceName));
        return result;
    }

    /// <summary>Reads the model's tensors of a model file or of a <see cref="TrainingCheckpoint"/>, leaving out a training
    /// checkpoint's optimizer state ("optimizer.*"), so either loads into the model.</summary>
    public static IReadOnlyDictionary<string, Tensor> LoadModel(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        var all = Load(path, out metadata);
        if (!TrainingCheckpoint.IsTrainingCheckpoint(metadata)) return all;
        var model = new OrderedDictionary<string, Tensor>();
        foreach (var (name, t) in all)
            if (!name.StartsWith(TrainingCheckpoint.OptimizerPrefix, StringComparison.Ordinal)) model.Add(name, t);
        return model;
    }

    /// <summary>Loads a model file or the model of a training checkpoint into a module (strict: every key must match).</summary>
    public static LoadResult LoadInto(string path, Module module, bool strict = true) => module.LoadStateDict(LoadModel(path, out _), strict);

    /// <summary>A tensor as a safetensors entry (little-endian bytes, row-major).</summary>
    public static SafeTensorEntry ToEntry(string name, Tensor t)
    {
        var c = t.Contiguous();
        (SafeTensorDType dtype, byte[] bytes) = c.DType switch
        {
            DType.Float32 => (SafeTensorDType.F32, MemoryMarshal.AsBytes(c.Span<float>()).ToArray()),
            DType.Float64 => (SafeTensorDType.F64, MemoryMarshal.AsBytes(c.Span<double>()).ToArray()),
            DType.Int64 => (SafeTensorDType.I64, MemoryMarshal.AsBytes(c.Span<long>()).ToArray()),
            DType.Int32 => (SafeTensorDType.I32, MemoryMarshal.AsBytes(c.Span<int>()).ToArray()),
            DType.Bool => (SafeTensorDType.BOOL, MemoryMarshal.AsBytes(c.Span<bool>()).ToArray()),
            _ => throw new ArgumentException($"safetensors: tensor '{name}' has dtype {c.DType.TorchName()}, which safetensors files cannot hold; save its ViewAsReal() pairs instead."),
        };
        return new SafeTensorEntry(name, dtype, c.Shape.ToArray(), bytes);
    }

    /// <summary>A safetensors entry as a tensor; dtypes Nabla cannot hold (F16, BF16, U8, …) are converted where exact or refused.</summary>
    public static Tensor FromEntry(SafeTensorEntry e, string source = "")
    {
        var shape = e.Shape;
        var t = e.DType switch
        {
            SafeTensorDType.F32 => Tensor.FromArray<float>(MemoryMarshal.Cast<byte, float>(e.Data), shape),
            SafeTensorDType.F64 => Tensor.FromArray<double>(MemoryMarshal.Cast<byte, double>(e.Data), shape),
            SafeTensorDType.I64 => Tensor.FromArray<long>(MemoryMarshal.Cast<byte, long>(e.Data), shape),
            SafeTensorDType.I32 => Tensor.FromArray<int>(MemoryMarshal.Cast<byte, int>(e.Data), shape),
            SafeTensorDType.BOOL => Tensor.FromArray<bool>(MemoryMarshal.Cast<byte, bool>(e.Data), shape),
            SafeTensorDType.F16 => Tensor.FromArray<float>(Array.ConvertAll(MemoryMarshal.Cast<byte, Half>(e.Data).ToArray(), h => (float)h), shape),
            SafeTensorDType.BF16 => Tensor.FromArray<float>(Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(e.Data).ToArray(), b => BitConverter.Int32BitsToSingle(b << 16)), shape),
            SafeTensorDType.U8 => Tensor.FromArray<long>(Array.ConvertAll(e.Data, b => (long)b), shape),
            _ => throw new InvalidDataException($"safetensors: entry '{e.Name}' has dtype {e.DType}, which Nabla cannot load ({source})."),
        };
        // FromArray reads an empty shape as "one value, shape [1]"; in a file, shape [] is a 0-d tensor (BatchNorm's
        // num_batches_tracked, a scheduler's step), and a model's state dict must get it back as one.
        return shape.Length == 0 ? t.Reshape([]) : t;
    }
}
