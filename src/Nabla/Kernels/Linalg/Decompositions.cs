namespace Nabla.Kernels.Linalg;

/// <summary>Dense matrix decompositions on row-major double spans (one matrix each). The tensor layer converts
/// float32 to double and back, so both dtypes get double-precision factorizations.</summary>
internal static class Decompositions
{
    /// <summary>Householder QR, reduced: A [m, n] = Q [m, k] · R [k, n], k = min(m, n); R upper triangular.</summary>
    /// <remarks>Reflectors Hⱼ = I − 2vvᵀ/(vᵀv) zero column j below the diagonal; Q = H₀H₁…Hₖ₋₁ applied to the first k
    /// columns of I. Signs follow LAPACK: R's diagonal may be negative.</remarks>
    public static void Qr(ReadOnlySpan<double> a, int m, int n, Span<double> q, Span<double> r)
    {
        int k = Math.Min(m, n);
        var work = a.ToArray();                       // becomes R in its upper part
        var vs = new double[k][];
        for (int j = 0; j < k; j++)
        {
            double norm = 0;
            for (int i = j; i < m; i++) norm += work[i * n + j] * work[i * n + j];
            norm = Math.Sqrt(norm);
            var v = new double[m - j];
            if (norm == 0) { vs[j] = v; continue; }
            double alpha = work[j * n + j] > 0 ? -norm : norm;   // avoid cancellation
            for (int i = j; i < m; i++) v[i - j] = work[i * n + j];
            v[0] -= alpha;
            double vv = 0;
            foreach (double x in v) vv += x * x;
            if (vv == 0) { vs[j] = new double[m - j]; continue; }
            for (int c = j; c < n; c++)
            {
                double dot = 0;
                for (int i = j; i < m; i++) dot += v[i - j] * work[i * n + c];
                double f = 2 * dot / vv;
                for (int i = j; i < m; i++) work[i * n + c] -= f * v[i - j];
            }
            for (int i = 0; i < v.Length; i++) v[i] /= Math.Sqrt(vv);   // unit vector: H = I − 2vvᵀ
            vs[j] = v;
        }
        for (int i = 0; i < k; i++)
            for (int c = 0; c < n; c++) r[i * n + c] = c >= i ? work[i * n + c] : 0;
        // Q = H₀…Hₖ₋₁ · I[:, :k]: apply the reflectors in reverse to the identity columns.
        q[..(m * k)].Clear();
        for (int i = 0; i < k; i++) q[i * k + i] = 1;
        for (int j = k - 1; j >= 0; j--)
        {
            var v = vs[j];
            for (int c = 0; c < k; c++)
            {
                double dot = 0;
                for (int i = j; i < m; i++) dot += v[i - j] * q[i * k + c];
                for (int i = j; i < m; i++) q[i * k + c] -= 2 * dot * v[i - j];
            }
        }
    }

    /// <summary>Cholesky: A = L·Lᵀ with L lower triangular (A symmetric positive definite). Returns the order of the
    /// first leading minor that is not positive, or 0 on success.</summary>
    public static int Cholesky(ReadOnlySpan<double> a, int n, Span<double> l)
    {
        l[..(n * n)].Clear();
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int p = 0; p < j; p++) d -= l[j * n + p] * l[j * n + p];
            if (!(d > 0)) return j + 1;
            double ljj = Math.Sqrt(d);
            l[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
                l[i * n + j] = s / ljj;
            }
        }
        return 0;
    }

    /// <summary>Solves A·X = B for A [n, n], B [n, k] by LU with partial pivoting. Returns false when A is singular.</summary>
    public static bool Solve(ReadOnlySpan<double> a, int n, ReadOnlySpan<double> b, int k, Span<double> x)
    {
        var lu = a.ToArray();
        b.CopyTo(x);
        double scale = 0;
        foreach (double v in lu) scale = Math.Max(scale, Math.Abs(v));
        double tiny = scale * n * 1e-15;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int i = col + 1; i < n; i++)
                if (Math.Abs(lu[i * n + col]) > Math.Abs(lu[pivot * n + col])) pivot = i;
            if (Math.Abs(lu[pivot * n + col]) <= tiny) return false;
            if (pivot != col)
            {
                for (int c = 0; c < n; c++) (lu[col * n + c], lu[pivot * n + c]) = (lu[pivot * n + c], lu[col * n + c]);
                for (int c = 0; c < k; c++) (x[col * k + c], x[pivot * k + c]) = (x[pivot * k + c], x[col * k + c]);
            }
            for (int i = col + 1; i < n; i++)
            {
                double f = lu[i * n + col] / lu[col * n + col];
                if (f == 0) continue;
                for (int c = col; c < n; c++) lu[i * n + c] -= f * lu[col * n + c];
                for (int c = 0; c < k; c++) x[i * k + c] -= f * x[col * k + c];
            }
        }
        for (int i = n - 1; i >= 0; i--)   // back substitution
            for (int c = 0; c < k; c++)
            {
                double s = x[i * k + c];
                for (int p = i + 1; p < n; p++) s -= lu[i * n + p] * x[p * k + c];
                x[i * k + c] = s / lu[i * n + i];
            }
        return true;
    }

    /// <summary>Symmetric eigendecomposition A = V·diag(λ)·Vᵀ by cyclic Jacobi rotations; λ ascending, V's columns
    /// the matching orthonormal eigenvectors. Reads only the lower triangle of A, as torch.linalg.eigh (UPLO='L').</summary>
    /// <remarks>Each rotation zeroes one off-diagonal pair; sweeps repeat until the off-diagonal mass is below
    /// machine precision relative to the diagonal. Jacobi is slower than tridiagonal QR but accurate to full
    /// relative precision even for tiny eigenvalues, which the Fréchet distance's matrix square root needs.</remarks>
    public static void Eigh(ReadOnlySpan<double> a, int n, Span<double> values, Span<double> vectors)
    {
        var s = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) s[i * n + j] = s[j * n + i] = a[i * n + j];
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++)
            {
                diag += s[i * n + i] * s[i * n + i];
                for (int j = i + 1; j < n; j++) off += s[i * n + j] * s[i * n + j];
            }
            if (off <= 1e-30 * Math.Max(diag, double.Epsilon)) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = s[p * n + q];
                    if (Math.Abs(apq) < 1e-300) continue;
                    double app = s[p * n + p], aqq = s[q * n + q];
                    // tan of the rotation angle that zeroes s[p,q]: t = sgn(θ)/(|θ| + √(θ²+1)), θ = (aqq − app)/(2apq).
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), sn = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double skp = s[k * n + p], skq = s[k * n + q];
                        s[k * n + p] = c * skp - sn * skq;
                        s[k * n + q] = sn * skp + c * skq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double spk = s[p * n + k], sqk = s[q * n + k];
                        s[p * n + k] = c * spk - sn * sqk;
                        s[q * n + k] = sn * spk + c * sqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k * n + p], vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - sn * vkq;
                        v[k * n + q] = sn * vkp + c * vkq;
                    }
                }
        }
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(order, (x, y) => s[x * n + x].CompareTo(s[y * n + y]));
        for (int j = 0; j < n; j++)
        {
            values[j] = s[order[j] * n + order[j]];
            for (int i = 0; i < n; i++) vectors[i * n + j] = v[i * n + order[j]];
        }
    }

    /// <summary>Reduced SVD A [m, n] = U [m, k] · diag(S) [k] · Vᵀ [k, n], k = min(m, n), S descending, by one-sided
    /// Jacobi (Hestenes): rotate pairs of columns until all are orthogonal; their norms are the singular values.</summary>
    public static void Svd(ReadOnlySpan<double> a, int m, int n, Span<double> u, Span<double> s, Span<double> vt)
    {
        if (m < n)
        {
            // Aᵀ = V S Uᵀ: decompose the transpose and swap the roles of U and V.
            var at = new double[n * m];
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) at[j * m + i] = a[i * n + j];
            var ut = new double[n * m];
            var vtt = new double[m * m];
            Svd(at, n, m, ut, s, vtt);
            // A = (Vtt)ᵀ·S·(Ut)ᵀ: U = Vttᵀ [m, m], Vᵀ = Utᵀ [m, n].
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) u[i * m + j] = vtt[j * m + i];
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) vt[i * n + j] = ut[j * m + i];
            return;
        }
        var w = a.ToArray();                 // columns become U·S
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int i = 0; i < m; i++)
                    {
                        double wp = w[i * n + p], wq = w[i * n + q];
                        alpha += wp * wp; beta += wq * wq; gamma += wp * wq;
                    }
                    if (Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta) || gamma == 0) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.Sign(zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    if (zeta == 0) t = 1;
                    double c = 1 / Math.Sqrt(1 + t * t), sn = c * t;
                    for (int i = 0; i < m; i++)
                    {
                        double wp = w[i * n + p], wq = w[i * n + q];
                        w[i * n + p] = c * wp - sn * wq;
                        w[i * n + q] = sn * wp + c * wq;
                    }
                    for (int i = 0; i < n; i++)
                    {
                        double vp = v[i * n + p], vq = v[i * n + q];
                        v[i * n + p] = c * vp - sn * vq;
                        v[i * n + q] = sn * vp + c * vq;
                    }
                }
            if (!rotated) break;
        }
        var norms = new double[n];
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int i = 0; i < m; i++) sum += w[i * n + j] * w[i * n + j];
            norms[j] = Math.Sqrt(sum);
        }
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(order, (x, y) => norms[y].CompareTo(norms[x]));
        for (int jj = 0; jj < n; jj++)
        {
            int j = order[jj];
            s[jj] = norms[j];
            for (int i = 0; i < m; i++) u[i * n + jj] = norms[j] > 0 ? w[i * n + j] / norms[j] : (i == jj ? 1 : 0);
            for (int i = 0; i < n; i++) vt[jj * n + i] = v[i * n + j];
        }
    }
}
