namespace Nabla.Kernels.Gemm;

/// <summary>A row count known when the JIT specializes a micro-kernel for it, so unused accumulators vanish.</summary>
/// <remarks>Generic code over a struct implementing this is compiled once per struct, with <see cref="Value"/>
/// folded to a constant: one micro-kernel source yields exact kernels for edge tiles of 1..16 rows.</remarks>
internal interface IRowCount
{
    /// <summary>The number of rows.</summary>
    static abstract int Value { get; }
}

/// <summary>1 row(s).</summary>
internal readonly struct Rows1 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 1;
}

/// <summary>2 row(s).</summary>
internal readonly struct Rows2 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 2;
}

/// <summary>3 row(s).</summary>
internal readonly struct Rows3 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 3;
}

/// <summary>4 row(s).</summary>
internal readonly struct Rows4 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 4;
}

/// <summary>5 row(s).</summary>
internal readonly struct Rows5 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 5;
}

/// <summary>6 row(s).</summary>
internal readonly struct Rows6 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 6;
}

/// <summary>7 row(s).</summary>
internal readonly struct Rows7 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 7;
}

/// <summary>8 row(s).</summary>
internal readonly struct Rows8 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 8;
}

/// <summary>9 row(s).</summary>
internal readonly struct Rows9 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 9;
}

/// <summary>10 row(s).</summary>
internal readonly struct Rows10 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 10;
}

/// <summary>11 row(s).</summary>
internal readonly struct Rows11 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 11;
}

/// <summary>12 row(s).</summary>
internal readonly struct Rows12 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 12;
}

/// <summary>13 row(s).</summary>
internal readonly struct Rows13 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 13;
}

/// <summary>14 row(s).</summary>
internal readonly struct Rows14 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 14;
}

/// <summary>15 row(s).</summary>
internal readonly struct Rows15 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 15;
}

/// <summary>16 row(s).</summary>
internal readonly struct Rows16 : IRowCount
{
    /// <inheritdoc/>
    public static int Value => 16;
}
