using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Attention;

/// <summary>A short sentence with tiny word embeddings and the three projections of one attention head, all drawn at
/// random from multiples of ¼ in [−1, 1]: such numbers and their products are exact in float32 and float64, so the hand
/// computation and the library start from identical inputs.</summary>
/// <param name="Words">The sentence, one word per row of <paramref name="Embeddings"/>.</param>
/// <param name="Embeddings">X [L, d]: a word's row is the same wherever it occurs (no position code).</param>
/// <param name="Query">W_Q [d, d]: Q = X·W_Q.</param>
/// <param name="Key">W_K [d, d]: K = X·W_K.</param>
/// <param name="Value">W_V [d, d]: V = X·W_V.</param>
internal sealed record ToySentence(string[] Words, double[,] Embeddings, double[,] Query, double[,] Key, double[,] Value)
{
    /// <summary>"the cat sat on the mat": six words, "the" twice.</summary>
    public static readonly string[] DefaultWords = ["the", "cat", "sat", "on", "the", "mat"];

    /// <summary>Draws embeddings of width <paramref name="width"/> for the distinct words of <paramref name="words"/> and
    /// the three d × d projections.</summary>
    public static ToySentence Draw(string[] words, int width, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(generator);
        var vectors = new Dictionary<string, double[]>();
        foreach (var word in words.Distinct())
            vectors[word] = [.. Enumerable.Range(0, width).Select(_ => Quarter(generator))];
        var x = new double[words.Length, width];
        for (int i = 0; i < words.Length; i++)
            for (int c = 0; c < width; c++) x[i, c] = vectors[words[i]][c];
        return new ToySentence(words, x, Matrix(width, generator), Matrix(width, generator), Matrix(width, generator));
    }

    private static double[,] Matrix(int width, Generator generator)
    {
        var m = new double[width, width];
        for (int i = 0; i < width; i++)
            for (int j = 0; j < width; j++) m[i, j] = Quarter(generator);
        return m;
    }

    // One of −1, −¾, …, ¾, 1.
    private static double Quarter(Generator generator) => (generator.NextInt64(9) - 4) / 4.0;
}
