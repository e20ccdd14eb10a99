using System.Globalization;
using System.Text;

namespace Nabla.Tensors;

// PyTorch-style printing: nested brackets, aligned columns, and "..." for large tensors.
public partial class Tensor
{
    private const int SummarizeThreshold = 1000;   // PyTorch's print threshold
    private const int EdgeItems = 3;

    /// <summary>Formats like PyTorch's repr: values (abbreviated above 1000 elements), then shape, dtype and grad_fn.</summary>
    public override string ToString()
    {
        bool summarize = NumEl > SummarizeThreshold;
        bool isFloat = DType.IsFloatingPoint();
        // Choose the format from the printed values: fixed with 4 decimals unless magnitudes call for exponent form.
        double maxAbs = 0, minAbs = double.MaxValue;
        bool allInt = true;
        if (NumEl > 0 && DType != DType.Complex64)
        {
            var c = ContiguousRaw();
            for (int i = 0; i < NumEl; i++)
            {
                double v = c.GetAsDouble(c.Offset + i);
                if (!double.IsFinite(v)) continue;
                double a = Math.Abs(v);
                maxAbs = Math.Max(maxAbs, a);
                if (a > 0) minAbs = Math.Min(minAbs, a);
                if (v != Math.Floor(v)) allInt = false;
            }
        }
        bool sci = isFloat && (maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs != double.MaxValue) || (maxAbs > 0 && maxAbs / minAbs > 1000 && minAbs < 1e-2));
        string Fmt(double v)
        {
            if (DType == DType.Bool) return v != 0 ? "True" : "False";
            if (!isFloat) return ((long)v).ToString(CultureInfo.InvariantCulture);
            if (double.IsNaN(v)) return "nan";
            if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
            if (sci) return v.ToString("0.0000e+00", CultureInfo.InvariantCulture);
            if (allInt) return v.ToString("0", CultureInfo.InvariantCulture) + ".";
            return v.ToString("0.0000", CultureInfo.InvariantCulture);
        }
        string Element(int off) => Storage is Storage<Complex64> c ? c.Array[off].Format("0.0000") : Fmt(GetAsDouble(off));
        int width = 1;
        ForEachShown(summarize, off => width = Math.Max(width, Element(off).Length));
        var sb = new StringBuilder("tensor(");
        if (Dim == 0) sb.Append(Element(Offset));
        else FormatDim(sb, 0, Offset, summarize, width, Element, indent: 7);   // rows align under the first "[", after "tensor("
        sb.Append(", shape=").Append(ShapeUtil.Format(shape));
        sb.Append(", dtype=").Append(DType.TorchName());
        sb.Append(AutogradSummary());
        sb.Append(')');
        return sb.ToString();
    }

    private void ForEachShown(bool summarize, Action<int> visit)
    {
        void Walk(int dim, int off)
        {
            if (dim == Dim) { visit(off); return; }
            foreach (int i in ShownIndices(shape[dim], summarize)) Walk(dim + 1, off + i * strides[dim]);
        }
        if (NumEl > 0) Walk(0, Offset);
    }

    private static IEnumerable<int> ShownIndices(int size, bool summarize)
    {
        if (!summarize || size <= 2 * EdgeItems)
        {
            for (int i = 0; i < size; i++) yield return i;
            yield break;
        }
        for (int i = 0; i < EdgeItems; i++) yield return i;
        for (int i = size - EdgeItems; i < size; i++) yield return i;
    }

    private void FormatDim(StringBuilder sb, int dim, int off, bool summarize, int width, Func<int, string> element, int indent)
    {
        sb.Append('[');
        int size = shape[dim];
        bool cut = summarize && size > 2 * EdgeItems;
        bool last = dim == Dim - 1;
        int k = 0;
        foreach (int i in ShownIndices(size, summarize))
        {
            if (k > 0)
            {
                sb.Append(',');
                if (last) sb.Append(' ');
                else sb.Append('\n', Dim - dim - 1).Append(' ', indent + dim + 1);
            }
            if (cut && k == EdgeItems)
            {
                sb.Append("...,");
                if (last) sb.Append(' ');
                else sb.Append('\n', Dim - dim - 1).Append(' ', indent + dim + 1);
            }
            if (last) sb.Append(element(off + i * strides[dim]).PadLeft(width));
            else FormatDim(sb, dim + 1, off + i * strides[dim], summarize, width, element, indent);
            k++;
        }
        sb.Append(']');
    }
}
