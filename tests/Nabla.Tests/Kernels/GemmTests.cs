using Nabla.Kernels;
using Nabla.Kernels.Gemm;

namespace Nabla.Tests.Kernels;

/// <summary>The GEMM kernels against the triple-loop <see cref="GemmReference"/>, on every SIMD path and thread count.</summary>
public sealed class GemmTests
{
    // Shapes chosen to hit every branch of the drivers: 1×1×1; GEMV rows and columns (m or n = 1); the tiny direct
    // path (m·n·k < 32768); edge tiles in m and n (not multiples of 16 or 6); n ≤ 32 and m ≤ 32, where A or B is read
    // in place; narrow C computed as Cᵀ (n = 10, n = 100 beside m = 64); several k blocks (k > 384); several m blocks
    // (m > 96); two column blocks (n > 4096).
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 7, 3 }, { 5, 1, 9 }, { 17, 33, 5 }, { 16, 16, 16 }, { 31, 17, 64 }, { 33, 65, 129 },
        { 64, 10, 200 }, { 10, 64, 200 }, { 96, 96, 96 }, { 100, 37, 400 }, { 130, 70, 50 }, { 6, 48, 120 },
        { 48, 6, 120 }, { 200, 150, 90 }, { 1, 300, 200 }, { 300, 1, 200 }, { 2, 300, 500 }, { 128, 10, 256 },
        { 16, 160, 300 }, { 64, 100, 60 }, { 3, 4100, 4 }, { 33, 40, 800 },
    };

    public static TheoryData<int, int, int, bool, bool> ShapesAndTransposes
    {
        get
        {
            var data = new TheoryData<int, int, int, bool, bool>();
            foreach (var row in Shapes)
            {
                var (m, n, k) = ((int)row[0], (int)row[1], (int)row[2]);
                data.Add(m, n, k, false, false);
                data.Add(m, n, k, true, false);
                data.Add(m, n, k, false, true);
                data.Add(m, n, k, true, true);
            }

            return data;
        }
    }

    static readonly SimdLevel[] Levels = [SimdLevel.Scalar, SimdLevel.Avx2, SimdLevel.Avx512];

    [Theory, MemberData(nameof(ShapesAndTransposes))]
    public void Sgemm_MatchesReference_OnEveryPathAndThreadCount(int m, int n, int k, bool transA, bool transB)
    {
        var problem = Problem.Create(m, n, k, transA, transB, seed: m * 7919 + n * 31 + k, pad: (m + k) % 3);
        foreach (SimdLevel level in Levels)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                float[] c = problem.RunSgemm(alpha: -1.5f, beta: 0.5f, level, threads);
                problem.AssertMatchesReference(c, alpha: -1.5f, beta: 0.5f, $"{level}, {threads} thread(s)");
            }
        }
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(1f, 1f)]
    [InlineData(2f, -1f)]
    [InlineData(-0.5f, 0.25f)]
    public void Sgemm_AppliesAlphaAndBeta(float alpha, float beta)
    {
        foreach (var (m, n, k) in new[] { (7, 5, 3), (40, 33, 70), (130, 50, 400) })
        {
            var problem = Problem.Create(m, n, k, transA: false, transB: true, seed: 11, pad: 1);
            foreach (SimdLevel level in Levels)
            {
                float[] c = problem.RunSgemm(alpha, beta, level, threads: 1);
                problem.AssertMatchesReference(c, alpha, beta, $"{m}×{n}×{k}, {level}");
            }
        }
    }

    [Fact]
    public void Sgemm_BetaZero_OverwritesNaNInC()
    {
        foreach (var (m, n, k) in new[] { (3, 3, 3), (1, 50, 40), (50, 1, 40), (70, 45, 90) })
        {
            foreach (SimdLevel level in Levels)
            {
                var problem = Problem.Create(m, n, k, transA: true, transB: false, seed: 5, pad: 0);
                Array.Fill(problem.C, float.NaN);
                float[] c = problem.RunSgemm(alpha: 1f, beta: 0f, level, threads: 2);
                Assert.All(c, value => Assert.True(float.IsFinite(value), $"{m}×{n}×{k}, {level}: C kept a NaN"));
                Array.Fill(problem.C, 0f);
                problem.AssertMatchesReference(c, alpha: 1f, beta: 0f, $"{m}×{n}×{k}, {level}");
            }
        }
    }

    [Fact]
    public void Sgemm_AlphaZeroOrEmptyK_ScalesCWithoutReadingAOrB()
    {
        float[] nanA = [float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN];
        float[] c = [1, 2, 3, 4];
        Gemm.Sgemm(false, false, 2, 2, 3, 0f, nanA, 3, nanA, 2, 0.5f, c, 2);
        Assert.Equal([0.5f, 1, 1.5f, 2], c);

        Gemm.Sgemm(false, false, 2, 2, 0, 1f, [], 1, [], 2, 0f, c, 2);
        Assert.Equal([0f, 0, 0, 0], c);
    }

    [Fact]
    public void Sgemm_KnownProduct_GivesExactValues()
    {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        float[] a = [1, 2, 3, 4, 5, 6], b = [7, 8, 9, 10, 11, 12], c = new float[4];
        Gemm.Sgemm(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, c, 2);
        Assert.Equal([58f, 64, 139, 154], c);

        // The same product from Aᵀ and Bᵀ as stored: Aᵀ is [1 4; 2 5; 3 6], Bᵀ is [7 9 11; 8 10 12].
        float[] at = [1, 4, 2, 5, 3, 6], bt = [7, 9, 11, 8, 10, 12], ct = new float[4];
        Gemm.Sgemm(true, true, 2, 2, 3, 1f, at, 2, bt, 3, 0f, ct, 2);
        Assert.Equal([58f, 64, 139, 154], ct);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void SgemmBatched_MatchesReferencePerMatrix_WithBroadcastOperands(bool broadcastA, bool broadcastB)
    {
        const int batch = 5, m = 20, n = 30, k = 40;
        var rng = new Random(3);
        long strideA = broadcastA ? 0 : m * k, strideB = broadcastB ? 0 : k * n, strideC = m * n + 3;
        float[] a = Random(rng, broadcastA ? m * k : batch * m * k);
        float[] b = Random(rng, broadcastB ? k * n : batch * k * n);
        float[] c0 = Random(rng, (int)(batch * strideC));
        foreach (SimdLevel level in Levels)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                float[] c = (float[])c0.Clone();
                using (KernelOptions.OverrideForTesting(level, threads, forceParallel: threads > 1))
                    Gemm.SgemmBatched(false, false, batch, m, n, k, 2f, a, k, strideA, b, n, strideB, 0.5f, c, n, strideC);

                float[] expected = (float[])c0.Clone();
                for (int i = 0; i < batch; i++)
                {
                    GemmReference.Sgemm(false, false, m, n, k, 2f, a.AsSpan((int)(i * strideA)), k,
                        b.AsSpan((int)(i * strideB)), n, 0.5f, expected.AsSpan((int)(i * strideC)), n);
                }

                for (int i = 0; i < c.Length; i++)
                    Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"{level}, {threads} thread(s): element {i} is {c[i]}, expected {expected[i]}");
            }
        }
    }

    [Theory, MemberData(nameof(ShapesAndTransposes))]
    public void Dgemm_MatchesReference(int m, int n, int k, bool transA, bool transB)
    {
        var rng = new Random(m * 131 + n * 17 + k);
        int lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 1;
        double[] a = RandomDoubles(rng, (transA ? k : m) * lda), b = RandomDoubles(rng, (transB ? n : k) * ldb);
        double[] c0 = RandomDoubles(rng, m * ldc);
        foreach (SimdLevel level in Levels)
        {
            double[] c = (double[])c0.Clone(), expected = (double[])c0.Clone();
            using (KernelOptions.OverrideForTesting(level))
                Gemm.Dgemm(transA, transB, m, n, k, 0.75, a, lda, b, ldb, -1.25, c, ldc);
            GemmReference.Dgemm(transA, transB, m, n, k, 0.75, a, lda, b, ldb, -1.25, expected, ldc);
            for (int i = 0; i < c.Length; i++)
                Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-13 * (k + 4) * (1 + Math.Abs(expected[i])), $"{level}: element {i} is {c[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void DgemmBatched_BroadcastsA_AndBetaZeroOverwritesNaN()
    {
        const int batch = 3, m = 4, n = 5, k = 6;
        var rng = new Random(8);
        double[] a = RandomDoubles(rng, m * k), b = RandomDoubles(rng, batch * k * n);
        double[] c = new double[batch * m * n];
        Array.Fill(c, double.NaN);
        Gemm.DgemmBatched(false, false, batch, m, n, k, 1.0, a, k, 0, b, n, k * n, 0.0, c, n, m * n);
        for (int i = 0; i < batch; i++)
        {
            double[] expected = new double[m * n];
            GemmReference.Dgemm(false, false, m, n, k, 1.0, a, k, b.AsSpan(i * k * n), n, 0.0, expected, n);
            for (int j = 0; j < m * n; j++) Assert.Equal(expected[j], c[i * m * n + j], 1e-12);
        }
    }

    [Fact]
    public void Sgemm_ConcurrentCallers_EachGetTheirOwnCorrectResult()
    {
        var problems = Enumerable.Range(0, 6)
            .Select(i => Problem.Create(60 + 13 * i, 70 - 5 * i, 90 + i, transA: i % 2 == 0, transB: i % 3 == 0, seed: i, pad: i % 2))
            .ToArray();
        Parallel.For(0, problems.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, index =>
        {
            Problem problem = problems[index % problems.Length];
            float[] c = problem.RunSgemm(alpha: 1f, beta: 1f, SimdLevel.Avx512, threads: 2);
            problem.AssertMatchesReference(c, alpha: 1f, beta: 1f, $"caller {index}");
        });
    }

    [Fact]
    public void Sgemm_SteadyState_AllocatesNoManagedMemory()
    {
        var problem = Problem.Create(150, 140, 400, transA: false, transB: true, seed: 2, pad: 0);
        float[] c = new float[problem.C.Length];
        foreach (int threads in new[] { 1, 2 })
        {
            using (KernelOptions.OverrideForTesting(threads: threads))
            {
                problem.Multiply(c, 1f, 0f);   // grows this thread's packing buffers
                problem.Multiply(c, 1f, 0f);
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 3; i++) problem.Multiply(c, 1f, 0f);
                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        }
    }

    [Fact]
    public void Sgemm_ThrowsNamingTheOperandThatDoesNotFit()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, 3, 4, 5, 1f, new float[14], 5, new float[20], 4, 0f, new float[12], 4));
        Assert.Equal("Sgemm: A needs 15 elements (1 × 3×5, row stride 5, matrix stride 0) but its span holds 14.", error.Message);

        error = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, true, 3, 4, 5, 1f, new float[15], 5, new float[20], 4, 0f, new float[12], 4));
        Assert.Equal("Sgemm: B is stored 4×5 with row stride 4; the row stride must be at least 5.", error.Message);
    }

    [Fact]
    public void OverrideForTesting_NarrowsThisThreadAndRestores()
    {
        bool avx512 = KernelOptions.Avx512Enabled, simd = KernelOptions.SimdEnabled;
        int threads = KernelOptions.MaxThreads;
        using (KernelOptions.OverrideForTesting(SimdLevel.Scalar, threads: 1))
        {
            Assert.False(KernelOptions.SimdEnabled);
            Assert.False(KernelOptions.Avx2Enabled);
            Assert.False(KernelOptions.Avx512Enabled);
            Assert.Equal(SimdLevel.Scalar, KernelOptions.X86Level);
            Assert.Equal(1, KernelOptions.MaxThreads);
            using (KernelOptions.OverrideForTesting(SimdLevel.Avx2))
                Assert.False(KernelOptions.Avx512Enabled);
            Assert.False(KernelOptions.SimdEnabled);
        }

        Assert.Equal(avx512, KernelOptions.Avx512Enabled);
        Assert.Equal(simd, KernelOptions.SimdEnabled);
        Assert.Equal(threads, KernelOptions.MaxThreads);
    }

    static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    static double[] RandomDoubles(Random rng, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = rng.NextDouble() * 2 - 1;
        return values;
    }

    /// <summary>One float32 GEMM problem with padded row strides; padding holds a sentinel the kernels must keep.</summary>
    sealed class Problem
    {
        const float Sentinel = 12345f;

        public required int M, N, K, Lda, Ldb, Ldc;
        public required bool TransA, TransB;
        public required float[] A, B, C;

        public static Problem Create(int m, int n, int k, bool transA, bool transB, int seed, int pad)
        {
            var rng = new Random(seed);
            int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
            float[] c = Random(rng, m * ldc);
            for (int i = 0; i < m; i++)
                for (int j = n; j < ldc; j++) c[i * ldc + j] = Sentinel;
            return new Problem
            {
                M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc, TransA = transA, TransB = transB,
                A = Random(rng, (transA ? k : m) * lda), B = Random(rng, (transB ? n : k) * ldb), C = c,
            };
        }

        public void Multiply(float[] c, float alpha, float beta) =>
            Gemm.Sgemm(TransA, TransB, M, N, K, alpha, A, Lda, B, Ldb, beta, c, Ldc);

        /// <summary>A copy of C after Sgemm on at most <paramref name="level"/>, split across threads when 2.</summary>
        public float[] RunSgemm(float alpha, float beta, SimdLevel level, int threads)
        {
            float[] c = (float[])C.Clone();
            using (KernelOptions.OverrideForTesting(level, threads, forceParallel: threads > 1))
                Multiply(c, alpha, beta);
            return c;
        }

        /// <summary>
        /// Each element within the float32 rounding bound of the reference: |error| ≤ (k + 4)·2⁻²³·(|α|·Σ_p|a||b| +
        /// |β·c|), computed by running the reference on absolute values; padding untouched.
        /// </summary>
        public void AssertMatchesReference(float[] actual, float alpha, float beta, string context)
        {
            float[] expected = (float[])C.Clone(), bound = Array.ConvertAll(C, Math.Abs);
            GemmReference.Sgemm(TransA, TransB, M, N, K, alpha, A, Lda, B, Ldb, beta, expected, Ldc);
            GemmReference.Sgemm(TransA, TransB, M, N, K, Math.Abs(alpha), Array.ConvertAll(A, Math.Abs), Lda,
                Array.ConvertAll(B, Math.Abs), Ldb, Math.Abs(beta), bound, Ldc);
            for (int i = 0; i < M; i++)
            {
                for (int j = 0; j < Ldc; j++)
                {
                    int at = i * Ldc + j;
                    if (j >= N)
                    {
                        Assert.True(actual[at] == Sentinel, $"{Describe(context)}: padding C[{i}, {j}] was overwritten with {actual[at]}");
                        continue;
                    }

                    double tolerance = (K + 4) * 1.2e-7 * bound[at] + 1e-30;
                    Assert.True(Math.Abs(actual[at] - expected[at]) <= tolerance,
                        $"{Describe(context)}: C[{i}, {j}] is {actual[at]}, expected {expected[at]} ± {tolerance:G3}");
                }
            }
        }

        string Describe(string context) =>
            $"{(TransA ? "Aᵀ" : "A")}·{(TransB ? "Bᵀ" : "B")} {M}×{N}×{K} (lda {Lda}, ldb {Ldb}, ldc {Ldc}), {context}";
    }
}
