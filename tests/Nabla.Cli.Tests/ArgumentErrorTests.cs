namespace Nabla.Cli.Tests;

public class ArgumentErrorTests
{
    [Fact]
    public void NoArguments_PrintsOverviewAndExits2()
    {
        var r = CliRunner.Run();
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Usage: nabla COMMAND", r.Error);
        Assert.Contains("nabla: missing command; expected one of demo, train, eval, predict, sample, evaluate-generator, mel, mfcc, lab, help. Run 'nabla --help' for usage.", r.Error);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void UnknownCommand_Exits2AndNamesIt()
    {
        var r = CliRunner.Run("frobnicate", "--epochs", "3");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(["nabla: unknown command 'frobnicate'; expected one of demo, train, eval, predict, sample, evaluate-generator, mel, mfcc, lab, help. Run 'nabla --help' for usage."], r.ErrorLines);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void UnknownTopLevelOption_Exits2()
    {
        var r = CliRunner.Run("--verbose");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("nabla: unknown option '--verbose'; expected a command", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOption_Exits2NamesItAndListsTheValidOnes()
    {
        var r = CliRunner.Run("train", "mlp", "--epoch", "3");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.StartsWith("nabla train mlp: unknown option '--epoch'; expected one of --epochs, --batch-size, --lr,", r.Error, StringComparison.Ordinal);
        Assert.Contains("--hidden", r.Error);
        Assert.EndsWith("Run 'nabla help train mlp' for usage.", r.Error.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingValue_Exits2AndSaysWhatTheOptionNeeds()
    {
        var r = CliRunner.Run("train", "mlp", "--epochs");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(["nabla train mlp: option --epochs needs a value (N: passes over the training set). Run 'nabla help train mlp' for usage."], r.ErrorLines);
    }

    [Fact]
    public void MissingValue_IsDetectedWhenTheNextWordIsAnOption()
    {
        var r = CliRunner.Run("train", "mlp", "--lr", "--epochs", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("nabla train mlp: option --lr needs a value", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void NonNumericEpochs_Exits2WithGivenAndExpected()
    {
        var r = CliRunner.Run("train", "mlp", "--epochs", "abc");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(["nabla train mlp: --epochs got 'abc'; expected a whole number of at least 1. Run 'nabla help train mlp' for usage."], r.ErrorLines);
        Assert.Equal("", r.Out);
    }

    [Theory]
    [InlineData("--epochs", "0", "a whole number of at least 1")]
    [InlineData("--epochs", "2.5", "a whole number of at least 1")]
    [InlineData("--batch-size", "-4", "a whole number of at least 1")]
    [InlineData("--lr", "0", "a number greater than 0, such as 1e-3")]
    [InlineData("--lr", "fast", "a number greater than 0, such as 1e-3")]
    [InlineData("--lr", "NaN", "a number greater than 0, such as 1e-3")]
    [InlineData("--seed", "1.5", "a whole number")]
    [InlineData("--threads", "0", "a whole number from 1 to 1024")]
    [InlineData("--hidden", "512,x", "comma-separated whole numbers of at least 1, such as 512,256")]
    [InlineData("--hidden", "512,0", "comma-separated whole numbers of at least 1, such as 512,256")]
    [InlineData("--schedule", "cyclic", "one of cosine, constant, step, onecycle")]
    [InlineData("--optimizer", "nadam", "one of adam, adamw, sgd, rmsprop")]
    [InlineData("--weight-decay", "-1", "a number of at least 0, such as 0.9 or 5e-4")]
    public void BadValue_Exits2NamingOptionGivenAndExpected(string option, string value, string expected)
    {
        var r = CliRunner.Run("train", "mlp", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal([$"nabla train mlp: {option} got '{value}'; expected {expected}. Run 'nabla help train mlp' for usage."], r.ErrorLines);
    }

    [Fact]
    public void EqualsForm_IsParsedLikeTheSpacedForm()
    {
        var r = CliRunner.Run("train", "mlp", "--epochs=abc");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("nabla train mlp: --epochs got 'abc'", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedOption_Exits2()
    {
        var r = CliRunner.Run("train", "mlp", "--epochs", "1", "--epochs", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("nabla train mlp: option --epochs is given twice ('1' and '2'); expected it once", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void StrayWord_Exits2()
    {
        var r = CliRunner.Run("train", "mlp", "fast");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("nabla train mlp: unexpected argument 'fast'; expected options of the form --name VALUE", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainWithoutKind_Exits2AndListsKinds()
    {
        var r = CliRunner.Run("train");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal([$"nabla train: missing the model kind; expected one of {string.Join(", ", Commands.CommandCatalog.TrainKinds)}. Run 'nabla help train' for usage."], r.ErrorLines);
    }

    [Fact]
    public void TrainUnknownKind_Exits2()
    {
        var r = CliRunner.Run("train", "transformer", "--epochs", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal([$"nabla train: unknown model kind 'transformer'; expected one of {string.Join(", ", Commands.CommandCatalog.TrainKinds)}. Run 'nabla help train' for usage."], r.ErrorLines);
    }

    [Fact]
    public void MissingDataFolder_Exits2BeforeTraining()
    {
        string missing = Path.Combine(Path.GetTempPath(), "nabla-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var r = CliRunner.Run("train", "mlp", "--data", missing, "--epochs", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal([$"nabla train mlp: --data got '{missing}'; expected an existing folder holding the four MNIST-format IDX files. Run 'nabla help train mlp' for usage."], r.ErrorLines);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void DemoRejectsTrainingOptions()
    {
        var r = CliRunner.Run("demo", "--epochs", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("nabla demo: unknown option '--epochs'; expected one of --threads, --out, --data.", r.Error, StringComparison.Ordinal);
    }
}
