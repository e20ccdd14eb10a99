namespace Nabla.Cli.Tests;

public class HelpAndVersionTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Help_ListsCommandsAndExits0(string flag)
    {
        var r = CliRunner.Run(flag);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Usage: nabla COMMAND [OPTIONS]", r.Out);
        Assert.Contains("demo", r.Out);
        Assert.Contains("train mlp", r.Out);
        Assert.Contains("eval", r.Out);
        Assert.Equal("", r.Error);
    }

    [Fact]
    public void HelpTrainMlp_ListsSharedAndOwnOptionsWithDefaults()
    {
        var r = CliRunner.Run("help", "train", "mlp");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Usage: nabla train mlp [--epochs N] [--batch-size N] [--lr X]", r.Out, StringComparison.Ordinal);
        foreach (var option in new[] { "--epochs", "--batch-size", "--lr", "--seed", "--threads", "--out", "--data", "--hidden" })
            Assert.Contains(option, r.Out);
        Assert.Contains("hidden layer sizes (default: 512,256)", r.Out);
    }

    [Fact]
    public void CommandHelpFlag_PrintsThatCommandsUsage()
    {
        var r = CliRunner.Run("train", "mlp", "--epochs", "3", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Usage: nabla train mlp", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpEval_ShowsTheRequiredCheckpoint()
    {
        var r = CliRunner.Run("help", "eval");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Usage: nabla eval --checkpoint FILE [--data DIR]", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpForUnknownTopic_Exits2()
    {
        var r = CliRunner.Run("help", "frobnicate");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("nabla: no help for 'frobnicate'", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsToolAndLibraryVersions()
    {
        var r = CliRunner.Run("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^nabla \d+\.\d+\.\d+ \(Nabla library \d+\.\d+\.\d+, \.NET \d+\.", r.Out);
    }
}
