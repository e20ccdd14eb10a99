using Nabla.Cli.Lab;

namespace Nabla.Cli.Tests.Lab;

/// <summary><c>nabla lab</c>'s command line: the list, and one-line errors with exit code 2 for bad arguments.</summary>
public sealed class LabCommandTests
{
    [Fact]
    public void List_names_every_experiment_of_the_course_with_its_claim()
    {
        var result = CliRunner.Run("lab", "list");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(LabRegistry.CourseOrder, lines.Select(l => l.Split(' ')[0]).ToArray());
        Assert.All(LabRegistry.All, e => Assert.Contains(e.Claim, result.Out));
    }

    [Theory]
    [InlineData(new[] { "lab" }, "missing subcommand; expected list, run or index")]
    [InlineData(new[] { "lab", "go" }, "unknown subcommand 'go'")]
    [InlineData(new[] { "lab", "run" }, "expected one experiment name or 'all', got none")]
    [InlineData(new[] { "lab", "run", "alchemy" }, "unknown experiment 'alchemy'; expected 'all' or one of backprop, cnn,")]
    [InlineData(new[] { "lab", "run", "backprop", "--quick", "--smoke" }, "--quick and --smoke both given")]
    [InlineData(new[] { "lab", "run", "backprop", "--seed", "x" }, "--seed")]
    [InlineData(new[] { "lab", "index", "--out", "/nonexistent/lab" }, "lab index: /nonexistent/lab does not exist")]
    public void Bad_arguments_get_one_line_naming_the_problem(string[] args, string expected)
    {
        var result = CliRunner.Run(args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Single(result.ErrorLines);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public void Help_shows_the_run_options()
    {
        var result = CliRunner.Run("help", "lab", "run");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage: nabla lab run [--quick] [--smoke] [--seed N] [--out DIR]", result.Out);
    }
}
