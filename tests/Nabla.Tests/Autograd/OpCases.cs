using Nabla.NN;
using Nabla.Tensors;
using Nabla.Tests.TestSupport;
using static Nabla.Tests.TestSupport.RefArray;

namespace Nabla.Tests.Autograd;

/// <summary>The table of differentiable ops: every op appears here once per interesting shape (broadcast pairs,
/// 0-d, empty, non-contiguous views), with its input domain and a double-precision reference.
/// <c>OpCaseTests</c> runs forward, gradient, float32-vs-float64, shape-error and SIMD-vs-scalar checks over it.</summary>
/// <remarks>A case's name starts with the method it tests; indexing ops and losses have their own tests.</remarks>
public static class OpCases
{
    private static readonly Lazy<IReadOnlyList<OpCase>> s_all = new(Build);

    /// <summary>Every case.</summary>
    public static IReadOnlyList<OpCase> List => s_all.Value;

    /// <summary>Every case, as xunit theory data.</summary>
    public static TheoryData<OpCase> All => [.. List];

    /// <summary>Cases that run a kernel with a SIMD path.</summary>
    public static TheoryData<OpCase> WithSimdPath => [.. List.Where(c => c.HasSimdPath)];

    /// <summary>Cases that list bad shapes and their message.</summary>
    public static TheoryData<OpCase> WithShapeError => [.. List.Where(c => c.ShapeError is not null)];

    /// <summary>Cases whose gradient can be checked by finite differences.</summary>
    public static TheoryData<OpCase> GradCheckable => [.. List.Where(c => c.GradCheckable)];

    /// <summary>The case with this name.</summary>
    public static OpCase ByName(string name) =>
        List.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"OpCases: no case named '{name}'.", nameof(name));

    private static OpCase Case(string name, int[][] shapes, Func<Tensor[], Tensor> f, Func<RefArray[], RefArray> reference, params InputDomain[] domains)
    {
        var c = new OpCase(name, shapes, f, reference);
        if (domains.Length > 0) c.Domains = domains;
        return c;
    }

    private static OpCase Unary(string name, int[] shape, Func<Tensor, Tensor> f, Func<double, double> g, InputDomain? domain = null) =>
        Case(name, [shape], x => f(x[0]), r => r[0].Map(g), domain ?? InputDomain.Any);

    private static OpCase Binary(string name, int[] a, int[] b, Func<Tensor, Tensor, Tensor> f, Func<double, double, double> g,
        InputDomain? da = null, InputDomain? db = null) =>
        Case(name, [a, b], x => f(x[0], x[1]), r => Zip(r[0], r[1], g), da ?? InputDomain.Any, db ?? InputDomain.Any);

    private static ShapeErrorCase Broadcast53vs4(string op) =>
        new([[5, 3], [4]], $"{op}: shapes [5, 3] and [4] cannot be broadcast (dimension 1: 3 vs 4; each pair must be equal or 1).");

    private static List<OpCase> Build()
    {
        var cases = new List<OpCase>();
        AddElementwiseBinary(cases);
        AddElementwiseUnary(cases);
        AddReductions(cases);
        AddMatMul(cases);
        AddLinear(cases);
        AddSoftmax(cases);
        AddViews(cases);
        AddAttention(cases);
        return cases;
    }

    private static void AddElementwiseBinary(List<OpCase> cases)
    {
        var nz = InputDomain.NonZero;
        var pos = InputDomain.Positive;
        static Tensor Add(Tensor a, Tensor b) => a.Add(b);
        static double AddRef(double a, double b) => a + b;
        cases.AddRange(
        [
            Binary("Add same shape", [3, 4], [3, 4], Add, AddRef),
            Binary("Add broadcast [3,1]+[1,4]", [3, 1], [1, 4], Add, AddRef),
            Binary("Add broadcast [2,3,4]+[4]", [2, 3, 4], [4], Add, AddRef),
            Binary("Add 0-d+[2,3]", [], [2, 3], Add, AddRef),
            Binary("Add 0-d+0-d", [], [], Add, AddRef),
            Binary("Add empty [2,0,3]+[3]", [2, 0, 3], [3], Add, AddRef),
            Binary("Add alpha 0.5", [2, 3], [2, 3], (a, b) => a.Add(b, 0.5), (a, b) => a + 0.5 * b),
            Unary("Add scalar", [2, 3], x => x.Add(1.5), x => x + 1.5),
            Binary("Add operator", [2, 3], [3], (a, b) => a + b, AddRef),

            Binary("Sub same shape", [3, 4], [3, 4], (a, b) => a.Sub(b), (a, b) => a - b),
            Binary("Sub broadcast [3,1]-[1,4]", [3, 1], [1, 4], (a, b) => a.Sub(b), (a, b) => a - b),
            Binary("Sub [2,3]-0-d", [2, 3], [], (a, b) => a - b, (a, b) => a - b),
            Unary("Sub scalar", [2, 3], x => x.Sub(0.25), x => x - 0.25),
            Unary("RSub scalar", [2, 3], x => 2.5 - x, x => 2.5 - x),

            Binary("Mul same shape", [3, 4], [3, 4], (a, b) => a.Mul(b), (a, b) => a * b),
            Binary("Mul broadcast [3,1]*[1,4]", [3, 1], [1, 4], (a, b) => a.Mul(b), (a, b) => a * b),
            Binary("Mul broadcast [2,3,4]*[3,1]", [2, 3, 4], [3, 1], (a, b) => a * b, (a, b) => a * b),
            Binary("Mul 0-d*[2,3]", [], [2, 3], (a, b) => a * b, (a, b) => a * b),
            Binary("Mul empty [0,3]*[0,3]", [0, 3], [0, 3], (a, b) => a * b, (a, b) => a * b),
            Unary("Mul scalar", [2, 3], x => x * -1.5, x => x * -1.5),
            Unary("Mul self (x·x)", [2, 3], x => x * x, x => x * x),

            Binary("Div same shape", [3, 4], [3, 4], (a, b) => a.Div(b), (a, b) => a / b, db: nz),
            Binary("Div broadcast [3,1]/[1,4]", [3, 1], [1, 4], (a, b) => a / b, (a, b) => a / b, db: nz),
            Binary("Div 0-d/[2,3]", [], [2, 3], (a, b) => a / b, (a, b) => a / b, db: nz),
            Binary("Div [2,3]/0-d", [2, 3], [], (a, b) => a / b, (a, b) => a / b, db: nz),
            Unary("Div scalar", [2, 3], x => x / 4, x => x / 4),
            Unary("Div scalar by tensor", [2, 3], x => 2 / x, x => 2 / x, nz),

            Binary("Pow tensor exponent", [3, 4], [3, 4], (a, b) => a.Pow(b), Math.Pow, pos),
            Binary("Pow broadcast [3,1]^[1,4]", [3, 1], [1, 4], (a, b) => a.Pow(b), Math.Pow, pos),
            Binary("Pow 0-d base ^ [2,3]", [], [2, 3], (a, b) => a.Pow(b), Math.Pow, pos),
            Binary("Pow [2,3] ^ 0-d exponent", [2, 3], [], (a, b) => a.Pow(b), Math.Pow, pos),
            Unary("Pow scalar 2", [3, 4], x => x.Pow(2), x => x * x),
            Unary("Pow scalar 3 (negative base)", [3, 4], x => x.Pow(3), x => x * x * x),
            Unary("Pow scalar 0.5", [3, 4], x => x.Pow(0.5), Math.Sqrt, pos),
            Unary("Pow scalar -1.5", [3, 4], x => x.Pow(-1.5), x => 1 / (x * Math.Sqrt(x)), pos),
            Unary("Square", [3, 4], x => x.Square(), x => x * x),

            Binary("Maximum same shape", [3, 4], [3, 4], (a, b) => a.Maximum(b), Math.Max, InputDomain.Grid(0), InputDomain.Grid(0.05)),
            Binary("Maximum broadcast [3,1],[1,4]", [3, 1], [1, 4], (a, b) => a.Maximum(b), Math.Max, InputDomain.Grid(0), InputDomain.Grid(0.05)),
            Binary("Maximum 0-d,[2,3]", [], [2, 3], (a, b) => a.Maximum(b), Math.Max, InputDomain.Grid(0), InputDomain.Grid(0.05)),
            Binary("Minimum same shape", [3, 4], [3, 4], (a, b) => a.Minimum(b), Math.Min, InputDomain.Grid(0), InputDomain.Grid(0.05)),
            Binary("Minimum broadcast [3,1],[1,4]", [3, 1], [1, 4], (a, b) => a.Minimum(b), Math.Min, InputDomain.Grid(0), InputDomain.Grid(0.05)),
        ]);
        ByNameIn(cases, "Add same shape").ShapeError = Broadcast53vs4("Add");
        ByNameIn(cases, "Sub same shape").ShapeError = Broadcast53vs4("Sub");
        ByNameIn(cases, "Mul same shape").ShapeError = Broadcast53vs4("Mul");
        ByNameIn(cases, "Div same shape").ShapeError = Broadcast53vs4("Div");
        ByNameIn(cases, "Pow tensor exponent").ShapeError = Broadcast53vs4("Pow");
        ByNameIn(cases, "Maximum same shape").ShapeError = Broadcast53vs4("Maximum");
        ByNameIn(cases, "Minimum same shape").ShapeError = Broadcast53vs4("Minimum");
    }

    private static void AddElementwiseUnary(List<OpCase> cases)
    {
        var pos = InputDomain.Positive;
        cases.AddRange(
        [
            Unary("Neg", [3, 4], x => x.Neg(), x => -x),
            Unary("Neg operator 0-d", [], x => -x, x => -x),
            Unary("Exp", [3, 4], x => x.Exp(), Math.Exp),
            Unary("Exp 0-d", [], x => x.Exp(), Math.Exp),
            Unary("Exp empty [0,3]", [0, 3], x => x.Exp(), Math.Exp),
            Case("Exp of transposed", [[3, 4]], x => x[0].T.Exp(), r => r[0].Transpose(0, 1).Map(Math.Exp)),
            Unary("Log", [3, 4], x => x.Log(), Math.Log, pos),
            Unary("Sqrt", [3, 4], x => x.Sqrt(), Math.Sqrt, pos),
            Unary("Abs", [3, 4], x => x.Abs(), Math.Abs, InputDomain.AwayFrom(0)),
            Unary("Sin", [3, 4], x => x.Sin(), Math.Sin),
            Unary("Cos", [3, 4], x => x.Cos(), Math.Cos),
            Unary("Clamp min and max", [3, 4], x => x.Clamp(-0.5, 0.8), x => Math.Min(Math.Max(x, -0.5), 0.8), InputDomain.AwayFrom(-0.5, 0.8)),
            Unary("Clamp min only", [3, 4], x => x.Clamp(min: 0.2), x => Math.Max(x, 0.2), InputDomain.AwayFrom(0.2)),
            Unary("Clamp max only", [3, 4], x => x.Clamp(max: -0.3), x => Math.Min(x, -0.3), InputDomain.AwayFrom(-0.3)),
            Unary("Relu", [3, 4], x => x.Relu(), x => Math.Max(x, 0), InputDomain.AwayFrom(0)),
            Unary("Relu 0-d", [], x => x.Relu(), x => Math.Max(x, 0), InputDomain.AwayFrom(0)),
            Unary("LeakyRelu default slope", [3, 4], x => x.LeakyRelu(), x => x > 0 ? x : 0.01 * x, InputDomain.AwayFrom(0)),
            Unary("LeakyRelu slope 0.2", [3, 4], x => Functional.LeakyRelu(x, 0.2), x => x > 0 ? x : 0.2 * x, InputDomain.AwayFrom(0)),
            Unary("LeakyRelu slope 0.2 [5, 7]", [5, 7], x => Functional.LeakyRelu(x, 0.2), x => x > 0 ? x : 0.2 * x, InputDomain.AwayFrom(0)),
            Unary("Elu default alpha", [3, 4], x => x.Elu(), x => RefMath.Elu(x, 1), InputDomain.AwayFrom(0)),
            Unary("Elu alpha 0.5", [3, 4], x => Functional.Elu(x, 0.5), x => RefMath.Elu(x, 0.5), InputDomain.AwayFrom(0)),
            Unary("Gelu exact", [3, 4], x => x.Gelu(), RefMath.Gelu, new InputDomain(-4, 4)),
            Unary("Gelu tanh", [3, 4], x => x.Gelu("tanh"), RefMath.GeluTanh, new InputDomain(-4, 4)),
            Case("Gelu of sliced", [[3, 6]], x => x[0].Slice(1, 0, 6, 2).Gelu(), r => r[0].Slice(1, 0, 6, 2).Map(RefMath.Gelu)),
            Unary("Sigmoid", [3, 4], x => x.Sigmoid(), RefMath.Sigmoid, new InputDomain(-6, 6)),
            Unary("Sigmoid empty [0]", [0], x => x.Sigmoid(), RefMath.Sigmoid),
            Unary("Tanh", [3, 4], x => x.Tanh(), Math.Tanh),
            Unary("Tanh 0-d", [], x => x.Tanh(), Math.Tanh),
            Unary("Softplus default", [3, 4], x => x.Softplus(), x => RefMath.Softplus(x, 1, 20), new InputDomain(-5, 5)),
            Unary("Softplus beta 2 threshold 1", [3, 4], x => Functional.Softplus(x, 2, 1), x => RefMath.Softplus(x, 2, 1), InputDomain.AwayFrom(0.5)),
        ]);
        ByNameIn(cases, "LeakyRelu slope 0.2 [5, 7]").HasSimdPath = true;   // vector select over 32 values, scalar tail of 3
        ByNameIn(cases, "Gelu exact").HasSimdPath = true;                  // GeluKernel over 8 values, scalar tail of 4
        ByNameIn(cases, "Gelu tanh").HasSimdPath = true;
    }

    private static void AddReductions(List<OpCase> cases)
    {
        var distinct = InputDomain.DistinctValues;
        int[] s234 = [2, 3, 4];
        static double Sum(double[] v) => v.Sum();
        static double Mean(double[] v) => v.Average();
        cases.AddRange(
        [
            Case("Sum all", [s234], x => x[0].Sum(), r => r[0].Reduce([], false, Sum)),
            Case("Sum dim 0", [s234], x => x[0].Sum(0), r => r[0].Reduce([0], false, Sum)),
            Case("Sum dim 1 keepDim", [s234], x => x[0].Sum(1, keepDim: true), r => r[0].Reduce([1], true, Sum)),
            Case("Sum dim -1", [s234], x => x[0].Sum(-1), r => r[0].Reduce([-1], false, Sum)),
            Case("Sum dims [0,2]", [s234], x => x[0].Sum([0, 2]), r => r[0].Reduce([0, 2], false, Sum)),
            Case("Sum dims [0,2] keepDim", [s234], x => x[0].Sum([0, 2], keepDim: true), r => r[0].Reduce([0, 2], true, Sum)),
            Case("Sum of transposed dim 0", [[3, 4]], x => x[0].T.Sum(0), r => r[0].Transpose(0, 1).Reduce([0], false, Sum)),
            Case("Sum 0-d", [[]], x => x[0].Sum(), r => r[0].Reduce([], false, Sum)),
            Case("Sum empty [0,3] dim 0", [[0, 3]], x => x[0].Sum(0), r => r[0].Reduce([0], false, Sum)),
            Case("Sum empty [0,3] all", [[0, 3]], x => x[0].Sum(), r => r[0].Reduce([], false, Sum)),

            Case("Mean all", [s234], x => x[0].Mean(), r => r[0].Reduce([], false, Mean)),
            Case("Mean dim 1", [s234], x => x[0].Mean(1), r => r[0].Reduce([1], false, Mean)),
            Case("Mean dim -1 keepDim", [s234], x => x[0].Mean(-1, keepDim: true), r => r[0].Reduce([-1], true, Mean)),
            Case("Mean dims [0,1]", [s234], x => x[0].Mean([0, 1]), r => r[0].Reduce([0, 1], false, Mean)),
            Case("Mean dims [0,1] keepDim", [s234], x => x[0].Mean([0, 1], keepDim: true), r => r[0].Reduce([0, 1], true, Mean)),

            Case("Max dim 1 values", [[3, 4]], x => x[0].Max(1).Values, r => r[0].Reduce([1], false, v => v.Max()), distinct),
            Case("Max dim 0 keepDim values", [[3, 4]], x => x[0].Max(0, keepDim: true).Values, r => r[0].Reduce([0], true, v => v.Max()), distinct),
            Case("Max dim -1 of 3-D values", [s234], x => x[0].Max(-1).Values, r => r[0].Reduce([-1], false, v => v.Max()), distinct),
            Case("Max all", [s234], x => x[0].Max(), r => r[0].Reduce([], false, v => v.Max()), distinct),
            Case("Max of transposed dim 1 values", [[3, 4]], x => x[0].T.Max(1).Values, r => r[0].Transpose(0, 1).Reduce([1], false, v => v.Max()), distinct),
            Case("Min dim 1 values", [[3, 4]], x => x[0].Min(1).Values, r => r[0].Reduce([1], false, v => v.Min()), distinct),
            Case("Min dim 0 keepDim values", [[3, 4]], x => x[0].Min(0, keepDim: true).Values, r => r[0].Reduce([0], true, v => v.Min()), distinct),
            Case("Min all", [s234], x => x[0].Min(), r => r[0].Reduce([], false, v => v.Min()), distinct),

            Case("Var all", [s234], x => x[0].Var(), r => r[0].Reduce([], false, v => RefMath.Variance(v, 1))),
            Case("Var dim 1", [s234], x => x[0].Var(1), r => r[0].Reduce([1], false, v => RefMath.Variance(v, 1))),
            Case("Var dim 0 keepDim correction 0", [s234], x => x[0].Var(0, keepDim: true, correction: 0), r => r[0].Reduce([0], true, v => RefMath.Variance(v, 0))),
            Case("Var dims [0,2]", [s234], x => x[0].Var([0, 2]), r => r[0].Reduce([0, 2], false, v => RefMath.Variance(v, 1))),
            Case("Std all", [s234], x => x[0].Std(), r => r[0].Reduce([], false, v => Math.Sqrt(RefMath.Variance(v, 1)))),
            Case("Std dim 1", [s234], x => x[0].Std(1), r => r[0].Reduce([1], false, v => Math.Sqrt(RefMath.Variance(v, 1)))),
            Case("Std dim -1 keepDim correction 0", [s234], x => x[0].Std(-1, keepDim: true, correction: 0), r => r[0].Reduce([-1], true, v => Math.Sqrt(RefMath.Variance(v, 0)))),

            Case("LogSumExp dim 1", [[3, 4]], x => x[0].LogSumExp(1), r => r[0].Reduce([1], false, RefMath.LogSumExp), new InputDomain(-3, 3)),
            Case("LogSumExp dim 0 keepDim", [[3, 4]], x => x[0].LogSumExp(0, keepDim: true), r => r[0].Reduce([0], true, RefMath.LogSumExp), new InputDomain(-3, 3)),
            Case("LogSumExp dim -1 of 3-D", [s234], x => x[0].LogSumExp(-1), r => r[0].Reduce([-1], false, RefMath.LogSumExp), new InputDomain(-3, 3)),
        ]);
    }

    private static void AddMatMul(List<OpCase> cases)
    {
        static Tensor Mm(Tensor[] x) => x[0].MatMul(x[1]);
        static RefArray MmRef(RefArray[] r) => MatMul(r[0], r[1]);
        var mm = new List<OpCase>
        {
            Case("MatMul 2-D", [[3, 4], [4, 5]], Mm, MmRef),
            Case("MatMul batched 3-D", [[2, 3, 4], [2, 4, 5]], Mm, MmRef),
            Case("MatMul broadcast batch [2,1,3,4]·[3,4,5]", [[2, 1, 3, 4], [3, 4, 5]], Mm, MmRef),
            Case("MatMul 3-D·2-D", [[2, 3, 4], [4, 5]], Mm, MmRef),
            Case("MatMul 1-D·2-D", [[4], [4, 5]], Mm, MmRef),
            Case("MatMul 2-D·1-D", [[3, 4], [4]], Mm, MmRef),
            Case("MatMul 1-D·1-D", [[4], [4]], Mm, MmRef),
            Case("MatMul 1-D·3-D", [[4], [2, 4, 5]], Mm, MmRef),
            Case("MatMul 3-D·1-D", [[2, 3, 4], [4]], Mm, MmRef),
            Case("MatMul transposed left Aᵀ·B", [[4, 3], [4, 5]], x => x[0].T.MatMul(x[1]), r => MatMul(r[0].Transpose(0, 1), r[1])),
            Case("MatMul transposed right A·Bᵀ", [[3, 4], [5, 4]], x => x[0].MatMul(x[1].T), r => MatMul(r[0], r[1].Transpose(0, 1))),
            Case("MatMul batched transposed", [[2, 4, 3], [2, 5, 4]], x => x[0].Transpose(1, 2).MatMul(x[1].Transpose(-1, -2)),
                r => MatMul(r[0].Transpose(1, 2), r[1].Transpose(1, 2))),
            Case("MatMul sliced rows", [[6, 4], [4, 5]], x => x[0].Slice(0, 0, 6, 2).MatMul(x[1]), r => MatMul(r[0].Slice(0, 0, 6, 2), r[1])),
            Case("MatMul empty rows [0,4]·[4,5]", [[0, 4], [4, 5]], Mm, MmRef),
            Case("MatMul empty inner [3,0]·[0,5]", [[3, 0], [0, 5]], Mm, MmRef),
            Case("MatMul empty 1-D·1-D", [[0], [0]], Mm, MmRef),
            // Above Gemm.DirectMaxWork (m·n·k = 40,000 > 32,768): the packed kernels, not the direct loop.
            Case("MatMul large [20,50]·[50,40]", [[20, 50], [50, 40]], Mm, MmRef),
            Case("MatMul large transposed Aᵀ·B", [[50, 20], [50, 40]], x => x[0].T.MatMul(x[1]), r => MatMul(r[0].Transpose(0, 1), r[1])),
            Case("MatMul large broadcast batch [3,20,30]·[30,40]", [[3, 20, 30], [30, 40]], Mm, MmRef),
        };
        foreach (var c in mm) c.HasSimdPath = true;
        mm[0].ShapeError = new([[32, 1568], [784, 256]], "MatMul: inner dimensions differ: [32, 1568] · [784, 256] (1568 ≠ 784).");
        mm[1].ShapeError = new([[2, 3, 4], [3, 4, 5]], "MatMul: shapes [2] and [3] cannot be broadcast (dimension 0: 2 vs 3; each pair must be equal or 1).");
        cases.AddRange(mm);
    }

    private static void AddLinear(List<OpCase> cases)
    {
        var linear = new List<OpCase>
        {
            Case("Linear with bias", [[3, 4], [5, 4], [5]], x => Functional.Linear(x[0], x[1], x[2]), r => RefArray.Linear(r[0], r[1], r[2])),
            Case("Linear without bias", [[3, 4], [5, 4]], x => Functional.Linear(x[0], x[1]), r => RefArray.Linear(r[0], r[1], null)),
            Case("Linear 3-D input", [[2, 3, 4], [5, 4], [5]], x => Functional.Linear(x[0], x[1], x[2]), r => RefArray.Linear(r[0], r[1], r[2])),
            Case("Linear 1-D input", [[4], [5, 4], [5]], x => Functional.Linear(x[0], x[1], x[2]), r => RefArray.Linear(r[0], r[1], r[2])),
            Case("Linear transposed input", [[4, 3], [5, 4], [5]], x => Functional.Linear(x[0].T, x[1], x[2]), r => RefArray.Linear(r[0].Transpose(0, 1), r[1], r[2])),
            Case("Linear large", [[20, 50], [40, 50], [40]], x => Functional.Linear(x[0], x[1], x[2]), r => RefArray.Linear(r[0], r[1], r[2])),
        };
        foreach (var c in linear) c.HasSimdPath = true;
        linear[0].ShapeError = new([[32, 1568], [256, 784], [256]], "Linear(784 → 256): input [32, 1568] must end in 784 features.");
        linear[1].ShapeError = new([[3, 4], [5, 4, 1]], "Linear: weight must be 2-D [out, in]; got [5, 4, 1].");
        cases.AddRange(linear);
    }

    private static void AddSoftmax(List<OpCase> cases)
    {
        foreach (bool log in new[] { false, true })
        {
            string op = log ? "LogSoftmax" : "Softmax";
            Func<double[], double[]> g = log ? RefMath.LogSoftmax : RefMath.Softmax;
            Tensor F(Tensor x, int dim) => log ? x.LogSoftmax(dim) : x.Softmax(dim);
            cases.AddRange(
            [
                Case($"{op} dim 0", [[3, 4]], x => F(x[0], 0), r => r[0].AlongDim(0, g)),
                Case($"{op} dim 1", [[3, 4]], x => F(x[0], 1), r => r[0].AlongDim(1, g)),
                Case($"{op} dim -1", [[3, 4]], x => F(x[0], -1), r => r[0].AlongDim(-1, g)),
                Case($"{op} dim 1 of 3-D", [[2, 3, 4]], x => F(x[0], 1), r => r[0].AlongDim(1, g)),
                Case($"{op} of transposed dim -1", [[3, 4]], x => F(x[0].T, -1), r => r[0].Transpose(0, 1).AlongDim(-1, g)),
                Case($"{op} 0-d", [[]], x => F(x[0], 0), r => r[0].AlongDim(0, g)),
                Case($"{op} empty [0,3] dim 1", [[0, 3]], x => F(x[0], 1), r => r[0].AlongDim(1, g)),
            ]);
        }
        cases.Add(Case("Softmax functional dim 1", [[3, 4]], x => Functional.Softmax(x[0], 1), r => r[0].AlongDim(1, RefMath.Softmax)));
        cases.Add(Case("LogSoftmax functional dim 1", [[3, 4]], x => Functional.LogSoftmax(x[0], 1), r => r[0].AlongDim(1, RefMath.LogSoftmax)));
    }

    private static void AddViews(List<OpCase> cases)
    {
        int[] s234 = [2, 3, 4];
        cases.AddRange(
        [
            Case("View [3,4]→[4,3]", [[3, 4]], x => x[0].View(4, 3), r => r[0].Reshape(4, 3)),
            Case("View -1", [s234], x => x[0].View(-1), r => r[0].Reshape(24)),
            Case("View [2,3,4]→[6,4]", [s234], x => x[0].View(6, 4), r => r[0].Reshape(6, 4)),
            Case("View of transposed adding a unit dim", [[3, 4]], x => x[0].T.View(4, 3, 1), r => r[0].Transpose(0, 1).Reshape(4, 3, 1)),
            Case("Reshape of transposed (copies)", [[3, 4]], x => x[0].T.Reshape(12), r => r[0].Transpose(0, 1).Reshape(12)),
            Case("Reshape [4,-1] of permuted", [s234], x => x[0].Permute(2, 0, 1).Reshape(4, -1), r => r[0].Permute(2, 0, 1).Reshape(4, 6)),
            Case("Reshape 0-d to [1,1]", [[]], x => x[0].Reshape(1, 1), r => r[0].Reshape(1, 1)),
            Case("Flatten all", [s234], x => x[0].Flatten(), r => r[0].Reshape(24)),
            Case("Flatten from 1", [s234], x => x[0].Flatten(1), r => r[0].Reshape(2, 12)),
            Case("Flatten 0..1", [s234], x => x[0].Flatten(0, 1), r => r[0].Reshape(6, 4)),
            Case("Flatten of transposed", [s234], x => x[0].Transpose(0, 2).Flatten(1), r => r[0].Transpose(0, 2).Reshape(4, 6)),
            Case("Flatten 0-d", [[]], x => x[0].Flatten(), r => r[0].Reshape(1)),
            Case("Unflatten dim 1 → [2,2]", [[3, 4]], x => x[0].Unflatten(1, 2, 2), r => r[0].Reshape(3, 2, 2)),
            Case("Unflatten dim -1 → [2,-1]", [[3, 4]], x => x[0].Unflatten(-1, 2, -1), r => r[0].Reshape(3, 2, 2)),
            Case("Squeeze all", [[3, 1, 4, 1]], x => x[0].Squeeze(), r => r[0].Reshape(3, 4)),
            Case("Squeeze dim 1", [[3, 1, 4, 1]], x => x[0].Squeeze(1), r => r[0].Reshape(3, 4, 1)),
            Case("Squeeze dim of size 3 keeps it", [[3, 1, 4]], x => x[0].Squeeze(0), r => r[0]),
            Case("Unsqueeze 0", [[3, 4]], x => x[0].Unsqueeze(0), r => r[0].Reshape(1, 3, 4)),
            Case("Unsqueeze -1", [[3, 4]], x => x[0].Unsqueeze(-1), r => r[0].Reshape(3, 4, 1)),
            Case("Unsqueeze 0-d", [[]], x => x[0].Unsqueeze(0), r => r[0].Reshape(1)),
            Case("Transpose 0,2", [s234], x => x[0].Transpose(0, 2), r => r[0].Transpose(0, 2)),
            Case("Transpose -1,-2", [s234], x => x[0].Transpose(-1, -2), r => r[0].Transpose(1, 2)),
            Case("T", [[3, 4]], x => x[0].T, r => r[0].Transpose(0, 1)),
            Case("T then Mul (non-contiguous operand)", [[3, 4], [4, 3]], x => x[0].T * x[1], r => Zip(r[0].Transpose(0, 1), r[1], (a, b) => a * b)),
            Case("Permute 2,0,1", [s234], x => x[0].Permute(2, 0, 1), r => r[0].Permute(2, 0, 1)),
            Case("Permute -1,0,1", [s234], x => x[0].Permute(-1, 0, 1), r => r[0].Permute(2, 0, 1)),
            Case("Expand [3,1]→[3,4]", [[3, 1]], x => x[0].Expand(3, 4), r => r[0].Expand([3, 4])),
            Case("Expand [4]→[2,3,4]", [[4]], x => x[0].Expand(2, 3, 4), r => r[0].Expand([2, 3, 4])),
            Case("Expand -1 keeps a size", [[3, 1]], x => x[0].Expand(-1, 4), r => r[0].Expand([3, 4])),
            Case("Expand 0-d→[2,3]", [[]], x => x[0].Expand(2, 3), r => r[0].Expand([2, 3])),
            Case("ExpandAs", [[1, 4], [3, 4]], x => x[0].ExpandAs(x[1]), r => r[0].Expand([3, 4])),
            Case("Expand then Mul", [[3, 1], [3, 4]], x => x[0].Expand(3, 4) * x[1], r => Zip(r[0].Expand([3, 4]), r[1], (a, b) => a * b)),
            Case("Narrow dim 1 from 1 length 2", [[3, 4]], x => x[0].Narrow(1, 1, 2), r => r[0].Slice(1, 1, 3, 1)),
            Case("Narrow dim 0 from -2", [[3, 4]], x => x[0].Narrow(0, -2, 2), r => r[0].Slice(0, 1, 3, 1)),
            Case("Slice step 2", [[3, 5]], x => x[0].Slice(1, 0, 5, 2), r => r[0].Slice(1, 0, 5, 2)),
            Case("Slice 1..4 step 2", [[3, 5]], x => x[0].Slice(1, 1, 4, 2), r => r[0].Slice(1, 1, 4, 2)),
            Case("Slice negative start, end clipped", [[3, 4]], x => x[0].Slice(0, -2, 10), r => r[0].Slice(0, 1, 3, 1)),
            Case("Slice of slice", [[6, 4]], x => x[0].Slice(0, 1, 6, 2).Slice(1, 1, 4, 2), r => r[0].Slice(0, 1, 6, 2).Slice(1, 1, 4, 2)),
            Case("Slice empty range", [[3, 4]], x => x[0].Slice(1, 2, 2), r => r[0].Slice(1, 2, 2, 1)),
            Case("Select dim 0 index 1", [[3, 4]], x => x[0].Select(0, 1), r => r[0].Select(0, 1)),
            Case("Select dim 1 index -1", [s234], x => x[0].Select(1, -1), r => r[0].Select(1, 2)),
            Case("Select of 1-D gives 0-d", [[4]], x => x[0].Select(0, 2), r => r[0].Select(0, 2)),
            Case("Contiguous of transposed", [[3, 4]], x => x[0].T.Contiguous(), r => r[0].Transpose(0, 1)),
            Case("Contiguous of contiguous", [[3, 4]], x => x[0].Contiguous(), r => r[0]),
            Case("Clone", [[3, 4]], x => x[0].Clone(), r => r[0]),
            Case("Clone of sliced", [[3, 4]], x => x[0].Slice(1, 1, 4, 2).Clone(), r => r[0].Slice(1, 1, 4, 2)),
            Case("To Float64", [[3, 4]], x => x[0].To(DType.Float64), r => r[0]),
        ]);
        // Finite differences cannot see through a float32 rounding; the conversion's backward has its own test.
        cases.Add(new OpCase("To Float32", [[3, 4]], x => x[0].To(DType.Float32), r => r[0]) { GradCheckable = false });
        ByNameIn(cases, "View [3,4]→[4,3]").ShapeError = new([[5, 2]], "View: shape [4, 3] has 12 elements but the tensor [5, 2] has 10.");
        ByNameIn(cases, "Reshape [4,-1] of permuted").ShapeError = new([[3, 5, 1]], "Reshape: shape [4, -1] is invalid for a tensor of 15 elements [1, 3, 5].");
        ByNameIn(cases, "Expand [3,1]→[3,4]").ShapeError = new([[3, 2]], "Expand: the size 2 of dimension 1 of [3, 2] must match 4 in [3, 4] or be 1.");
    }

    private static void AddAttention(List<OpCase> cases)
    {
        // softmax(α·Q·Kᵀ + M)·V in double, the causal rule as −∞ above the diagonal.
        static RefArray Attention(RefArray q, RefArray k, RefArray v, RefArray? mask, bool causal)
        {
            int l = q.Shape[^2], s = k.Shape[^2];
            var scores = MatMul(q, k.Transpose(k.Rank - 2, k.Rank - 1)).Map(x => x / Math.Sqrt(q.Shape[^1]));
            if (mask is not null) scores = Zip(scores, mask, (a, b) => a + b);
            if (causal)
                for (int i = 0; i < scores.Data.Length; i++)
                    if (i % s > i / s % l) scores.Data[i] = double.NegativeInfinity;
            return MatMul(scores.AlongDim(scores.Rank - 1, RefMath.Softmax), v);
        }
        var attention = new List<OpCase>
        {
            Case("ScaledDotProductAttention [2,3,4]·[2,5,4]·[2,5,3]", [[2, 3, 4], [2, 5, 4], [2, 5, 3]],
                x => Functional.ScaledDotProductAttention(x[0], x[1], x[2]), r => Attention(r[0], r[1], r[2], null, false)),
            Case("ScaledDotProductAttention causal [2,2,4,8]", [[2, 2, 4, 8], [2, 2, 4, 8], [2, 2, 4, 8]],
                x => Functional.ScaledDotProductAttention(x[0], x[1], x[2], isCausal: true), r => Attention(r[0], r[1], r[2], null, true)),
            Case("ScaledDotProductAttention float mask [3,5] with grad", [[2, 3, 4], [2, 5, 4], [2, 5, 2], [3, 5]],
                x => Functional.ScaledDotProductAttention(x[0], x[1], x[2], x[3]), r => Attention(r[0], r[1], r[2], r[3], false)),
        };
        foreach (var c in attention) c.HasSimdPath = true;
        attention[0].ShapeError = new([[2, 3, 4], [2, 5, 6], [2, 5, 3]],
            "ScaledDotProductAttention: query and key must share the embedding size E; got query [2, 3, 4], key [2, 5, 6], value [2, 5, 3] (4 ≠ 6).");
        cases.AddRange(attention);
    }

    private static OpCase ByNameIn(List<OpCase> cases, string name) => cases.Single(c => c.Name == name);
}
