using Nabla.IO;
using Nabla.Tensors;

namespace Nabla.Cli.Tests;

public sealed class EvalErrorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nabla-cli-eval-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void MissingCheckpointOption_Exits2()
    {
        var r = CliRunner.Run("eval");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(["nabla eval: option --checkpoint is required (model.safetensors or checkpoint.safetensors written by nabla train or demo). Run 'nabla help eval' for usage."], r.ErrorLines);
    }

    [Fact]
    public void MissingCheckpointFile_Exits2NamingThePath()
    {
        string path = Path.Combine(folder, "nope.safetensors");
        var r = CliRunner.Run("eval", "--checkpoint", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal([$"nabla eval: --checkpoint got '{path}'; expected an existing .safetensors file. Run 'nabla help eval' for usage."], r.ErrorLines);
    }

    [Fact]
    public void CorruptCheckpoint_Exits1WithOneLineAndNoStackTrace()
    {
        string path = Path.Combine(folder, "corrupt.safetensors");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, (byte)'{', (byte)'}']);
        var r = CliRunner.Run("eval", "--checkpoint", path, "--data", folder);
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.StartsWith("nabla eval: error: safetensors", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Nabla.", r.Error);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void TruncatedCheckpoint_Exits1()
    {
        string path = Path.Combine(folder, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var r = CliRunner.Run("eval", "--checkpoint", path, "--data", folder);
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.StartsWith("nabla eval: error: ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownArchitecture_Exits1NamingIt()
    {
        string path = Path.Combine(folder, "resnet.safetensors");
        Checkpoint.Save(path, new Dictionary<string, Tensor> { ["conv.weight"] = Tensor.Zeros([4, 1, 3, 3]) }, new Dictionary<string, string> { ["arch"] = "resnet" });
        var r = CliRunner.Run("eval", "--checkpoint", path, "--data", folder);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal([$"nabla eval: error: checkpoint {path} holds a 'resnet' model; nabla eval can rebuild: mlp, cnn"], r.ErrorLines);
    }

    [Fact]
    public void WeightsThatAreNotAnMlp_Exits1()
    {
        string path = Path.Combine(folder, "odd.safetensors");
        Checkpoint.Save(path, new Dictionary<string, Tensor> { ["0.weight"] = Tensor.Zeros([8, 784]), ["2.weight"] = Tensor.Zeros([10, 9]) });
        var r = CliRunner.Run("eval", "--checkpoint", path, "--data", folder);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"nabla eval: error: checkpoint {path} has no 'arch' metadata", r.Error, StringComparison.Ordinal);
    }
}
