namespace Nabla.Kernels;

/// <summary>The widest instruction set a kernel may use; a kernel runs the widest path at or below it.</summary>
internal enum SimdLevel
{
    /// <summary>Plain scalar loops: the reference behaviour, used when SIMD is switched off.</summary>
    Scalar = 0,

    /// <summary>Vector256 with FMA (AVX2).</summary>
    Avx2 = 1,

    /// <summary>Vector512 with FMA (AVX-512F).</summary>
    Avx512 = 2,
}
