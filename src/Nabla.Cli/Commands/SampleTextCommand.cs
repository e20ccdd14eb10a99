using Nabla.Cli.Arguments;
using Nabla.Cli.Sequence.CharLm;
using Nabla.IO;
using Nabla.Tensors;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla sample --checkpoint FILE</c>: continues a prompt with a character language model, drawing each
/// character from the softmax at the given temperature, optionally among the top k.</summary>
internal static class SampleTextCommand
{
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(SequenceCatalog.SampleText, args);
        if (options.HelpRequested) { console.Out.Write(SequenceCatalog.SampleText.Usage()); return ExitCodes.Ok; }
        string path = options.RequiredString("--checkpoint");
        if (!File.Exists(path)) throw options.Bad("--checkpoint", path, "an existing .safetensors file");
        string prompt = options.String("--prompt", "And ");
        int length = options.Int("--length", 500, min: 0);
        double temperature = options.NonNegativeDouble("--temperature", 0.8);
        int topK = options.Int("--top-k", 0, min: 0);
        long seed = options.Long("--seed", 0);
        if (options.Has("--threads")) Threads.Count = options.Int("--threads", Threads.Count);

        var state = Checkpoint.LoadModel(path, out var metadata);
        var (spec, vocabulary) = CharLmFactory.Read(metadata, path);
        var model = CharLmFactory.Build(spec, vocabulary.Count);
        model.LoadStateDict(state);
        var ids = vocabulary.Encode(prompt);
        if (ids.Length == 0) throw options.Bad("--prompt", prompt, "at least one character");
        var generated = model.Generate(ids, length, temperature, topK, new Generator(seed));
        console.Out.WriteLine(prompt + vocabulary.Decode(generated));
        return ExitCodes.Ok;
    }
}
