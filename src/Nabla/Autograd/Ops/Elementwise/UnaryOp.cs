using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Base of element-wise functions y = f(x): the subclass gives the forward kernel and the fused
/// backward kernel dx = dy·f′(x), computed from whichever of x and y it needs.</summary>
internal abstract class UnaryOp : Node
{
    private SavedTensor saved;

    protected UnaryOp(Tensor x, Tensor y) : base(x) => saved = Save(SavesOutput ? y : x);

    /// <summary>True when f′ is cheapest from the output (exp, sigmoid, tanh, relu); false when from the input.</summary>
    protected abstract bool SavesOutput { get; }

    /// <summary>dx = dy · f′, with <paramref name="s"/> the saved x or y.</summary>
    protected abstract void Backward(ReadOnlySpan<float> s, ReadOnlySpan<float> dy, Span<float> dx);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    protected abstract void Backward(ReadOnlySpan<double> s, ReadOnlySpan<double> dy, Span<double> dx);

    protected internal sealed override void Backward(Tensor dy) =>
        AddGrad(0, MapDriver.Zip(Name, saved.Value, dy, Backward, Backward));

    protected internal override void ReleaseSaved() => saved = default;

    /// <summary>Runs the forward kernel and records <paramref name="makeNode"/> when x requires grad.</summary>
    protected static Tensor Run(string name, Tensor x, SpanMap<float> f32, SpanMap<double> f64, Func<Tensor, Tensor, Node> makeNode)
    {
        var y = MapDriver.Map(name, x, f32, f64);
        return Graph.ShouldRecord(x) ? Graph.Record(y, makeNode(x, y)) : y;
    }
}
