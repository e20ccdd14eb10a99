using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>Linear algebra checked by the identities that define each factorization.</summary>
public sealed class LinalgTests
{
    private static Tensor Random(int[] shape, int seed, DType dtype = DType.Float64) => Tensor.Randn(shape, dtype, new Generator(seed));

    private static void AssertClose(Tensor expected, Tensor actual, double tol)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.To(DType.Float64).ToArray<double>();
        var a = actual.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) <= tol, $"element {i}: expected {e[i]}, got {a[i]}");
    }

    private static Tensor Identity(int n, DType dtype) => Tensor.Eye(n, dtype: dtype);

    [Theory]
    [InlineData(5, 3)]
    [InlineData(3, 5)]
    [InlineData(4, 4)]
    public void Qr_ReconstructsA_WithOrthonormalQ_AndUpperTriangularR(int m, int n)
    {
        var a = Random([m, n], 1);
        var (q, r) = Linalg.Qr(a);
        int k = Math.Min(m, n);
        Assert.Equal([m, k], q.Shape);
        Assert.Equal([k, n], r.Shape);
        AssertClose(a, q.MatMul(r), 1e-12);                          // QR = A
        AssertClose(Identity(k, DType.Float64), q.T.MatMul(q), 1e-12);  // QᵀQ = I
        for (int i = 0; i < k; i++) for (int j = 0; j < i; j++) Assert.Equal(0, r[i, j]);
    }

    [Fact]
    public void Eigh_ReconstructsSymmetricA_WithAscendingEigenvalues()
    {
        var b = Random([6, 6], 2);
        var a = b.Add(b.T);                                       // symmetric
        var (w, v) = Linalg.Eigh(a);
        var values = w.ToArray<double>();
        for (int i = 1; i < values.Length; i++) Assert.True(values[i - 1] <= values[i]);
        AssertClose(a, v.Mul(w).MatMul(v.T), 1e-10);              // V·diag(λ)·Vᵀ = A
        AssertClose(Identity(6, DType.Float64), v.T.MatMul(v), 1e-10);
    }

    [Fact]
    public void Eigh_OfKnownMatrix_GivesKnownEigenvalues()
    {
        var a = Tensor.FromArray<double>([2, 1, 1, 2], [2, 2]);
        var (w, _) = Linalg.Eigh(a);
        Assert.Equal([1.0, 3.0], w.ToArray<double>().Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void Cholesky_ReconstructsPositiveDefiniteA()
    {
        var b = Random([5, 5], 3);
        var a = b.MatMul(b.T).Add(Tensor.Eye(5, dtype: DType.Float64));
        var l = Linalg.Cholesky(a);
        AssertClose(a, l.MatMul(l.T), 1e-12);                     // L·Lᵀ = A
        for (int i = 0; i < 5; i++) for (int j = i + 1; j < 5; j++) Assert.Equal(0, l[i, j]);
    }

    [Fact]
    public void Cholesky_RefusesIndefiniteMatrix_NamingTheMinor()
    {
        var a = Tensor.FromArray<double>([1, 2, 2, 1], [2, 2]);
        var e = Assert.Throws<ArgumentException>(() => Linalg.Cholesky(a));
        Assert.Contains("not positive definite (its leading minor of order 2 is not positive)", e.Message);
    }

    [Theory]
    [InlineData(DType.Float64, 1e-10)]
    [InlineData(DType.Float32, 1e-4)]
    public void Solve_SatisfiesAX_EqualsB_ForMatricesAndVectors(DType dtype, double tol)
    {
        var a = Random([4, 4], 4, dtype).Add(Tensor.Eye(4, dtype: dtype).Mul(4));
        var b = Random([4, 3], 5, dtype);
        AssertClose(b, a.MatMul(Linalg.Solve(a, b)), tol);
        var v = Random([4], 6, dtype);
        var x = Linalg.Solve(a, v);
        Assert.Equal([4], x.Shape);
        AssertClose(v, a.MatMul(x), tol);
    }

    [Fact]
    public void Solve_RefusesSingularMatrix()
    {
        var a = Tensor.FromArray<double>([1, 2, 2, 4], [2, 2]);
        var e = Assert.Throws<ArgumentException>(() => Linalg.Solve(a, Tensor.Ones([2], DType.Float64)));
        Assert.Contains("singular", e.Message);
    }

    [Theory]
    [InlineData(6, 4)]
    [InlineData(4, 6)]
    public void Svd_ReconstructsA_WithDescendingSingularValues(int m, int n)
    {
        var a = Random([m, n], 7);
        var (u, s, vh) = Linalg.Svd(a);
        int k = Math.Min(m, n);
        Assert.Equal([m, k], u.Shape);
        Assert.Equal([k], s.Shape);
        Assert.Equal([k, n], vh.Shape);
        var sv = s.ToArray<double>();
        for (int i = 1; i < k; i++) Assert.True(sv[i - 1] >= sv[i]);
        AssertClose(a, u.Mul(s).MatMul(vh), 1e-10);               // U·diag(S)·Vᵀ = A
        AssertClose(Identity(k, DType.Float64), u.T.MatMul(u), 1e-10);
        AssertClose(Identity(k, DType.Float64), vh.MatMul(vh.T), 1e-10);
    }

    [Fact]
    public void Svd_SingularValuesAreSquareRootsOfAtAEigenvalues()
    {
        var a = Random([5, 3], 8);
        var (_, s, _) = Linalg.Svd(a);
        var (w, _) = Linalg.Eigh(a.T.MatMul(a));
        var fromEig = w.ToArray<double>().Select(Math.Sqrt).OrderDescending().ToArray();
        var sv = s.ToArray<double>();
        for (int i = 0; i < 3; i++) Assert.Equal(fromEig[i], sv[i], 1e-10);
    }

    [Fact]
    public void Batched_Qr_FactorsEachMatrix()
    {
        var a = Random([3, 4, 2], 9);
        var (q, r) = Linalg.Qr(a);
        Assert.Equal([3, 4, 2], q.Shape);
        AssertClose(a, q.MatMul(r), 1e-12);
    }

    [Fact]
    public void Eigh_RejectsNonSquare()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Linalg.Eigh(Tensor.Zeros([2, 3], DType.Float64)));
        Assert.Contains("Eigh: expects square matrices [..., n, n]; got [2, 3]", e.Message);
    }
}
