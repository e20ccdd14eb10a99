using Nabla.Autograd.Ops;

namespace Nabla.Tensors;

// Arithmetic and element-wise functions, differentiable. Each method fronts one op in Autograd/Ops.
public partial class Tensor
{
    /// <summary>this + other, broadcasting (<c>torch.add</c>); complex64 when either is.</summary>
    public Tensor Add(Tensor other) => IsComplexPair(other) ? ComplexBinaryOp.Apply(this, other, ComplexDriver.Operation.Add) : AddOp.Apply(this, other);

    /// <summary>this + alpha·other (<c>torch.add(x, y, alpha=…)</c>).</summary>
    public Tensor Add(Tensor other, double alpha) => alpha == 1 ? Add(other) : Add(other.Mul(alpha));

    /// <summary>this + scalar.</summary>
    public Tensor Add(double scalar) => Add(ScalarLike(scalar));

    /// <summary>this − other, broadcasting.</summary>
    public Tensor Sub(Tensor other) => IsComplexPair(other) ? ComplexBinaryOp.Apply(this, other, ComplexDriver.Operation.Sub) : SubOp.Apply(this, other);

    /// <summary>this − scalar.</summary>
    public Tensor Sub(double scalar) => Sub(ScalarLike(scalar));

    /// <summary>scalar − this (<c>torch.rsub</c>).</summary>
    public Tensor RSub(double scalar) => ScalarLike(scalar).Sub(this);

    /// <summary>this · other element-wise, broadcasting.</summary>
    public Tensor Mul(Tensor other) => IsComplexPair(other) ? ComplexBinaryOp.Apply(this, other, ComplexDriver.Operation.Mul) : MulOp.Apply(this, other);

    /// <summary>this · scalar.</summary>
    public Tensor Mul(double scalar) => Mul(ScalarLike(scalar));

    /// <summary>this / other element-wise, broadcasting.</summary>
    public Tensor Div(Tensor other) => IsComplexPair(other) ? ComplexBinaryOp.Apply(this, other, ComplexDriver.Operation.Div) : DivOp.Apply(this, other);

    /// <summary>this / scalar.</summary>
    public Tensor Div(double scalar) => Div(ScalarLike(scalar));

    /// <summary>this ^ exponent element-wise, broadcasting.</summary>
    public Tensor Pow(Tensor exponent) => PowOp.Apply(this, exponent);

    /// <summary>this ^ exponent.</summary>
    public Tensor Pow(double exponent) => Pow(ScalarLike(exponent));

    /// <summary>Element-wise maximum of two tensors (<c>torch.maximum</c>).</summary>
    public Tensor Maximum(Tensor other) => MaximumOp.Apply(this, other, isMax: true);

    /// <summary>Element-wise minimum of two tensors (<c>torch.minimum</c>).</summary>
    public Tensor Minimum(Tensor other) => MaximumOp.Apply(this, other, isMax: false);

    /// <summary>−this.</summary>
    public Tensor Neg() => NegOp.Apply(this);

    /// <summary>eˣ.</summary>
    public Tensor Exp() => ExpOp.Apply(this);

    /// <summary>ln x.</summary>
    public Tensor Log() => LogOp.Apply(this);

    /// <summary>√x.</summary>
    public Tensor Sqrt() => SqrtOp.Apply(this);

    /// <summary>|x|; for complex64, the magnitude √(re² + im²) as float32.</summary>
    public Tensor Abs() => DType == DType.Complex64 ? ComplexAbsOp.Apply(this) : AbsOp.Apply(this);

    /// <summary>sin x.</summary>
    public Tensor Sin() => SinOp.Apply(this);

    /// <summary>cos x.</summary>
    public Tensor Cos() => CosOp.Apply(this);

    /// <summary>x² (<c>torch.square</c>).</summary>
    public Tensor Square() => Mul(this);

    /// <summary>min(max(x, min), max) (<c>torch.clamp</c>); either bound may be omitted.</summary>
    public Tensor Clamp(double? min = null, double? max = null) => ClampOp.Apply(this, min, max);

    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => ReluOp.Apply(this);

    /// <summary>x for x &gt; 0, else slope·x (<c>F.leaky_relu</c>, default slope 0.01).</summary>
    public Tensor LeakyRelu(double negativeSlope = 0.01) => LeakyReluOp.Apply(this, negativeSlope);

    /// <summary>x for x &gt; 0, else α(eˣ − 1) (<c>F.elu</c>).</summary>
    public Tensor Elu(double alpha = 1.0) => EluOp.Apply(this, alpha);

    /// <summary>x·Φ(x) (<c>F.gelu</c>); <paramref name="approximate"/> "tanh" uses the tanh approximation.</summary>
    public Tensor Gelu(string approximate = "none") => approximate switch
    {
        "none" => GeluOp.Apply(this, false),
        "tanh" => GeluOp.Apply(this, true),
        _ => Throw.InvalidOperation<Tensor>($"Gelu: approximate must be \"none\" or \"tanh\"; got \"{approximate}\"."),
    };

    /// <summary>1 / (1 + e⁻ˣ).</summary>
    public Tensor Sigmoid() => SigmoidOp.Apply(this);

    /// <summary>tanh x.</summary>
    public Tensor Tanh() => TanhOp.Apply(this);

    /// <summary>(1/β)·ln(1 + e^(βx)), linear above the threshold (<c>F.softplus</c>).</summary>
    public Tensor Softplus(double beta = 1, double threshold = 20) => SoftplusOp.Apply(this, beta, threshold);

    /// <summary>Softmax along <paramref name="dim"/>, numerically stable.</summary>
    public Tensor Softmax(int dim) => SoftmaxOp.Apply(this, dim, log: false);

    /// <summary>Log-softmax along <paramref name="dim"/>, numerically stable.</summary>
    public Tensor LogSoftmax(int dim) => SoftmaxOp.Apply(this, dim, log: true);

    /// <summary>Matrix product with batch broadcasting (<c>torch.matmul</c>).</summary>
    public Tensor MatMul(Tensor other) => MatMulOp.Apply(this, other);

    /// <summary>A 0-d tensor of this tensor's dtype holding <paramref name="value"/>.</summary>
    internal Tensor ScalarLike(double value) => Scalar(value, DType.IsFloatingPoint() ? DType : DType.Float32);

    /// <summary>this · scalar without autograd.</summary>
    internal Tensor MulScalarRaw(double scalar) => BinaryDriver.Run<Kernels.Elementwise.MulKernel>(this, ScalarLike(scalar));

    /// <summary>a + b.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>a + s.</summary>
    public static Tensor operator +(Tensor a, double s) => a.Add(s);
    /// <summary>s + a.</summary>
    public static Tensor operator +(double s, Tensor a) => a.Add(s);
    /// <summary>a − b.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>a − s.</summary>
    public static Tensor operator -(Tensor a, double s) => a.Sub(s);
    /// <summary>s − a.</summary>
    public static Tensor operator -(double s, Tensor a) => a.RSub(s);
    /// <summary>−a.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();
    /// <summary>a · b element-wise.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>a · s.</summary>
    public static Tensor operator *(Tensor a, double s) => a.Mul(s);
    /// <summary>s · a.</summary>
    public static Tensor operator *(double s, Tensor a) => a.Mul(s);
    /// <summary>a / b element-wise.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary>a / s.</summary>
    public static Tensor operator /(Tensor a, double s) => a.Div(s);
    /// <summary>s / a.</summary>
    public static Tensor operator /(double s, Tensor a) => a.ScalarLike(s).Div(a);
}
