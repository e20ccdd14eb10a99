namespace Nabla.Cli.Training;

/// <summary>The optimizer a run trains with (<c>--optimizer</c>).</summary>
internal enum OptimizerKind
{
    /// <summary>Adam (Kingma and Ba, 2015); <c>--weight-decay</c> adds λθ to the gradient.</summary>
    Adam,

    /// <summary>AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay θ ← θ(1 − ηλ), λ = 0.01 unless given.</summary>
    AdamW,

    /// <summary>Stochastic gradient descent with momentum μ (<c>--momentum</c>, 0.9 unless given).</summary>
    Sgd,

    /// <summary>RMSprop (Hinton, 2012), with optional momentum.</summary>
    RmsProp,
}
