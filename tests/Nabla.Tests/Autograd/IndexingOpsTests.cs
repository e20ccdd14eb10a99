using Nabla.Autograd;
using Nabla.Tensors;
using Xunit;

namespace Nabla.Tests.Autograd;

/// <summary>Indexing, joining, padding, sorting and scan ops: forward values computed by hand, gradients against
/// finite differences (float64, random upstream gradient), repeated-index accumulation, broadcasting and errors.</summary>
public sealed class IndexingOpsTests
{
    // --- helpers ------------------------------------------------------------------------------------------

    static Tensor F64(double[] values, params int[] shape) => Tensor.FromArray<double>(values, shape, requiresGrad: true);

    static Tensor F32(float[] values, params int[] shape) => Tensor.FromArray<float>(values, shape);

    static Tensor I64(long[] values, params int[] shape) => Tensor.FromArray<long>(values, shape);

    static Tensor I32(int[] values, params int[] shape) => Tensor.FromArray<int>(values, shape);

    static Tensor Bools(bool[] values, params int[] shape) => Tensor.FromArray<bool>(values, shape);

    static Tensor Randn(int seed, params int[] shape) => Tensor.Randn(shape, DType.Float64, new Generator(seed), requiresGrad: true);

    static double[] Values(Tensor t) => t.Detach().To(DType.Float64).ToArray<double>();

    static void AssertTensor(Tensor actual, int[] shape, double[] expected, double tol = 1e-12)
    {
        Assert.Equal(shape, actual.Shape.ToArray());
        var v = Values(actual);
        Assert.Equal(expected.Length, v.Length);
        for (int i = 0; i < v.Length; i++)
            Assert.True(Math.Abs(v[i] - expected[i]) <= tol, $"element {i}: expected {expected[i]}, got {v[i]}");
    }

    static string ErrorOf<TException>(Action action) where TException : Exception => Assert.Throws<TException>(action).Message;

    static string ArgumentErrorOf(Action action) => Assert.ThrowsAny<ArgumentException>(action).Message;

    // x = [[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23]]
    static Tensor Grid34(bool requiresGrad = false) =>
        Tensor.FromArray<double>([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23], [3, 4], requiresGrad);

    // --- IndexSelect --------------------------------------------------------------------------------------

    [Fact]
    public void IndexSelect_Dim0_CopiesRowsInIndexOrder()
    {
        var y = Grid34().IndexSelect(0, I64([2, 0, 2], 3));
        AssertTensor(y, [3, 4], [20, 21, 22, 23, 0, 1, 2, 3, 20, 21, 22, 23]);
    }

    [Fact]
    public void IndexSelect_LastDimWithInt32Index_PicksColumns()
    {
        var y = Grid34().IndexSelect(-1, I32([3, 1], 2));
        AssertTensor(y, [3, 2], [3, 1, 13, 11, 23, 21]);
    }

    [Fact]
    public void IndexSelect_MiddleDimOfNonContiguousInput_MatchesHandValues()
    {
        // x[a, b, c] = 100a + 10b + c, permuted to [c, a, b] (non-contiguous); select b ∈ {1, 1, 0}.
        var data = new double[2 * 2 * 3];
        for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) for (int c = 0; c < 3; c++) data[a * 6 + b * 3 + c] = 100 * a + 10 * b + c;
        var x = Tensor.FromArray<double>(data, [2, 2, 3]).Permute(2, 0, 1);   // [3, 2, 2]
        var y = x.IndexSelect(2, I64([1, 1, 0], 3));
        var expected = new List<double>();
        for (int c = 0; c < 3; c++) for (int a = 0; a < 2; a++) foreach (int b in new[] { 1, 1, 0 }) expected.Add(100 * a + 10 * b + c);
        AssertTensor(y, [3, 2, 3], [.. expected]);
    }

    [Fact]
    public void IndexSelect_Int64Data_IsCopiedWithoutAutograd()
    {
        var y = I64([5, 6, 7], 3).IndexSelect(0, I64([2, 2, 0], 3));
        Assert.Equal(DType.Int64, y.DType);
        Assert.Equal([7L, 7L, 5L], y.ToArray<long>());
    }

    [Fact]
    public void IndexSelect_RepeatedIndices_AccumulateGradient()
    {
        var x = Grid34(requiresGrad: true);
        var y = x.IndexSelect(0, I64([2, 0, 2, 2], 4));
        y.Mul(Tensor.Arange(1, 5, 1, DType.Float64)).Sum().Backward();   // dy[j, c] = c + 1
        AssertTensor(x.Grad!, [3, 4], [1, 2, 3, 4, 0, 0, 0, 0, 3, 6, 9, 12]);
    }

    [Fact]
    public void IndexSelect_Backward_MatchesFiniteDifferences()
    {
        var index = I64([1, 0, 1, 3], 4);
        GradCheck.Assert(t => t[0].IndexSelect(1, index), Randn(1, 2, 4, 3));
        GradCheck.Assert(t => t[0].IndexSelect(2, index.Narrow(0, 0, 3)), Randn(2, 2, 3, 2));
    }

    [Fact]
    public void IndexSelect_RejectsBadIndex()
    {
        Assert.Contains("IndexSelect: index has dtype float32; expected int64 or int32",
            ArgumentErrorOf(() => Grid34().IndexSelect(0, F32([0f], 1))));
        Assert.Contains("IndexSelect: index must be 0-D or 1-D; got shape [1, 2]",
            ArgumentErrorOf(() => Grid34().IndexSelect(0, I64([0, 1], 1, 2))));
        Assert.Contains("IndexSelect: index 3 is out of range for dimension 0 with size 3",
            ErrorOf<ArgumentOutOfRangeException>(() => Grid34().IndexSelect(0, I64([0, 3], 2))));
        Assert.Contains("IndexSelect: index -1 is out of range for dimension 1 with size 4",
            ErrorOf<ArgumentOutOfRangeException>(() => Grid34().IndexSelect(1, I64([-1], 1))));
    }

    // --- Gather -------------------------------------------------------------------------------------------

    [Fact]
    public void Gather_Dim1_MatchesTorchDocsExample()
    {
        var x = Tensor.FromArray<double>([1, 2, 3, 4], [2, 2]);
        AssertTensor(x.Gather(1, I64([0, 0, 1, 0], 2, 2)), [2, 2], [1, 1, 4, 3]);
    }

    [Fact]
    public void Gather_Dim0WithSmallerIndex_ReadsOnlyTheIndexedWindow()
    {
        // index [2, 2] over input [3, 4]: y[i, j] = x[index[i, j], j].
        var y = Grid34().Gather(0, I32([2, 0, 1, 1], 2, 2));
        AssertTensor(y, [2, 2], [20, 1, 10, 11]);
    }

    [Fact]
    public void Gather_TransposedInput_ReadsThroughStrides()
    {
        var xt = Grid34().T;   // [4, 3]: xt[i, j] = x[j, i]
        AssertTensor(xt.Gather(1, I64([2, 0, 1, 1], 4, 1)), [4, 1], [20, 1, 12, 13]);
    }

    [Fact]
    public void Gather_Int64Data() =>
        Assert.Equal([30L, 10L, 10L], I64([10, 20, 30], 3).Gather(0, I32([2, 0, 0], 3)).ToArray<long>());

    [Fact]
    public void Gather_RepeatedIndices_AccumulateGradient()
    {
        var x = Tensor.FromArray<double>([1, 2, 3], [1, 3], requiresGrad: true);
        x.Gather(1, I64([2, 2, 0, 2], 1, 4)).Sum().Backward();
        AssertTensor(x.Grad!, [1, 3], [1, 0, 3]);
    }

    [Fact]
    public void Gather_Backward_MatchesFiniteDifferences()
    {
        var index = I64([0, 2, 2, 1, 0, 0, 1, 1], 2, 4);   // repeated indices on purpose
        GradCheck.Assert(t => t[0].Gather(1, index), Randn(3, 2, 3));
        GradCheck.Assert(t => t[0].Gather(0, I64([1, 0, 1, 1, 0, 0], 2, 3)), Randn(4, 3, 3));
    }

    [Fact]
    public void Gather_RejectsBadShapesAndIndices()
    {
        Assert.Contains("Gather: index has 3 dimensions but input has 2; they must have the same number of dimensions.",
            ArgumentErrorOf(() => Grid34().Gather(1, I64([0], 1, 1, 1))));
        var e = Assert.Throws<ShapeMismatchException>(() => Grid34().Gather(1, I64([0, 0, 0, 0, 0, 0, 0, 0], 4, 2)));
        Assert.Contains("Gather: index [4, 2] does not fit input [3, 4] at dimension 0 (4 > 3)", e.Message);
        Assert.Equal("Gather", e.Op);
        Assert.Contains("Gather: index 4 is out of range for dimension 1 with size 4 (valid indices are 0..3)",
            ErrorOf<ArgumentOutOfRangeException>(() => Grid34().Gather(1, I64([0, 4], 1, 2))));
        Assert.Contains("Gather: index has dtype bool",
            ArgumentErrorOf(() => Grid34().Gather(1, Bools([true], 1, 1))));
    }

    // --- Scatter and ScatterAdd ---------------------------------------------------------------------------

    [Fact]
    public void Scatter_Dim0_MatchesTorchDocsExample()
    {
        var src = Tensor.Arange(1, 11, 1, DType.Float64).Reshape(2, 5);
        var y = Tensor.Zeros([3, 5], DType.Float64).Scatter(0, I64([0, 1, 2, 0], 1, 4), src);
        AssertTensor(y, [3, 5], [1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0]);
    }

    [Fact]
    public void Scatter_ScalarValue_WritesValueAtIndices()
    {
        var y = Tensor.Zeros([2, 4], DType.Float64).Scatter(1, I64([2, 3], 2, 1), 1.23);
        AssertTensor(y, [2, 4], [0, 0, 1.23, 0, 0, 0, 0, 1.23]);
    }

    [Fact]
    public void Scatter_Int64Data_LeavesInputUnchanged()
    {
        var x = I64([1, 2, 3], 3);
        var y = x.Scatter(0, I64([1], 1), I64([9], 1));
        Assert.Equal([1L, 9L, 3L], y.ToArray<long>());
        Assert.Equal([1L, 2L, 3L], x.ToArray<long>());
    }

    [Fact]
    public void ScatterAdd_RepeatedIndices_Accumulate()
    {
        var src = Tensor.Ones([2, 5], DType.Float64);
        var y = Tensor.Zeros([3, 5], DType.Float64).ScatterAdd(0, I64([0, 1, 2, 0, 0, 0, 1, 2, 2, 2], 2, 5), src);
        AssertTensor(y, [3, 5], [2, 0, 0, 1, 1, 0, 2, 0, 0, 0, 0, 0, 2, 1, 1]);
    }

    [Fact]
    public void Scatter_Gradients_ZeroOverwrittenInputAndGatherForSrc()
    {
        var x = Tensor.FromArray<double>([1, 2, 3, 4], [1, 4], requiresGrad: true);
        var src = Tensor.FromArray<double>([10, 20, 30], [1, 3], requiresGrad: true);
        var y = x.Scatter(1, I64([3, 0], 1, 2), src);   // src[0, 2] is outside the index window
        AssertTensor(y, [1, 4], [20, 2, 3, 10]);
        y.Mul(Tensor.FromArray<double>([1, 2, 3, 4], [1, 4])).Sum().Backward();
        AssertTensor(x.Grad!, [1, 4], [0, 2, 3, 0]);
        AssertTensor(src.Grad!, [1, 3], [4, 1, 0]);
    }

    [Fact]
    public void Scatter_Backward_MatchesFiniteDifferences()
    {
        // Unique positions per column (scatter with duplicates keeps one write and is not differentiable there).
        var index = I64([2, 0, 1, 0, 1, 2], 2, 3);
        GradCheck.Assert(t => t[0].Scatter(0, index, t[1]), Randn(5, 3, 4), Randn(6, 3, 3));
        GradCheck.Assert(t => t[0].Scatter(1, I64([3, 1], 2, 1), -2.5), Randn(7, 2, 4));
    }

    [Fact]
    public void ScatterAdd_Backward_MatchesFiniteDifferences()
    {
        var index = I64([2, 2, 0, 1, 2, 0], 2, 3);   // repeated targets accumulate
        GradCheck.Assert(t => t[0].ScatterAdd(1, index, t[1]), Randn(8, 2, 3), Randn(9, 3, 4));
    }

    [Fact]
    public void Scatter_RejectsBadInput()
    {
        var x = Tensor.Zeros([3, 5], DType.Float64);
        Assert.Contains("Scatter: src has dtype float32 but input has float64; they must have the same dtype.",
            ArgumentErrorOf(() => x.Scatter(0, I64([0], 1, 1), Tensor.Ones([1, 1]))));
        Assert.Contains("ScatterAdd: index [2, 2] does not fit src [1, 5] at dimension 0 (2 > 1); index.size(d) <= src.size(d) is required for every d.",
            ArgumentErrorOf(() => x.ScatterAdd(0, I64([0, 0, 0, 0], 2, 2), Tensor.Ones([1, 5], DType.Float64))));
        Assert.Contains("Scatter: index 3 is out of range for dimension 0 with size 3",
            ErrorOf<ArgumentOutOfRangeException>(() => x.Scatter(0, I64([3], 1, 1), 1.0)));
        Assert.Contains("Scatter: index has 1 dimensions but input has 2",
            ArgumentErrorOf(() => x.Scatter(0, I64([0], 1), 1.0)));
    }

    // --- MaskedFill ---------------------------------------------------------------------------------------

    [Fact]
    public void MaskedFill_BroadcastsMaskOverRows()
    {
        var y = Grid34().MaskedFill(Bools([true, false, false, true], 4), -1);
        AssertTensor(y, [3, 4], [-1, 1, 2, -1, -1, 11, 12, -1, -1, 21, 22, -1]);
    }

    [Fact]
    public void MaskedFill_BroadcastsInputAndMaskTogether_GradientSumsBack()
    {
        var x = Tensor.FromArray<double>([1, 2, 3], [1, 3], requiresGrad: true);
        var y = x.MaskedFill(Bools([false, true], 2, 1), 7);   // result [2, 3]
        AssertTensor(y, [2, 3], [1, 2, 3, 7, 7, 7]);
        y.Sum().Backward();
        AssertTensor(x.Grad!, [1, 3], [1, 1, 1]);   // only the unmasked row reaches x
    }

    [Fact]
    public void MaskedFill_Int64Data()
    {
        Assert.Equal([0L, 5L, 0L], I64([4, 5, 6], 3).MaskedFill(Bools([true, false, true], 3), 0).ToArray<long>());
    }

    [Fact]
    public void MaskedFill_Backward_MatchesFiniteDifferences()
    {
        var mask = Bools([true, false, false, true, true, false], 2, 3);
        GradCheck.Assert(t => t[0].MaskedFill(mask, 3.5), Randn(10, 2, 3));
        GradCheck.Assert(t => t[0].MaskedFill(mask, 0), Randn(11, 3));   // x broadcast over mask's rows
    }

    [Fact]
    public void MaskedFill_RejectsNonBoolMaskAndBadShapes()
    {
        Assert.Contains("MaskedFill: mask has dtype int64; expected bool",
            ArgumentErrorOf(() => Grid34().MaskedFill(I64([1], 1), 0)));
        Assert.Contains("MaskedFill: shapes [3, 4] and [3] cannot be broadcast",
            Assert.Throws<ShapeMismatchException>(() => Grid34().MaskedFill(Bools([true, false, true], 3), 0)).Message);
    }

    // --- Where --------------------------------------------------------------------------------------------

    [Fact]
    public void Where_BroadcastsConditionAndBothBranches()
    {
        var condition = Bools([true, false], 2, 1);
        var x = Tensor.FromArray<double>([1, 2, 3], [3]);
        var y = Tensor.Scalar(-1, DType.Float64);
        AssertTensor(Tensor.Where(condition, x, y), [2, 3], [1, 2, 3, -1, -1, -1]);
    }

    [Fact]
    public void Where_Int64Data()
    {
        var r = Tensor.Where(Bools([true, false, true], 3), I64([1, 2, 3], 3), I64([7], 1));
        Assert.Equal([1L, 7L, 3L], r.ToArray<long>());
    }

    [Fact]
    public void Where_Gradient_GoesToTheChosenBranchSummedOverBroadcast()
    {
        var x = Tensor.FromArray<double>([1, 2, 3], [3], requiresGrad: true);
        var y = Tensor.Scalar(0, DType.Float64).RequiresGrad_();
        Tensor.Where(Bools([true, false, true, false, false, true], 2, 3), x, y).Sum().Backward();
        AssertTensor(x.Grad!, [3], [1, 0, 2]);
        AssertTensor(y.Grad!, [], [3]);
    }

    [Fact]
    public void Where_Backward_MatchesFiniteDifferences()
    {
        var condition = Bools([true, false, false, true, true, false], 2, 1, 3);
        GradCheck.Assert(t => Tensor.Where(condition, t[0], t[1]), Randn(12, 4, 1), Randn(13, 2, 1, 3));
    }

    [Fact]
    public void Where_RejectsBadInput()
    {
        var x = Tensor.Zeros([2, 3], DType.Float64);
        Assert.Contains("Where: condition has dtype float64; expected bool",
            ArgumentErrorOf(() => Tensor.Where(x, x, x)));
        Assert.Contains("Where: x has dtype float64 but y has float32",
            ArgumentErrorOf(() => Tensor.Where(Bools([true], 1), x, Tensor.Zeros([1]))));
        Assert.Contains("Where: condition [2, 3], x [4] and y [2, 3] cannot be broadcast together (dimension 1: 3, 4, 3",
            Assert.Throws<ShapeMismatchException>(() => Tensor.Where(Tensor.Zeros([2, 3], DType.Bool), Tensor.Zeros([4], DType.Float64), x)).Message);
    }

    // --- Cat and Stack ------------------------------------------------------------------------------------

    [Fact]
    public void Cat_Dim0AndDim1_JoinBlocks()
    {
        var a = Tensor.FromArray<double>([1, 2, 3, 4], [2, 2]);
        var b = Tensor.FromArray<double>([5, 6], [1, 2]);
        AssertTensor(Tensor.Cat([a, b]), [3, 2], [1, 2, 3, 4, 5, 6]);
        var c = Tensor.FromArray<double>([7, 8, 9, 10, 11, 12], [2, 3]);
        AssertTensor(Tensor.Cat([a, c], dim: -1), [2, 5], [1, 2, 7, 8, 9, 3, 4, 10, 11, 12]);
    }

    [Fact]
    public void Cat_NonContiguousInt64AndLegacyEmpty()
    {
        var a = I64([1, 2, 3, 4], 2, 2).Transpose(0, 1);   // [[1, 3], [2, 4]]
        var r = Tensor.Cat([a, I64([], 0), I64([5, 6], 2, 1)], 1);
        Assert.Equal([2, 3], r.Shape.ToArray());
        Assert.Equal([1L, 3L, 5L, 2L, 4L, 6L], r.ToArray<long>());
    }

    [Fact]
    public void Cat_Gradient_SplitsBackToInputs()
    {
        var a = Tensor.FromArray<double>([1, 2], [1, 2], requiresGrad: true);
        var b = Tensor.FromArray<double>([3, 4, 5, 6], [1, 4], requiresGrad: true);
        Tensor.Cat([a, b, a], 1).Mul(Tensor.Arange(1, 9, 1, DType.Float64)).Sum().Backward();
        AssertTensor(a.Grad!, [1, 2], [1 + 7, 2 + 8]);   // a appears twice: its gradients add
        AssertTensor(b.Grad!, [1, 4], [3, 4, 5, 6]);
    }

    [Fact]
    public void Cat_Backward_MatchesFiniteDifferences()
    {
        GradCheck.Assert(t => Tensor.Cat([t[0], t[1], t[2]], 1), Randn(14, 2, 1, 3), Randn(15, 2, 3, 3), Randn(16, 2, 2, 3));
        GradCheck.Assert(t => Tensor.Cat([t[0], t[1]]), Randn(17, 2, 3), Randn(18, 1, 3));
    }

    [Fact]
    public void Cat_RejectsBadInput()
    {
        var a = Tensor.Zeros([2, 3]);
        Assert.Contains("Cat: expected a non-empty list of tensors.", ArgumentErrorOf(() => Tensor.Cat([])));
        Assert.Contains("Cat: tensor 1 has dtype int64 but tensor 0 has float32; all tensors must have the same dtype.",
            ArgumentErrorOf(() => Tensor.Cat([a, Tensor.Zeros([2, 3], DType.Int64)])));
        Assert.Contains("Cat: tensor 1 has shape [2, 4] but tensor 0 has [2, 3]; sizes must match except in dimension 0 (they differ in dimension 1).",
            Assert.Throws<ShapeMismatchException>(() => Tensor.Cat([a, Tensor.Zeros([2, 4])])).Message);
        Assert.Contains("Cat: tensor 1 has 1 dimensions [3] but tensor 0 has 2 [2, 3]",
            ArgumentErrorOf(() => Tensor.Cat([a, Tensor.Zeros([3])])));
        Assert.Contains("Cat: tensor 0 is 0-dimensional", ArgumentErrorOf(() => Tensor.Cat([Tensor.Scalar(1)])));
    }

    [Fact]
    public void Stack_NewDimAtFrontMiddleAndEnd()
    {
        var a = Tensor.FromArray<double>([1, 2, 3, 4], [2, 2]);
        var b = Tensor.FromArray<double>([5, 6, 7, 8], [2, 2]);
        AssertTensor(Tensor.Stack([a, b]), [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
        AssertTensor(Tensor.Stack([a, b], 1), [2, 2, 2], [1, 2, 5, 6, 3, 4, 7, 8]);
        AssertTensor(Tensor.Stack([a, b], -1), [2, 2, 2], [1, 5, 2, 6, 3, 7, 4, 8]);
        Assert.Equal([3L, 4L, 3L, 4L], Tensor.Stack([I64([3, 4], 2), I64([3, 4], 2)]).ToArray<long>());
    }

    [Fact]
    public void Stack_Backward_MatchesFiniteDifferences() =>
        GradCheck.Assert(t => Tensor.Stack([t[0], t[1], t[0]], 1), Randn(19, 2, 3), Randn(20, 2, 3));

    [Fact]
    public void Stack_RejectsDifferentShapesAndBadDim()
    {
        Assert.Contains("Stack: tensor 1 has shape [3, 2] but tensor 0 has [2, 3]; all tensors must have the same shape.",
            ArgumentErrorOf(() => Tensor.Stack([Tensor.Zeros([2, 3]), Tensor.Zeros([3, 2])])));
        Assert.Contains("Stack: dimension 3 is out of range for tensors of rank 2 (expected -3..2)",
            ErrorOf<ArgumentOutOfRangeException>(() => Tensor.Stack([Tensor.Zeros([2, 3])], 3)));
    }

    // --- Split and Chunk ----------------------------------------------------------------------------------

    [Fact]
    public void Split_BySize_LastPieceSmallerAndViewsShareStorage()
    {
        var x = Tensor.Arange(0, 10, 1, DType.Float64).Reshape(5, 2);
        var parts = x.Split(2);
        Assert.Equal(3, parts.Length);
        AssertTensor(parts[0], [2, 2], [0, 1, 2, 3]);
        AssertTensor(parts[1], [2, 2], [4, 5, 6, 7]);
        AssertTensor(parts[2], [1, 2], [8, 9]);
        Assert.All(parts, p => Assert.True(p.SharesStorageWith(x)));
    }

    [Fact]
    public void Split_BySections_AlongLastDim()
    {
        var parts = Grid34().Split([1, 3], dim: -1);
        AssertTensor(parts[0], [3, 1], [0, 10, 20]);
        AssertTensor(parts[1], [3, 3], [1, 2, 3, 11, 12, 13, 21, 22, 23]);
    }

    [Fact]
    public void Split_RejectsSectionsNotSummingToSize()
    {
        Assert.Contains("Split: section sizes [2, 1] sum to 3 but dimension 1 of [3, 4] has size 4; they must sum exactly to it.",
            ArgumentErrorOf(() => Grid34().Split([2, 1], 1)));
        Assert.Contains("Split: splitSize must be positive; got 0", ErrorOf<ArgumentOutOfRangeException>(() => Grid34().Split(0)));
    }

    [Fact]
    public void Chunk_FollowsPyTorchSizeRule()
    {
        var x = Tensor.Arange(0, 6, 1, DType.Float64);
        Assert.Equal([2, 2, 2], x.Chunk(4).Select(c => c.Size(0)).ToArray());   // ⌈6/4⌉ = 2 → only 3 chunks
        Assert.Equal([2, 2, 2], x.Chunk(3).Select(c => c.Size(0)).ToArray());
        Assert.Equal([2, 2, 1], Tensor.Arange(0, 5, 1, DType.Float64).Chunk(3).Select(c => c.Size(0)).ToArray());
        var cols = Grid34().Chunk(3, 1);   // ⌈4/3⌉ = 2 → sizes 2, 2
        Assert.Equal(2, cols.Length);
        AssertTensor(cols[1], [3, 2], [2, 3, 12, 13, 22, 23]);
        Assert.Equal(3, Tensor.Zeros([0, 2]).Chunk(3).Length);
        Assert.Contains("Chunk: chunks must be positive; got 0", ErrorOf<ArgumentOutOfRangeException>(() => x.Chunk(0)));
    }

    [Fact]
    public void SplitAndChunk_Backward_MatchesFiniteDifferences()
    {
        GradCheck.Assert(t => t[0].Split(2, 1)[1].Mul(t[0].Chunk(2, 1)[0]), Randn(21, 2, 4));
        GradCheck.Assert(t => t[0].Split([1, 2], 0)[1], Randn(22, 3, 2));
    }

    // --- Pad ----------------------------------------------------------------------------------------------

    static Tensor Row0123() => Tensor.FromArray<double>([0, 1, 2, 3], [1, 1, 4]);

    [Fact]
    public void Pad_Constant_LastDimAndTwoDims()
    {
        var x = Tensor.FromArray<double>([1, 2, 3, 4, 5, 6], [2, 3]);
        AssertTensor(x.Pad([1, 2], value: 9), [2, 6], [9, 1, 2, 3, 9, 9, 9, 4, 5, 6, 9, 9]);
        AssertTensor(x.Pad([0, 1, 1, 0]), [3, 4], [0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0]);
    }

    [Fact]
    public void Pad_NegativeAmountsCrop()
    {
        var x = Tensor.FromArray<double>([1, 2, 3, 4, 5, 6], [2, 3]);
        AssertTensor(x.Pad([-1, 1]), [2, 3], [2, 3, 0, 5, 6, 0]);
        AssertTensor(x.Pad([0, 0, -1, 0]), [1, 3], [4, 5, 6]);
        AssertTensor(Row0123().Pad([-1, 1], "reflect"), [1, 1, 4], [1, 2, 3, 2]);
    }

    [Fact]
    public void Pad_Int64Data()
    {
        Assert.Equal([7L, 1L, 2L, 7L], I64([1, 2], 2).Pad([1, 1], value: 7).ToArray<long>());
        Assert.Equal([2L, 1L, 2L, 3L, 2L], I64([1, 2, 3], 1, 3).Pad([1, 1], "reflect").ToArray<long>());
    }

    [Fact]
    public void Pad_ReflectReplicateCircular_1D()
    {
        AssertTensor(Row0123().Pad([2, 1], "reflect"), [1, 1, 7], [2, 1, 0, 1, 2, 3, 2]);
        AssertTensor(Row0123().Pad([2, 1], "replicate"), [1, 1, 7], [0, 0, 0, 1, 2, 3, 3]);
        AssertTensor(Row0123().Pad([2, 1], "circular"), [1, 1, 7], [2, 3, 0, 1, 2, 3, 0]);
    }

    [Fact]
    public void Pad_Reflect2D_MirrorsRowsAndColumns()
    {
        // x[r, c] = 3r + c on a 3×3 grid; padded by 1 on each side, rows and columns read positions 1, 0, 1, 2, 1.
        var x = Tensor.Arange(0, 9, 1, DType.Float64).Reshape(1, 1, 3, 3);
        int[] map = [1, 0, 1, 2, 1];
        var expected = new double[25];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) expected[i * 5 + j] = 3 * map[i] + map[j];
        AssertTensor(x.Pad([1, 1, 1, 1], "reflect"), [1, 1, 5, 5], expected);
    }

    [Fact]
    public void Pad_Replicate_GradientCollectsEveryCopyOfTheEdge()
    {
        var x = Tensor.FromArray<double>([1, 2, 3], [1, 3], requiresGrad: true);
        x.Pad([2, 1], "replicate").Sum().Backward();   // [1, 1, 1, 2, 3, 3]
        AssertTensor(x.Grad!, [1, 3], [3, 1, 2]);
    }

    [Fact]
    public void Pad_Backward_MatchesFiniteDifferences()
    {
        GradCheck.Assert(t => t[0].Pad([1, -1, 2, 0], value: 0.5), Randn(23, 2, 3, 4));
        GradCheck.Assert(t => t[0].Pad([2, 1, 1, 2], "reflect"), Randn(24, 1, 2, 3, 4));
        GradCheck.Assert(t => t[0].Pad([3, 1], "replicate"), Randn(25, 2, 3));
        GradCheck.Assert(t => t[0].Pad([1, 2, 2, 0], "circular"), Randn(26, 2, 3, 3));
    }

    [Fact]
    public void Pad_RejectsBadPadding()
    {
        var x = Tensor.Zeros([1, 2, 3]);
        Assert.Contains("Pad: padding length must be divisible by 2", ArgumentErrorOf(() => x.Pad([1, 2, 3])));
        Assert.Contains("Pad: padding [1, 1, 1, 1, 1, 1, 1, 1] pads 4 dimensions but the input [1, 2, 3] has only 3.",
            ArgumentErrorOf(() => x.Pad([1, 1, 1, 1, 1, 1, 1, 1])));
        Assert.Contains("Pad: reflect padding (3, 0) must be less than the size 3 of dimension 2 of input [1, 2, 3].",
            ArgumentErrorOf(() => x.Pad([3, 0], "reflect")));
        Assert.Contains("Pad: padding (-2, -2) of dimension 2 (size 3) gives a negative output size -1.",
            ArgumentErrorOf(() => x.Pad([-2, -2])));
        Assert.Contains("Pad: \"reflect\" padding of 1 dimension(s) needs a 2-D or 3-D input",
            ArgumentErrorOf(() => Tensor.Zeros([3]).Pad([1, 1], "reflect")));
        Assert.Contains("Pad: unknown padding mode \"mirror\"",
            Assert.ThrowsAny<InvalidOperationException>(() => x.Pad([1, 1], "mirror")).Message);
        Assert.Contains("Pad: padding mode \"replicate\" doesn't take a value argument",
            ArgumentErrorOf(() => x.Pad([1, 1], "replicate", 2)));
    }

    // --- Sort and TopK ------------------------------------------------------------------------------------

    [Fact]
    public void Sort_IsStableInBothDirections()
    {
        var x = Tensor.FromArray<double>([3, 1, 2, 1, 3], [5]);
        var (v, i) = x.Sort();
        AssertTensor(v, [5], [1, 1, 2, 3, 3]);
        Assert.Equal([1L, 3L, 2L, 0L, 4L], i.ToArray<long>());
        (v, i) = x.Sort(descending: true);
        AssertTensor(v, [5], [3, 3, 2, 1, 1]);
        Assert.Equal([0L, 4L, 2L, 1L, 3L], i.ToArray<long>());
    }

    [Fact]
    public void Sort_NaNIsGreatest()
    {
        var x = F32([2f, float.NaN, -1f], 3);
        Assert.Equal([2L, 0L, 1L], x.Sort().Indices.ToArray<long>());
        Assert.Equal([1L, 0L, 2L], x.Sort(descending: true).Indices.ToArray<long>());
    }

    [Fact]
    public void Sort_ManyTiesAndNaNs_MatchesStableReferenceOrder()
    {
        var g = new Generator(9);
        var data = new double[200];
        for (int i = 0; i < data.Length; i++) data[i] = g.NextInt64(6) == 0 ? double.NaN : g.NextInt64(5);
        var x = Tensor.FromArray<double>(data, [2, 100]);
        foreach (bool descending in new[] { false, true })
        {
            var (v, idx) = x.Sort(1, descending);
            var indices = idx.ToArray<long>();
            for (int r = 0; r < 2; r++)
            {
                // NaN ranks above every number; OrderBy is stable, so ties keep ascending positions.
                Func<int, double> rank = j => double.IsNaN(data[r * 100 + j]) ? double.PositiveInfinity : data[r * 100 + j];
                var reference = descending
                    ? Enumerable.Range(0, 100).OrderByDescending(rank).ToArray()
                    : Enumerable.Range(0, 100).OrderBy(rank).ToArray();
                Assert.Equal(reference.Select(j => (long)j), indices.Skip(r * 100).Take(100));
                Assert.Equal(reference.Select(j => data[r * 100 + j]), Values(v).Skip(r * 100).Take(100));
            }
        }
    }

    [Fact]
    public void Sort_Dim0OfMatrixAndInt64()
    {
        var x = Tensor.FromArray<double>([3, 0, 1, 5, 2, 4], [3, 2]);
        var (v, i) = x.Sort(0);
        AssertTensor(v, [3, 2], [1, 0, 2, 4, 3, 5]);
        Assert.Equal([1L, 0L, 2L, 2L, 0L, 1L], i.ToArray<long>());
        Assert.Equal([9L, 4L, 1L], I64([4, 9, 1], 3).Sort(descending: true).Values.ToArray<long>());
        Assert.Equal([2L, 0L, 1L], I64([4, 9, 1], 3).ArgSort().ToArray<long>());
    }

    [Fact]
    public void Sort_Backward_ScattersThroughIndices()
    {
        var x = Tensor.FromArray<double>([3, 1, 2], [3], requiresGrad: true);
        x.Sort().Values.Mul(Tensor.FromArray<double>([10, 20, 30], [3])).Sum().Backward();   // sorted: 1, 2, 3
        AssertTensor(x.Grad!, [3], [30, 10, 20]);
    }

    [Fact]
    public void SortAndTopK_Backward_MatchesFiniteDifferences()
    {
        GradCheck.Assert(t => t[0].Sort(1, descending: true).Values, Randn(27, 3, 5));
        GradCheck.Assert(t => t[0].Sort(0).Values, Randn(28, 4, 2));
        GradCheck.Assert(t => t[0].TopK(2, 0).Values, Randn(29, 5, 3));
        GradCheck.Assert(t => t[0].TopK(3, largest: false).Values, Randn(30, 2, 6));
    }

    [Fact]
    public void TopK_LargestAndSmallest()
    {
        var x = Tensor.FromArray<double>([1, 5, 3, 5, 0, 2], [2, 3]);
        var (v, i) = x.TopK(2);
        AssertTensor(v, [2, 2], [5, 3, 5, 2]);
        Assert.Equal([1L, 2L, 0L, 2L], i.ToArray<long>());
        (v, i) = x.TopK(1, dim: 0, largest: false);
        AssertTensor(v, [1, 3], [1, 0, 2]);
        Assert.Equal([0L, 1L, 1L], i.ToArray<long>());
        Assert.Equal([2, 0], x.TopK(0).Values.Shape.ToArray());
    }

    [Fact]
    public void SortAndTopK_RejectBadArguments()
    {
        var x = Tensor.Zeros([2, 3]);
        Assert.Contains("TopK: k = 4 is out of range for dimension 1 of size 3 of input [2, 3] (expected 0..3).",
            ErrorOf<ArgumentOutOfRangeException>(() => x.TopK(4)));
        Assert.Contains("Sort: dimension 2 is out of range for a tensor of rank 2",
            ErrorOf<ArgumentOutOfRangeException>(() => x.Sort(2)));
        Assert.Contains("Sort: dtype bool is not supported", ArgumentErrorOf(() => Bools([true], 1).Sort()));
    }

    // --- Cumsum and Cumprod -------------------------------------------------------------------------------

    [Fact]
    public void Cumsum_AlongEachDim()
    {
        var x = Tensor.FromArray<double>([1, 2, 3, 4, 5, 6], [2, 3]);
        AssertTensor(x.Cumsum(1), [2, 3], [1, 3, 6, 4, 9, 15]);
        AssertTensor(x.Cumsum(0), [2, 3], [1, 2, 3, 5, 7, 9]);
        AssertTensor(x.T.Cumsum(-1), [3, 2], [1, 5, 2, 7, 3, 9]);
    }

    [Fact]
    public void Cumsum_IntegersGiveInt64()
    {
        var y = I32([1, 2, 3], 3).Cumsum(0);
        Assert.Equal(DType.Int64, y.DType);
        Assert.Equal([1L, 3L, 6L], y.ToArray<long>());
    }

    [Fact]
    public void Cumsum_Gradient_IsReverseCumsum()
    {
        var x = Tensor.FromArray<double>([1, 2, 3], [3], requiresGrad: true);
        x.Cumsum(0).Mul(Tensor.FromArray<double>([1, 10, 100], [3])).Sum().Backward();
        AssertTensor(x.Grad!, [3], [111, 110, 100]);
    }

    [Fact]
    public void Cumsum_Backward_MatchesFiniteDifferences()
    {
        GradCheck.Assert(t => t[0].Cumsum(1), Randn(31, 2, 5, 3));
        GradCheck.Assert(t => t[0].Cumsum(-1), Randn(32, 3, 4));
    }

    [Fact]
    public void Cumprod_ValuesAndGradientWithZeros()
    {
        AssertTensor(Tensor.FromArray<double>([2, 3, 0, 4], [4]).Cumprod(0), [4], [2, 6, 0, 0]);
        GradCheck.Assert(t => t[0].Cumprod(1), Randn(33, 2, 4));
        GradCheck.Assert(t => t[0].Cumprod(1), F64([2, 0, 3, 0.5, -1, 1.5, 0, 2], 2, 4));
        GradCheck.Assert(t => t[0].Cumprod(0), F64([0, 1, 2, 0, 3, 0], 3, 2));
    }

    // --- Multinomial --------------------------------------------------------------------------------------

    [Fact]
    public void Multinomial_WithReplacement_FollowsWeights()
    {
        var samples = Tensor.FromArray<double>([1, 0, 3], [3]).Multinomial(4000, replacement: true, new Generator(1)).ToArray<long>();
        Assert.Equal(4000, samples.Length);
        Assert.DoesNotContain(1L, samples);
        double share2 = samples.Count(s => s == 2) / 4000.0;
        Assert.InRange(share2, 0.72, 0.78);   // expected 0.75; 4σ ≈ 0.027
    }

    [Fact]
    public void Multinomial_WithoutReplacement_DrawsDistinctPositiveCategories()
    {
        var w = Tensor.FromArray<float>([0, 1, 2, 0, 5, 1, 1, 1, 1, 1], [2, 5]);
        var s = w.Multinomial(3, generator: new Generator(2));
        Assert.Equal([2, 3], s.Shape.ToArray());
        Assert.Equal(DType.Int64, s.DType);
        var v = s.ToArray<long>();
        var row0 = v[..3].Order().ToArray();
        Assert.Equal([1L, 2L, 4L], row0);   // the only positive categories of row 0
        Assert.Equal(3, v[3..].Distinct().Count());
        // The heaviest category comes first most of the time (P = 5/8 for row 0).
        int first4 = 0;
        var g = new Generator(3);
        for (int i = 0; i < 2000; i++) if (w.Multinomial(1, generator: g).ToArray<long>()[0] == 4) first4++;
        Assert.InRange(first4 / 2000.0, 0.59, 0.66);
    }

    [Fact]
    public void Multinomial_SameSeedSameSamples()
    {
        var w = Tensor.FromArray<double>([1, 2, 3, 4], [4]);
        Assert.Equal(w.Multinomial(10, true, new Generator(5)).ToArray<long>(), w.Multinomial(10, true, new Generator(5)).ToArray<long>());
    }

    [Fact]
    public void Multinomial_RejectsInvalidDistributions()
    {
        Assert.Contains("Multinomial: row 0 has weight -0.5 at category 1; weights must be finite and non-negative.",
            ArgumentErrorOf(() => Tensor.FromArray<double>([1, -0.5], [2]).Multinomial(1)));
        Assert.Contains("Multinomial: row 1 sums to 0",
            ArgumentErrorOf(() => Tensor.FromArray<double>([1, 1, 0, 0], [2, 2]).Multinomial(1)));
        Assert.Contains("Multinomial: cannot draw 4 samples without replacement from 3 categories",
            ArgumentErrorOf(() => Tensor.Ones([3]).Multinomial(4)));
        Assert.Contains("Multinomial: row 0 has only 1 categories with non-zero weight, fewer than the 2 samples",
            ArgumentErrorOf(() => Tensor.FromArray<double>([0, 1, 0], [3]).Multinomial(2)));
        Assert.Contains("Multinomial: dtype int64 is not supported", ArgumentErrorOf(() => I64([1, 2], 2).Multinomial(1)));
    }

    // --- float32, empty tensors -----------------------------------------------------------------------------

    /// <summary>One composition through every differentiable op here; its float32 gradient must match float64's.</summary>
    static Tensor Composite(Tensor x, Tensor w)
    {
        var picked = x.IndexSelect(1, I64([0, 2, 2, 3], 4)).Gather(0, I64([1, 0, 2, 1, 0, 0, 2, 2], 2, 4));   // [2, 4]
        var scattered = Tensor.Zeros([3, 4], x.DType).ScatterAdd(0, I64([0, 1, 0, 2, 1, 1, 0, 0], 2, 4), picked.Mul(w));
        var masked = scattered.MaskedFill(Bools([true, false, false, true], 4), 0.25);
        var chosen = Tensor.Where(Bools([true, false, true], 3, 1), masked, x.Exp());
        var joined = Tensor.Cat([chosen, x.Pad([1, 0], "reflect").Narrow(1, 0, 4)], 0);   // [6, 4]
        return joined.Pad([1, 1], value: 2).Cumsum(1).Sort(0, descending: true).Values.Cumprod(0).TopK(2, 1).Values;
    }

    [Fact]
    public void Float32Gradients_MatchFloat64()
    {
        var x64 = Randn(40, 3, 4);
        var w64 = Randn(41, 2, 4);
        var x32 = x64.Detach().To(DType.Float32).RequiresGrad_();
        var w32 = w64.Detach().To(DType.Float32).RequiresGrad_();
        var y64 = Composite(x64, w64);
        var y32 = Composite(x32, w32);
        Assert.Equal(DType.Float32, y32.DType);
        var v = Tensor.Randn(y64.Shape.ToArray(), DType.Float64, new Generator(42));
        y64.Mul(v).Sum().Backward();
        y32.Mul(v.To(DType.Float32)).Sum().Backward();
        Assert.True(y32.To(DType.Float64).AllClose(y64, rtol: 1e-4, atol: 1e-4));
        Assert.True(x32.Grad!.To(DType.Float64).AllClose(x64.Grad!, rtol: 1e-3, atol: 1e-3));
        Assert.True(w32.Grad!.To(DType.Float64).AllClose(w64.Grad!, rtol: 1e-3, atol: 1e-3));
    }

    [Fact]
    public void Composite_Backward_MatchesFiniteDifferences() =>
        GradCheck.Assert(t => Composite(t[0], t[1]), Randn(43, 3, 4), Randn(44, 2, 4));

    [Fact]
    public void EmptyTensors_GiveEmptyResults()
    {
        Assert.Equal([0, 4], Grid34().IndexSelect(0, I64([], 0)).Shape.ToArray());
        Assert.Equal([3, 0], Grid34().Gather(1, Tensor.Zeros([3, 0], DType.Int64)).Shape.ToArray());
        Assert.Equal([2, 3], Tensor.Cat([Tensor.Zeros([2, 0]), Tensor.Ones([2, 3])], 1).Shape.ToArray());
        Assert.Equal([2, 0], Tensor.Zeros([2, 0]).Cumsum(1).Shape.ToArray());
        Assert.Equal([2, 0], Tensor.Zeros([2, 0]).Sort().Values.Shape.ToArray());
        var x = Grid34(requiresGrad: true);
        x.IndexSelect(1, I64([], 0)).Sum().Backward();
        AssertTensor(x.Grad!, [3, 4], new double[12]);
    }

    [Fact]
    public void ScatterAdd_Int64Data()
    {
        var y = I64([1, 1, 1], 3).ScatterAdd(0, I64([2, 2, 0], 3), I64([5, 6, 7], 3));
        Assert.Equal([8L, 1L, 12L], y.ToArray<long>());
    }

    // --- OneHot and Repeat --------------------------------------------------------------------------------

    [Fact]
    public void OneHot_InfersOrTakesNumberOfClasses()
    {
        var y = I64([0, 2, 1], 3).OneHot();
        Assert.Equal([3, 3], y.Shape.ToArray());
        Assert.Equal([1L, 0, 0, 0, 0, 1, 0, 1, 0], y.ToArray<long>());
        var z = I32([3, 0], 2, 1).OneHot(4);
        Assert.Equal([2, 1, 4], z.Shape.ToArray());
        Assert.Equal([0L, 0, 0, 1, 1, 0, 0, 0], z.ToArray<long>());
    }

    [Fact]
    public void OneHot_RejectsOutOfRangeClasses()
    {
        Assert.Contains("OneHot: class value 3 is out of range for 3 classes (expected 0..2).",
            ErrorOf<ArgumentOutOfRangeException>(() => I64([0, 3], 2).OneHot(3)));
        Assert.Contains("OneHot: class value -1 at position 1 is negative",
            ErrorOf<ArgumentOutOfRangeException>(() => I64([0, -1], 2).OneHot()));
        Assert.Contains("OneHot: input has dtype float32; expected int64 or int32", ArgumentErrorOf(() => Tensor.Zeros([2]).OneHot()));
    }

    [Fact]
    public void Repeat_TilesAndAddsLeadingDims()
    {
        var x = Tensor.FromArray<double>([1, 2, 3], [3]);
        AssertTensor(x.Repeat(2, 2), [2, 6], [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
        var m = Tensor.FromArray<double>([1, 2, 3, 4], [2, 2]);
        AssertTensor(m.Repeat(2, 1), [4, 2], [1, 2, 3, 4, 1, 2, 3, 4]);
        Assert.Contains("Repeat: 1 repeat counts given for a tensor of rank 2", ArgumentErrorOf(() => m.Repeat(2)));
    }

    [Fact]
    public void Repeat_Backward_MatchesFiniteDifferences() =>
        GradCheck.Assert(t => t[0].Repeat(2, 1, 3), Randn(34, 2, 2));
}
