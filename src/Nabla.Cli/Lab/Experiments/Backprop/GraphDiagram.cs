using System.Globalization;
using Nabla.Cli.Training;
using SkiaSharp;

namespace Nabla.Cli.Lab.Experiments.Backprop;

/// <summary>graph.png: <see cref="TinyMlp"/>'s computational graph, left to right from x to L, each node with its
/// forward value and ∂L/∂node, each edge with its local derivative, so one chain-rule step can be read off the picture:
/// a node's gradient is the sum over its outgoing edges of (edge derivative × the gradient at the edge's head).</summary>
internal static class GraphDiagram
{
    private const int Width = 1250, Height = 580, NodeWidth = 116, NodeHeight = 58;
    private static readonly float[] Columns = [78, 298, 518, 738, 958, 1172];

    /// <summary>Draws the graph of <paramref name="net"/> with the values of <paramref name="d"/>.</summary>
    public static void Save(string path, TinyMlp net, HandDerivation d)
    {
        const int hidden = TinyMlp.Hidden, inputs = TinyMlp.Inputs;
        var dLossDX = new double[inputs];   // ∂L/∂x_k = Σ_j δ₁_j·W₁[j,k]: not a parameter, shown to complete the picture
        for (int k = 0; k < inputs; k++)
            for (int j = 0; j < hidden; j++) dLossDX[k] += d.Delta1[j] * net.W1(j, k);

        using var surface = SKSurface.Create(new SKImageInfo(Width, Height))
            ?? throw new InvalidOperationException($"could not create a {Width}×{Height} drawing surface for {path}");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Default, bold: false, italic: false);
        using var titleFont = new SKFont(typeface, 16);
        using var font = new SKFont(typeface, 13);
        using var small = new SKFont(typeface, 11);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var red = new SKPaint { Color = new SKColor(0xC0, 0x20, 0x20), IsAntialias = true };
        using var blue = new SKPaint { Color = new SKColor(0x1F, 0x50, 0xB0), IsAntialias = true };
        using var edge = new SKPaint { Color = new SKColor(0x80, 0x80, 0x80), IsAntialias = true, StrokeWidth = 1.4f, Style = SKPaintStyle.Stroke };
        using var box = new SKPaint { Color = new SKColor(0xF2, 0xF5, 0xFA), IsAntialias = true };
        using var border = new SKPaint { Color = new SKColor(0x50, 0x50, 0x50), IsAntialias = true, StrokeWidth = 1.2f, Style = SKPaintStyle.Stroke };

        canvas.DrawText("Computational graph of the 2-3-1 network: node name, forward value (black), ∂L/∂node (red), local derivative on the edges (blue)",
            Width / 2f, 24, SKTextAlign.Center, titleFont, ink);

        SKPoint[] x = Column(0, inputs), z1 = Column(1, hidden), h = Column(2, hidden), z2 = Column(3, 1), yHat = Column(4, 1), loss = Column(5, 1);
        // Edges first, so boxes cover their ends.
        // The six x → z1 edges cross; their derivatives ∂z1[j]/∂x_k = W1[j,k] are the weights printed in the derivation.
        for (int j = 0; j < hidden; j++)
            for (int k = 0; k < inputs; k++) Edge(x[k], z1[j], null);
        for (int j = 0; j < hidden; j++) Edge(z1[j], h[j], $"1−h²={V(d.DHDZ1[j])}");
        for (int j = 0; j < hidden; j++) Edge(h[j], z2[0], $"W2[0,{j}]={V(net.W2(j))}");
        Edge(z2[0], yHat[0], $"ŷ(1−ŷ)={V(d.DYHatDZ2)}");
        Edge(yHat[0], loss[0], $"2(ŷ−y)={V(d.DLossDYHat)}");

        for (int k = 0; k < inputs; k++) Node(x[k], $"x{k}", net.X[k], dLossDX[k]);
        for (int j = 0; j < hidden; j++) Node(z1[j], $"z1[{j}]", d.Z1[j], d.Delta1[j]);
        for (int j = 0; j < hidden; j++) Node(h[j], $"h[{j}]", d.H[j], d.DLossDH[j]);
        Node(z2[0], "z2", d.Z2, d.Delta2);
        Node(yHat[0], "ŷ", d.YHat, d.DLossDYHat);
        Node(loss[0], "L", d.Loss, 1);
        canvas.DrawText($"target y = {V(net.Y)}", loss[0].X, loss[0].Y + 50, SKTextAlign.Center, font, ink);

        string[] legend =
        [
            "z1 = W1·x + b1,  h = tanh(z1),  z2 = W2·h + b2,  ŷ = σ(z2),  L = (ŷ − y)²;  the x → z1 edges carry ∂z1[j]/∂x_k = W1[j,k] (see the derivation)",
            "chain rule at a node:  ∂L/∂node = Σ over outgoing edges (edge derivative × ∂L/∂head);  e.g. ∂L/∂h[j] = W2[0,j]·∂L/∂z2",
            "parameter gradients:  ∂L/∂W2[0,j] = h[j]·∂L/∂z2,  ∂L/∂b2 = ∂L/∂z2,  ∂L/∂W1[j,k] = x_k·∂L/∂z1[j],  ∂L/∂b1[j] = ∂L/∂z1[j]",
        ];
        for (int i = 0; i < legend.Length; i++) canvas.DrawText(legend[i], 24, Height - 70 + 22 * i, SKTextAlign.Left, font, ink);

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        PngFile.Write(path, data.ToArray());

        void Node(SKPoint at, string name, double value, double gradient)
        {
            var rect = new SKRect(at.X - NodeWidth / 2f, at.Y - NodeHeight / 2f, at.X + NodeWidth / 2f, at.Y + NodeHeight / 2f);
            canvas.DrawRoundRect(rect, 8, 8, box);
            canvas.DrawRoundRect(rect, 8, 8, border);
            canvas.DrawText(name, at.X, at.Y - 12, SKTextAlign.Center, font, ink);
            canvas.DrawText(V(value), at.X, at.Y + 5, SKTextAlign.Center, font, ink);
            canvas.DrawText(V(gradient), at.X, at.Y + 22, SKTextAlign.Center, font, red);
        }

        void Edge(SKPoint from, SKPoint to, string? label)
        {
            var start = new SKPoint(from.X + NodeWidth / 2f, from.Y);
            var end = new SKPoint(to.X - NodeWidth / 2f, to.Y);
            canvas.DrawLine(start, end, edge);
            // Arrow head: two short strokes back from the end, ±25° around the edge direction.
            float angle = MathF.Atan2(end.Y - start.Y, end.X - start.X);
            foreach (float turn in (float[])[2.7f, -2.7f])
                canvas.DrawLine(end, new SKPoint(end.X + 9 * MathF.Cos(angle + turn), end.Y + 9 * MathF.Sin(angle + turn)), edge);
            if (label is null) return;
            var mid = new SKPoint((start.X + end.X) / 2, (start.Y + end.Y) / 2 - 5);
            canvas.DrawText(label, mid.X, mid.Y, SKTextAlign.Center, small, blue);
        }
    }

    // Node centres of one column, spread evenly over the drawing's height above the legend.
    private static SKPoint[] Column(int column, int count)
    {
        const float top = 60, bottom = Height - 110;
        return [.. Enumerable.Range(0, count).Select(i => new SKPoint(Columns[column], top + (bottom - top) * (i + 0.5f) / count))];
    }

    private static string V(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
