using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Gemm;

/// <summary>General matrix multiply, C = α·op(A)·op(B) + β·C, on row-major spans.</summary>
/// <remarks>
/// op(A) is m × k: A is stored [m, k] with row stride lda, or, when transA, [k, m] with row stride lda. op(B) is
/// k × n: B is stored [k, n], or, when transB, [n, k], with row stride ldb. C is [m, n] with row stride ldc.
/// β = 0 overwrites C without reading it (NaN garbage in C is ignored); α = 0 or k = 0 leaves β·C and reads
/// neither A nor B. Float32 runs the packed AVX-512/AVX2 kernels (<see cref="SgemmPacked"/>), on up to
/// <see cref="KernelOptions.MaxThreads"/> threads above <see cref="ParallelMinWork"/>; float64 runs a plain
/// vectorized loop (<see cref="DgemmDirect"/>) meant for gradient checks. Safe to call from several threads at once.
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>Below this many multiply-adds (m·n·k) the plain row loop of <see cref="SgemmDirect"/> beats the driver.</summary>
    /// <remarks>
    /// Measured: for every shape from 6 × 6 × 6 up, <see cref="SgemmPacked"/> was 2–10× faster than the row loop,
    /// because small operands are not packed there but read in place (n ≤ 32: A; m ≤ 32 with B stored [k, n]: B),
    /// so tiny problems already take a path without packing. Only below ~4 × 4 × 4 does the loop's lower fixed cost
    /// (0.01–0.05 µs against ~0.1 µs) win.
    /// </remarks>
    internal const long DirectMaxWork = 64;

    /// <summary>From this many multiply-adds (m·n·k) on, a matrix is split between threads.</summary>
    /// <remarks>
    /// Measured on 2 Zen 4 vCPUs, one thread against two in interleaved rounds, medians of 35: 48³ (0.11 M) 0.62×,
    /// 64³ (0.26 M) 1.26×, 128 × 10 × 256 (0.33 M) 1.47×, 96³ (0.88 M) 1.52×, 128³ (2.1 M) 1.76×, 192³ 1.84×.
    /// Two threads break even near 0.2 M; below 2¹⁸ the hand-off and the second copy of the shared operand's
    /// packing eat the gain.
    /// </remarks>
    internal const long ParallelMinWork = 1L << 18;

    /// <summary>From this many multiply-adds (~80 µs on one core) on, a sleeping worker thread is woken to help.</summary>
    /// <remarks>Waking one costs a system call and 10–50 µs before it runs (more on a busy host). Below this, a
    /// worker still spinning from recent work joins; a sleeping one is woken at most once a millisecond, to be
    /// spinning for the calls that follow (see <see cref="KernelWorker.TryClaim"/>).</remarks>
    internal const long WakeMinWork = 1L << 22;

    /// <summary>Float32 GEMM: C = α·op(A)·op(B) + β·C.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Sgemm(nameof(Sgemm), transA, transB, 1, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0);

    /// <summary>Float32 batched GEMM: C_i = α·op(A_i)·op(B_i) + β·C_i for i &lt; batch.</summary>
    /// <remarks>Matrix i of each operand starts i·stride elements in; a stride of 0 for A or B reuses one matrix
    /// for the whole batch (broadcasting).</remarks>
    public static void SgemmBatched(bool transA, bool transB, int batch, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB,
        float beta, Span<float> c, int ldc, long strideC) =>
        Sgemm(nameof(SgemmBatched), transA, transB, batch, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
            beta, c, ldc, strideC);

    /// <summary>Float64 GEMM: C = α·op(A)·op(B) + β·C.</summary>
    public static void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc) =>
        Dgemm(nameof(Dgemm), transA, transB, 1, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0);

    /// <summary>Float64 batched GEMM: C_i = α·op(A_i)·op(B_i) + β·C_i for i &lt; batch.</summary>
    /// <remarks>Strides as in <see cref="SgemmBatched"/>.</remarks>
    public static void DgemmBatched(bool transA, bool transB, int batch, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, long strideA, ReadOnlySpan<double> b, int ldb, long strideB,
        double beta, Span<double> c, int ldc, long strideC) =>
        Dgemm(nameof(DgemmBatched), transA, transB, batch, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
            beta, c, ldc, strideC);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sgemm(string op, bool transA, bool transB, int batch, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB,
        float beta, Span<float> c, int ldc, long strideC)
    {
        GemmArguments.Check(op, transA, transB, batch, m, n, k,
            a.Length, lda, strideA, b.Length, ldb, strideB, c.Length, ldc, strideC);
        if (batch == 0 || m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (alpha == 0 || k == 0)
            {
                for (int i = 0; i < batch; i++) SgemmDirect.Scale(m, n, beta, pc + i * strideC, ldc);
                return;
            }

            var job = new SgemmJob
            {
                TransA = transA, TransB = transB, M = m, N = n, K = k, Batch = batch,
                Alpha = alpha, Beta = beta, A = pa, B = pb, C = pc, Lda = lda, Ldb = ldb, Ldc = ldc,
                StrideA = strideA, StrideB = strideB, StrideC = strideC, Level = KernelOptions.X86Level,
            };
            RunSgemm(ref job);
        }
    }

    private static void Dgemm(string op, bool transA, bool transB, int batch, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, long strideA, ReadOnlySpan<double> b, int ldb, long strideB,
        double beta, Span<double> c, int ldc, long strideC)
    {
        GemmArguments.Check(op, transA, transB, batch, m, n, k,
            a.Length, lda, strideA, b.Length, ldb, strideB, c.Length, ldc, strideC);
        if (batch == 0 || m == 0 || n == 0) return;
        bool simd = KernelOptions.Avx2Enabled;
        fixed (double* pa = a, pb = b, pc = c)
        {
            for (int i = 0; i < batch; i++)
            {
                DgemmDirect.Multiply(transA, transB, m, n, k, alpha, pa + i * strideA, lda, pb + i * strideB, ldb,
                    beta, pc + i * strideC, ldc, simd);
            }
        }
    }

    /// <summary>Runs a float32 job: matrices one by one, each split across threads when large enough, or the
    /// batch split across threads when its matrices are small but many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSgemm(ref SgemmJob job)
    {
        int threads = Math.Min(KernelOptions.MaxThreads, Environment.ProcessorCount);
        long work = (long)job.M * job.N * job.K;
        bool force = KernelOptions.ForceParallel;
        bool parallel = threads > 1 && job.Level != SimdLevel.Scalar;

        if (parallel && (work >= ParallelMinWork || force) && Math.Max(job.M, job.N) > 16)
        {
            job.Split = job.N >= job.M ? GemmSplit.Columns : GemmSplit.Rows;
            SgemmJob single = job;
            for (int i = 0; i < job.Batch; i++)
            {
                single.A = job.A + i * job.StrideA;
                single.B = job.B + i * job.StrideB;
                single.C = job.C + i * job.StrideC;
                KernelThreads.Run(&SgemmJob.RunPart, &single, parts: threads, threads, work >= WakeMinWork);
            }

            return;
        }

        // Matrices of a batch may run side by side only if their C blocks do not overlap.
        bool disjoint = job.StrideC >= (long)(job.M - 1) * job.Ldc + job.N;
        if (parallel && job.Batch > 1 && disjoint && (work * job.Batch >= ParallelMinWork || force))
        {
            job.Split = GemmSplit.Batch;
            fixed (SgemmJob* state = &job)
                KernelThreads.Run(&SgemmJob.RunPart, state, parts: job.Batch, threads, work * job.Batch >= WakeMinWork);
            return;
        }

        for (int i = 0; i < job.Batch; i++) job.RunMatrix(i);
    }
}
