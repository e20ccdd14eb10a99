using Nabla.Kernels.Linalg;

namespace Nabla.Tensors;

/// <summary>Linear algebra on float32 and float64 tensors (<c>torch.linalg</c>): QR, symmetric eigendecomposition,
/// Cholesky, solve and SVD. Leading dimensions are batches. Factorizations run in double precision and return the
/// input's dtype. They are not differentiable.</summary>
public static class Linalg
{
    /// <summary>Reduced QR: A [..., m, n] = Q [..., m, k] · R [..., k, n], k = min(m, n), Q with orthonormal columns,
    /// R upper triangular (<c>torch.linalg.qr(A, mode='reduced')</c>).</summary>
    public static (Tensor Q, Tensor R) Qr(Tensor a)
    {
        var (m, n, batch) = Matrix("Qr", a);
        int k = Math.Min(m, n);
        var src = ToDouble(a);
        var q = new double[batch * m * k];
        var r = new double[batch * k * n];
        for (int b = 0; b < batch; b++)
            Decompositions.Qr(src.AsSpan(b * m * n, m * n), m, n, q.AsSpan(b * m * k, m * k), r.AsSpan(b * k * n, k * n));
        return (FromDouble(q, a, m, k), FromDouble(r, a, k, n));
    }

    /// <summary>Eigenvalues (ascending) and orthonormal eigenvectors (columns) of symmetric A [..., n, n]:
    /// A = V·diag(λ)·Vᵀ (<c>torch.linalg.eigh</c>; the lower triangle is read).</summary>
    public static (Tensor Eigenvalues, Tensor Eigenvectors) Eigh(Tensor a)
    {
        var (n, n2, batch) = Matrix("Eigh", a);
        Square("Eigh", a, n, n2);
        var src = ToDouble(a);
        var w = new double[batch * n];
        var v = new double[batch * n * n];
        for (int b = 0; b < batch; b++)
            Decompositions.Eigh(src.AsSpan(b * n * n, n * n), n, w.AsSpan(b * n, n), v.AsSpan(b * n * n, n * n));
        var valueShape = a.shape[..^1];
        return (Tensor.FromArray<double>(w, valueShape).ToRaw(a.DType), FromDouble(v, a, n, n));
    }

    /// <summary>Lower-triangular L with A = L·Lᵀ for symmetric positive-definite A [..., n, n] (<c>torch.linalg.cholesky</c>).</summary>
    public static Tensor Cholesky(Tensor a)
    {
        var (n, n2, batch) = Matrix("Cholesky", a);
        Square("Cholesky", a, n, n2);
        var src = ToDouble(a);
        var l = new double[batch * n * n];
        for (int b = 0; b < batch; b++)
        {
            int bad = Decompositions.Cholesky(src.AsSpan(b * n * n, n * n), n, l.AsSpan(b * n * n, n * n));
            if (bad > 0)
                throw new ArgumentException($"Cholesky: the matrix{(batch > 1 ? $" at batch index {b}" : "")} is not positive definite (its leading minor of order {bad} is not positive).");
        }
        return FromDouble(l, a, n, n);
    }

    /// <summary>X with A·X = B for square A [..., n, n] and B [..., n, k] or [..., n] (<c>torch.linalg.solve</c>).</summary>
    public static Tensor Solve(Tensor a, Tensor b)
    {
        var (n, n2, batch) = Matrix("Solve", a);
        Square("Solve", a, n, n2);
        bool vector = b.Dim == a.Dim - 1;
        var b2 = vector ? b.ReshapeRaw([.. b.shape, 1]) : b;
        if (b2.Dim != a.Dim || b2.shape[^2] != n || ShapeUtil.NumEl(b2.shape.AsSpan(0, b2.Dim - 2)) != batch)
            throw new ShapeMismatchException("Solve", $"[..., {n}, k] or [..., {n}]", ShapeUtil.Format(b.ShapeSpan),
                $"Solve: A is {ShapeUtil.Format(a.ShapeSpan)}, so B must be [..., {n}, k] or [..., {n}] with the same batch; got {ShapeUtil.Format(b.ShapeSpan)}.");
        if (b.DType != a.DType) Throw.Argument($"Solve: A is {a.DType.TorchName()} but B is {b.DType.TorchName()}.");
        int k = b2.shape[^1];
        var sa = ToDouble(a);
        var sb = ToDouble(b2);
        var x = new double[batch * n * k];
        for (int i = 0; i < batch; i++)
            if (!Decompositions.Solve(sa.AsSpan(i * n * n, n * n), n, sb.AsSpan(i * n * k, n * k), k, x.AsSpan(i * n * k, n * k)))
                throw new ArgumentException($"Solve: the matrix A{(batch > 1 ? $" at batch index {i}" : "")} is singular.");
        var result = FromDouble(x, b2, n, k);
        return vector ? result.ReshapeRaw(b.shape) : result;
    }

    /// <summary>Reduced SVD A [..., m, n] = U [..., m, k] · diag(S) [..., k] · Vᵀ [..., k, n], S descending
    /// (<c>torch.linalg.svd(A, full_matrices=False)</c>).</summary>
    public static (Tensor U, Tensor S, Tensor Vh) Svd(Tensor a)
    {
        var (m, n, batch) = Matrix("Svd", a);
        int k = Math.Min(m, n);
        var src = ToDouble(a);
        var u = new double[batch * m * k];
        var s = new double[batch * k];
        var vt = new double[batch * k * n];
        for (int b = 0; b < batch; b++)
            Decompositions.Svd(src.AsSpan(b * m * n, m * n), m, n, u.AsSpan(b * m * k, m * k), s.AsSpan(b * k, k), vt.AsSpan(b * k * n, k * n));
        var sShape = a.shape[..^1];
        sShape[^1] = k;
        return (FromDouble(u, a, m, k), Tensor.FromArray<double>(s, sShape).ToRaw(a.DType), FromDouble(vt, a, k, n));
    }

    private static (int Rows, int Cols, int Batch) Matrix(string op, Tensor a)
    {
        if (a.Dim < 2)
            throw new ShapeMismatchException(op, "[..., m, n]", ShapeUtil.Format(a.ShapeSpan), $"{op}: expects a matrix or a batch of matrices [..., m, n]; got {ShapeUtil.Format(a.ShapeSpan)}.");
        if (!a.DType.IsFloatingPoint()) Throw.DType(op, a.DType, "float32 or float64");
        return (a.shape[^2], a.shape[^1], ShapeUtil.NumEl(a.shape.AsSpan(0, a.Dim - 2)));
    }

    private static void Square(string op, Tensor a, int rows, int cols)
    {
        if (rows != cols)
            throw new ShapeMismatchException(op, "square [..., n, n]", ShapeUtil.Format(a.ShapeSpan), $"{op}: expects square matrices [..., n, n]; got {ShapeUtil.Format(a.ShapeSpan)}.");
    }

    private static double[] ToDouble(Tensor t) => t.ToRaw(DType.Float64).Span<double>().ToArray();

    private static Tensor FromDouble(double[] data, Tensor like, int rows, int cols)
    {
        var shape = (int[])like.shape.Clone();
        (shape[^2], shape[^1]) = (rows, cols);
        return Tensor.FromArray<double>(data, shape).ToRaw(like.DType);
    }
}
