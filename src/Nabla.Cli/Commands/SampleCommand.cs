using System.Globalization;
using Nabla.Cli.Arguments;
using Nabla.Cli.Data;
using Nabla.Cli.Generative;
using Nabla.Data;
using Nabla.Tensors;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla sample vae|gan --checkpoint FILE</c>: writes PNGs of a trained generative model (<see cref="GeneratorSamples"/>).</summary>
internal static class SampleCommand
{
    /// <summary>Runs with <paramref name="args"/> after "sample".</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        if (args.Length == 0)
            throw new UsageException(GenerativeCatalog.Sample, $"missing the model kind; expected one of {string.Join(", ", GenerativeCatalog.SampleKinds)}");
        if (args[0] is "--help" or "-h") { console.Out.Write(GenerativeCatalog.Sample.Usage()); return ExitCodes.Ok; }
        // A text model is sampled by its checkpoint alone: nabla sample --checkpoint FILE (or nabla sample charlm …).
        if (args[0].StartsWith("--", StringComparison.Ordinal) || args[0] == "charlm") return SampleTextCommand.Run(console, args[0] == "charlm" ? args[1..] : args);
        var spec = args[0] switch
        {
            "vae" => GenerativeCatalog.SampleVae,
            "gan" => GenerativeCatalog.SampleGan,
            _ => throw new UsageException(GenerativeCatalog.Sample, $"unknown model kind '{args[0]}'; expected one of {string.Join(", ", GenerativeCatalog.SampleKinds)}"),
        };
        var options = ArgumentParser.Parse(spec, args[1..]);
        if (options.HelpRequested) { console.Out.Write(spec.Usage()); return ExitCodes.Ok; }
        string checkpoint = options.RequiredString("--checkpoint");
        if (!File.Exists(checkpoint)) throw options.Bad("--checkpoint", checkpoint, "an existing .safetensors file");
        int count = options.Int("--count", 64, 1, 1024);
        int steps = options.Int("--steps", 10, 2, 64);
        long seed = options.Long("--seed", 0);
        int threads = TrainOptionReader.ReadThreads(options);
        string output = options.String("--out", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint)) ?? ".", "samples"));
        string data = args[0] == "vae" ? TrainOptionReader.ReadDataDirectory(options, out bool fetch) : "";
        fetch = args[0] == "vae" && Path.GetFullPath(data) == Path.GetFullPath(Mnist.DefaultDirectory);

        using var limit = new ThreadLimit(threads);
        var model = GenerativeLoader.Load(checkpoint, spec.Path);
        string expected = args[0] == "vae" ? VaeRecipe.ArchName : GanRecipe.ArchName;
        if (model.Arch != expected)
            throw new InvalidDataException($"checkpoint {checkpoint} holds a {model.Title}; nabla {spec.Path} takes a checkpoint of nabla train {args[0]} (try nabla sample {(args[0] == "vae" ? "gan" : "vae")})");
        Directory.CreateDirectory(output);
        var random = new Generator(seed);
        console.Out.WriteLine($"nabla {spec.Path}: {model.Title} from {checkpoint}");

        var written = new List<string> { "samples.png", "interpolation.png" };
        GeneratorSamples.Samples(Path.Combine(output, "samples.png"), model, count, random);
        if (model.Vae is null) GeneratorSamples.NoiseInterpolation(Path.Combine(output, "interpolation.png"), model, steps, random);
        else
        {
            MnistSource.Ensure(data, fetch, console.Out);
            var test = MnistDataset.Load(data, train: false, normalize: false);
            var sample = test.Inputs.Shape;
            if ((sample[1], sample[2], sample[3]) != (model.Image.Channels, model.Image.Height, model.Image.Width))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"checkpoint {checkpoint} holds a {model.Title} of {model.Image.Channels}×{model.Image.Height}×{model.Image.Width} images, but the images in {data} are {sample[1]}×{sample[2]}×{sample[3]}"));
            GeneratorSamples.LatentInterpolation(Path.Combine(output, "interpolation.png"), model, test, steps, random);
            if (model.Latent == 2)
            {
                GeneratorSamples.Manifold(Path.Combine(output, "manifold.png"), model);
                GeneratorSamples.LatentScatter(Path.Combine(output, "latent-scatter.png"), model, test);
                written.AddRange(["manifold.png", "latent-scatter.png"]);
            }
        }
        console.Out.WriteLine($"wrote {output}: {string.Join(", ", written)}");
        return ExitCodes.Ok;
    }
}
