using System.Globalization;
using Nabla.Cli.Arguments;
using Nabla.Cli.Models;
using Nabla.Data.Transforms;
using Nabla.IO;
using Nabla.Tensors;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla predict --checkpoint FILE IMAGE.png …</c>: classifies images with a trained classifier.</summary>
/// <remarks>Each image is prepared as the training data was: converted to the model's channels (RGB to gray by ITU-R
/// 601-2 luma, alpha dropped), checked against (or, with <c>--resize bilinear</c>, resampled to) the model's input
/// size, scaled to [0, 1] and normalized by the checkpoint's mean and std. All images go through the network as one
/// batch. One line per image: "FILE: LABEL (P%)  top K: LABEL P%, …", probabilities from the softmax of the logits.</remarks>
internal static class PredictCommand
{
    /// <summary>Parses, loads the model and the images, and prints one line per image.</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(CommandCatalog.Predict, args);
        if (options.HelpRequested) { console.Out.Write(CommandCatalog.Predict.Usage()); return ExitCodes.Ok; }
        string checkpoint = options.RequiredString("--checkpoint");
        if (!File.Exists(checkpoint)) throw options.Bad("--checkpoint", checkpoint, "an existing .safetensors file");
        bool resize = options.Choice("--resize", "none", "none", "bilinear") == "bilinear";
        int top = options.Int("--top", 3);
        var images = options.Operands;
        if (images.Count == 0)
            throw new UsageException(CommandCatalog.Predict, "missing IMAGE.png; expected one or more PNG files to classify");
        foreach (string image in images)
            if (!File.Exists(image))
                throw new UsageException(CommandCatalog.Predict, $"image '{image}' does not exist; expected a PNG file");

        var classifier = ModelLoader.Load(checkpoint, "predict");
        var shape = classifier.Image
            ?? throw new InvalidDataException($"checkpoint {checkpoint} does not record its input image shape, and its {classifier.Title} takes {classifier.InputFeatures} inputs, not a square gray image");
        if (shape.Channels is not (1 or 3))
            throw new InvalidDataException($"checkpoint {checkpoint} takes {shape.Channels}-channel images; nabla predict prepares 1 (gray) or 3 (RGB)");
        top = Math.Min(top, classifier.Classes);

        var batch = Tensor.Empty([images.Count, shape.Channels, shape.Height, shape.Width]);
        var normalize = new Normalize([classifier.Mean], [classifier.Std]);
        for (int i = 0; i < images.Count; i++)
            batch.Select(0, i).Copy_(normalize.Apply(Prepare(images[i], shape, resize)));

        var model = classifier.Model;
        model.Eval();
        float[] probabilities;
        using (Tensor.NoGrad()) probabilities = model.Call(batch).Softmax(-1).ToArray<float>();   // [N, classes]

        console.Out.WriteLine($"nabla predict: {classifier.Title} from {checkpoint}");
        for (int i = 0; i < images.Count; i++)
        {
            float[] p = probabilities[(i * classifier.Classes)..((i + 1) * classifier.Classes)];
            int[] ranked = [.. Enumerable.Range(0, p.Length).OrderByDescending(k => p[k]).ThenBy(k => k)];
            string best = string.Join(", ", ranked.Take(top).Select(k => $"{k} {Percent(p[k])}"));
            console.Out.WriteLine($"{images[i]}: {ranked[0]} ({Percent(p[ranked[0]])})  top {top}: {best}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>The image as the model's input [C, H, W] in [0, 1].</summary>
    private static Tensor Prepare(string path, ImageShape shape, bool resize)
    {
        var image = Png.Read(path);
        var pixels = image.ToTensor(grayscale: shape.Channels == 1);
        if (image.Height == shape.Height && image.Width == shape.Width) return pixels;
        if (!resize)
            throw new InvalidDataException($"{path} is {image.Width}×{image.Height} pixels but the model takes {shape.Width}×{shape.Height} images; pass --resize bilinear to resample it");
        return new Resize(shape.Height, shape.Width).Apply(pixels);
    }

    private static string Percent(float p) => (100 * p).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
