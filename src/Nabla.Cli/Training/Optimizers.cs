using System.Globalization;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Cli.Training;

/// <summary>The library's optimizer for an <see cref="OptimizerKind"/> and its option values, their names on the command
/// line and the defaults that depend on the kind.</summary>
internal static class Optimizers
{
    /// <summary>The option values, in the order help lists them.</summary>
    public static readonly string[] Names = ["adam", "adamw", "sgd", "rmsprop"];

    /// <summary>The optimizer over <paramref name="parameters"/> with base rate η = <paramref name="lr"/>.</summary>
    public static Optimizer Create(OptimizerKind kind, IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay) => kind switch
    {
        OptimizerKind.Adam => new Adam(parameters, lr: lr, weightDecay: weightDecay),
        OptimizerKind.AdamW => AdamW.Create(parameters, lr: lr, weightDecay: weightDecay),
        OptimizerKind.Sgd => new Sgd(parameters, lr: lr, momentum: momentum, weightDecay: weightDecay),
        OptimizerKind.RmsProp => new RmsProp(parameters, lr: lr, weightDecay: weightDecay, momentum: momentum),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown optimizer"),
    };

    /// <summary>Whether the kind takes <c>--momentum</c>.</summary>
    public static bool HasMomentum(OptimizerKind kind) => kind is OptimizerKind.Sgd or OptimizerKind.RmsProp;

    /// <summary>The momentum when <c>--momentum</c> is absent: 0.9 for SGD (plain SGD is rarely what one wants), PyTorch's 0
    /// for RMSprop, and 0 (unused) for the Adams.</summary>
    public static double DefaultMomentum(OptimizerKind kind) => kind == OptimizerKind.Sgd ? 0.9 : 0;

    /// <summary>The weight decay when <c>--weight-decay</c> is absent: PyTorch's, 0.01 for AdamW and 0 otherwise.</summary>
    public static double DefaultWeightDecay(OptimizerKind kind) => kind == OptimizerKind.AdamW ? 0.01 : 0;

    /// <summary>The option value: "adam", "adamw", "sgd" or "rmsprop".</summary>
    public static string Name(OptimizerKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Parses a value of <see cref="Names"/>.</summary>
    /// <exception cref="ArgumentException">Another value.</exception>
    public static OptimizerKind Parse(string name) =>
        Enum.GetValues<OptimizerKind>().Where(k => Name(k) == name).Cast<OptimizerKind?>().FirstOrDefault()
            ?? throw new ArgumentException($"unknown optimizer '{name}'; expected one of {string.Join(", ", Names)}", nameof(name));

    /// <summary>"Adam lr 0.001", "SGD lr 0.05 momentum 0.9 weight decay 0.0005": for the run's header line.</summary>
    public static string Describe(OptimizerKind kind, double lr, double momentum, double weightDecay)
    {
        string name = kind switch { OptimizerKind.Sgd => "SGD", OptimizerKind.RmsProp => "RMSprop", _ => kind.ToString() };
        string text = string.Create(CultureInfo.InvariantCulture, $"{name} lr {lr:G4}");
        if (HasMomentum(kind)) text += string.Create(CultureInfo.InvariantCulture, $" momentum {momentum:G4}");
        if (weightDecay != 0) text += string.Create(CultureInfo.InvariantCulture, $" weight decay {weightDecay:G4}");
        return text;
    }
}
