using System.Globalization;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Backprop;

/// <summary>A 2-3-1 network and one training example: ŷ = σ(W₂·tanh(W₁·x + b₁) + b₂), L = (ŷ − y)².</summary>
/// <remarks>The 13 parameters live in one vector θ = [W₁ (3×2, row-major), b₁ (3), W₂ (1×3), b₂ (1)], so finite
/// differences can perturb them one index at a time and every gradient lines up with <see cref="Name"/>.</remarks>
internal sealed class TinyMlp
{
    /// <summary>Input features.</summary>
    public const int Inputs = 2;

    /// <summary>Hidden tanh units.</summary>
    public const int Hidden = 3;

    /// <summary>|θ| = 3·2 + 3 + 3 + 1.</summary>
    public const int ParameterCount = Hidden * Inputs + Hidden + Hidden + 1;

    private const int B1At = Hidden * Inputs, W2At = B1At + Hidden, B2At = W2At + Hidden;

    /// <summary>The network with parameters <paramref name="theta"/> and the example (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public TinyMlp(double[] theta, double[] x, double y)
    {
        if (theta.Length != ParameterCount) throw new ArgumentException($"TinyMlp: {theta.Length} parameters given; expected {ParameterCount}", nameof(theta));
        if (x.Length != Inputs) throw new ArgumentException($"TinyMlp: input of {x.Length} features given; expected {Inputs}", nameof(x));
        (Theta, X, Y) = (theta, x, y);
    }

    /// <summary>All parameters, in the order of <see cref="Name"/>.</summary>
    public double[] Theta { get; }

    /// <summary>The input x [2].</summary>
    public double[] X { get; }

    /// <summary>The target y.</summary>
    public double Y { get; }

    /// <summary>W₁[j, k]: input k to hidden unit j.</summary>
    public double W1(int j, int k) => Theta[j * Inputs + k];

    /// <summary>b₁[j].</summary>
    public double B1(int j) => Theta[B1At + j];

    /// <summary>W₂[0, j]: hidden unit j to the output.</summary>
    public double W2(int j) => Theta[W2At + j];

    /// <summary>b₂.</summary>
    public double B2 => Theta[B2At];

    /// <summary>Index of W₁[j, k] in θ.</summary>
    public static int W1Index(int j, int k) => j * Inputs + k;

    /// <summary>Index of b₁[j] in θ.</summary>
    public static int B1Index(int j) => B1At + j;

    /// <summary>Index of W₂[0, j] in θ.</summary>
    public static int W2Index(int j) => W2At + j;

    /// <summary>Index of b₂ in θ.</summary>
    public static int B2Index => B2At;

    /// <summary>The parameter's name as the report prints it, e.g. "W1[2,0]".</summary>
    public static string Name(int index) => index switch
    {
        < B1At => string.Create(CultureInfo.InvariantCulture, $"W1[{index / Inputs},{index % Inputs}]"),
        < W2At => string.Create(CultureInfo.InvariantCulture, $"b1[{index - B1At}]"),
        < B2At => string.Create(CultureInfo.InvariantCulture, $"W2[0,{index - W2At}]"),
        B2At => "b2",
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"TinyMlp: parameter index must be below {ParameterCount}"),
    };

    /// <summary>A copy with θ[<paramref name="index"/>] replaced by <paramref name="value"/>.</summary>
    public TinyMlp With(int index, double value)
    {
        var theta = (double[])Theta.Clone();
        theta[index] = value;
        return new TinyMlp(theta, X, Y);
    }

    /// <summary>A random network and example: θ and x ~ N(0, 1), y ~ U(0, 1) (a target the sigmoid can reach).</summary>
    public static TinyMlp Draw(Generator generator)
    {
        var theta = new double[ParameterCount];
        for (int i = 0; i < theta.Length; i++) theta[i] = generator.NextNormal();
        double[] x = [generator.NextNormal(), generator.NextNormal()];
        return new TinyMlp(theta, x, generator.NextDouble());
    }
}
