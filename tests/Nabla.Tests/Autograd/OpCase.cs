using Nabla.Tensors;
using Nabla.Tests.TestSupport;
using Xunit.Abstractions;

namespace Nabla.Tests.Autograd;

/// <summary>One row of the op table: a differentiable function of tensors with its input shapes, the domain
/// its inputs are drawn from, and an independent double-precision reference of its forward value.</summary>
/// <remarks>Serialized to xunit by name only, so each case is its own test in the runner.</remarks>
public sealed class OpCase : IXunitSerializable
{
    /// <summary>Creates a case.</summary>
    /// <param name="name">Unique, starts with the Tensor method it tests ("MatMul 1-D·2-D").</param>
    /// <param name="shapes">One shape per input.</param>
    /// <param name="function">The op under test.</param>
    /// <param name="reference">The forward value computed element by element in double.</param>
    public OpCase(string name, int[][] shapes, Func<Tensor[], Tensor> function, Func<RefArray[], RefArray> reference)
    {
        Name = name;
        Shapes = shapes;
        Function = function;
        Reference = reference;
        Domains = [.. shapes.Select(_ => InputDomain.Any)];
    }

    /// <summary>For xunit's deserializer only.</summary>
    [Obsolete("Used by xunit to deserialize; build cases with the other constructor.")]
    public OpCase() : this("", [], _ => throw new InvalidOperationException("empty OpCase"), _ => RefArray.Scalar(0)) { }

    /// <summary>The case's unique name.</summary>
    public string Name { get; private set; }

    /// <summary>The Tensor (or Functional) method this case exercises, for the coverage check.</summary>
    public string Op => Name.Split(' ', 2)[0];

    /// <summary>Input shapes.</summary>
    public int[][] Shapes { get; private set; }

    /// <summary>The op under test.</summary>
    public Func<Tensor[], Tensor> Function { get; private set; }

    /// <summary>Forward reference in double.</summary>
    public Func<RefArray[], RefArray> Reference { get; private set; }

    /// <summary>One input domain per input (default U(−2, 2)).</summary>
    public InputDomain[] Domains { get; set; }

    /// <summary>True when the op runs a kernel with a SIMD path that <c>KernelOptions</c> can force to scalar.</summary>
    public bool HasSimdPath { get; set; }

    /// <summary>False for ops whose finite differences are meaningless in float64 (a float32 round trip).</summary>
    public bool GradCheckable { get; set; } = true;

    /// <summary>Bad shapes and the message they must raise, where the op checks shapes.</summary>
    public ShapeErrorCase? ShapeError { get; set; }

    /// <summary>Allowed |float32 − float64| relative to max(1, |value|).</summary>
    public double Float32Tolerance { get; set; } = 1e-5;

    /// <summary>Fresh leaf inputs that require grad, drawn from <see cref="Domains"/> with a fixed seed.</summary>
    public Tensor[] MakeInputs(int seed, DType dtype)
    {
        var inputs = new Tensor[Shapes.Length];
        for (int i = 0; i < Shapes.Length; i++)
        {
            var values = Domains[i].Sample(new Random(seed * 1009 + i), RefArray.Count(Shapes[i]));
            inputs[i] = MakeTensor(values, Shapes[i], dtype).RequiresGrad_();
        }
        return inputs;
    }

    /// <summary>A leaf tensor (0-d when the shape is empty) holding <paramref name="values"/> converted to <paramref name="dtype"/>.</summary>
    public static Tensor MakeTensor(double[] values, int[] shape, DType dtype)
    {
        if (shape.Length == 0) return Tensor.Scalar(values[0], dtype);
        return dtype == DType.Float64
            ? Tensor.FromArray<double>(values, shape)
            : Tensor.FromArray<float>(Array.ConvertAll(values, v => (float)v), shape);
    }

    /// <summary>The values of a tensor as a reference array (read out, not computed, by Nabla).</summary>
    public static RefArray ToRef(Tensor t)
    {
        var c = t.Contiguous();
        double[] data = c.DType switch
        {
            DType.Float64 => c.ToArray<double>(),
            DType.Float32 => Array.ConvertAll(c.ToArray<float>(), v => (double)v),
            _ => throw new ArgumentException($"ToRef: unexpected dtype {c.DType}."),
        };
        return new RefArray(data, [.. t.Shape]);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    void IXunitSerializable.Serialize(IXunitSerializationInfo info) => info.AddValue(nameof(Name), Name);

    void IXunitSerializable.Deserialize(IXunitSerializationInfo info)
    {
        var source = OpCases.ByName(info.GetValue<string>(nameof(Name)));
        (Name, Shapes, Function, Reference) = (source.Name, source.Shapes, source.Function, source.Reference);
        (Domains, HasSimdPath, GradCheckable, ShapeError, Float32Tolerance) =
            (source.Domains, source.HasSimdPath, source.GradCheckable, source.ShapeError, source.Float32Tolerance);
    }
}
