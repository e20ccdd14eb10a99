using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Optimizers;

/// <summary>Runs an optimizer of <see cref="Nabla.Optim"/> on a function of a point (x, y): the point is a float64
/// <see cref="Parameter"/> [2], f is computed with tensor ops and its gradient by autograd, exactly as for a network.</summary>
internal static class SurfaceDescent
{
    /// <summary>A walk stops as diverged when f exceeds this.</summary>
    public const double Ceiling = 1e8;

    /// <summary>Takes <paramref name="steps"/> steps from <paramref name="start"/>, stopping early once f ≤
    /// <paramref name="stopAt"/> (when given) or on divergence.</summary>
    public static SurfacePath Run(Func<Tensor, Tensor> function, (double X, double Y) start, Func<IEnumerable<Parameter>, Optimizer> create, int steps,
        double? stopAt = null)
    {
        var point = new Parameter(Tensor.FromArray<double>([start.X, start.Y]));
        var optimizer = create([point]);
        List<double> xs = [], ys = [], fs = [];
        for (int t = 0; ; t++)
        {
            var f = function(point);
            double value = f.Item<double>();
            double[] p = point.ToArray<double>();
            xs.Add(p[0]);
            ys.Add(p[1]);
            fs.Add(value);
            if (!double.IsFinite(value) || value > Ceiling) return new SurfacePath([.. xs], [.. ys], [.. fs], Diverged: true);
            if (t == steps || (stopAt is { } target && value <= target)) break;
            optimizer.ZeroGrad();
            f.Backward();
            optimizer.Step();
        }
        return new SurfacePath([.. xs], [.. ys], [.. fs], Diverged: false);
    }
}
