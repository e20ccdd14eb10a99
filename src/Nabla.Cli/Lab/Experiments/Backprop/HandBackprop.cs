using System.Globalization;
using System.Text;

namespace Nabla.Cli.Lab.Experiments.Backprop;

/// <summary>Backpropagation through <see cref="TinyMlp"/> written out with the chain rule in plain doubles: no tensors,
/// no autograd, one line per derivative.</summary>
internal static class HandBackprop
{
    /// <summary>The forward pass, each local derivative, and ∂L/∂θ.</summary>
    public static HandDerivation Derive(TinyMlp net)
    {
        const int hidden = TinyMlp.Hidden, inputs = TinyMlp.Inputs;
        // Forward: z₁ = W₁x + b₁, h = tanh(z₁), z₂ = W₂h + b₂, ŷ = σ(z₂), L = (ŷ − y)².
        var z1 = new double[hidden];
        var h = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            z1[j] = net.B1(j);
            for (int k = 0; k < inputs; k++) z1[j] += net.W1(j, k) * net.X[k];
            h[j] = Math.Tanh(z1[j]);
        }
        double z2 = net.B2;
        for (int j = 0; j < hidden; j++) z2 += net.W2(j) * h[j];
        double yHat = 1 / (1 + Math.Exp(-z2));
        double loss = (yHat - net.Y) * (yHat - net.Y);

        // Backward, from the loss down: each δ is the upstream derivative times the local one.
        double dLossDYHat = 2 * (yHat - net.Y);
        double dYHatDZ2 = yHat * (1 - yHat);           // σ'(z) = σ(z)(1 − σ(z))
        double delta2 = dLossDYHat * dYHatDZ2;
        var gradient = new double[TinyMlp.ParameterCount];
        var dLossDH = new double[hidden];
        var dHDZ1 = new double[hidden];
        var delta1 = new double[hidden];
        gradient[TinyMlp.B2Index] = delta2;             // ∂z₂/∂b₂ = 1
        for (int j = 0; j < hidden; j++)
        {
            gradient[TinyMlp.W2Index(j)] = delta2 * h[j];   // ∂z₂/∂W₂[j] = h_j
            dLossDH[j] = delta2 * net.W2(j);                // ∂z₂/∂h_j = W₂[j]
            dHDZ1[j] = 1 - h[j] * h[j];                     // tanh'(z) = 1 − tanh²(z)
            delta1[j] = dLossDH[j] * dHDZ1[j];
            gradient[TinyMlp.B1Index(j)] = delta1[j];       // ∂z₁_j/∂b₁[j] = 1
            for (int k = 0; k < inputs; k++) gradient[TinyMlp.W1Index(j, k)] = delta1[j] * net.X[k];   // ∂z₁_j/∂W₁[j,k] = x_k
        }
        return new HandDerivation(z1, h, z2, yHat, loss, dLossDYHat, dYHatDZ2, delta2, dLossDH, dHDZ1, delta1, gradient);
    }

    /// <summary>The derivation as text: the network's values, the forward pass, then every chain-rule product with its
    /// numbers substituted, in the order backpropagation computes them.</summary>
    public static string Trace(TinyMlp net, HandDerivation d)
    {
        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        const int hidden = TinyMlp.Hidden;
        Line($"Network and example");
        Line($"  x  = [{V(net.X[0])}, {V(net.X[1])}]    y = {V(net.Y)}");
        for (int j = 0; j < hidden; j++)
            Line($"  W1[{j},:] = [{V(net.W1(j, 0))}, {V(net.W1(j, 1))}]    b1[{j}] = {V(net.B1(j))}    W2[0,{j}] = {V(net.W2(j))}");
        Line($"  b2 = {V(net.B2)}");
        s.AppendLine();
        Line($"Forward pass");
        for (int j = 0; j < hidden; j++)
            Line($"  z1[{j}] = W1[{j},0]·x0 + W1[{j},1]·x1 + b1[{j}] = {V(net.W1(j, 0))}·{V(net.X[0])} + {V(net.W1(j, 1))}·{V(net.X[1])} + {V(net.B1(j))} = {V(d.Z1[j])}");
        for (int j = 0; j < hidden; j++)
            Line($"  h[{j}]  = tanh(z1[{j}]) = tanh({V(d.Z1[j])}) = {V(d.H[j])}");
        Line($"  z2    = W2·h + b2 = {V(net.W2(0))}·{V(d.H[0])} + {V(net.W2(1))}·{V(d.H[1])} + {V(net.W2(2))}·{V(d.H[2])} + {V(net.B2)} = {V(d.Z2)}");
        Line($"  ŷ     = σ(z2) = 1/(1 + e^(−{V(d.Z2)})) = {V(d.YHat)}");
        Line($"  L     = (ŷ − y)² = ({V(d.YHat)} − {V(net.Y)})² = {V(d.Loss)}");
        s.AppendLine();
        Line($"Backward pass: local derivative × upstream derivative = downstream derivative");
        Line($"  ∂L/∂ŷ  = 2(ŷ − y)           = 2({V(d.YHat)} − {V(net.Y)}) = {V(d.DLossDYHat)}");
        Line($"  ∂ŷ/∂z2 = ŷ(1 − ŷ)           = {V(d.YHat)}·{V(1 - d.YHat)} = {V(d.DYHatDZ2)}");
        Line($"  δ2 = ∂L/∂z2 = ∂L/∂ŷ·∂ŷ/∂z2 = {V(d.DLossDYHat)}·{V(d.DYHatDZ2)} = {V(d.Delta2)}");
        Line($"  ∂L/∂b2 = δ2·1               = {V(d.Gradient[TinyMlp.B2Index])}");
        for (int j = 0; j < hidden; j++)
            Line($"  ∂L/∂W2[0,{j}] = δ2·h[{j}]       = {V(d.Delta2)}·{V(d.H[j])} = {V(d.Gradient[TinyMlp.W2Index(j)])}");
        for (int j = 0; j < hidden; j++)
            Line($"  ∂L/∂h[{j}] = δ2·W2[0,{j}]       = {V(d.Delta2)}·{V(net.W2(j))} = {V(d.DLossDH[j])}");
        for (int j = 0; j < hidden; j++)
            Line($"  ∂h[{j}]/∂z1[{j}] = 1 − h[{j}]²     = 1 − {V(d.H[j])}² = {V(d.DHDZ1[j])}");
        for (int j = 0; j < hidden; j++)
            Line($"  δ1[{j}] = ∂L/∂h[{j}]·∂h[{j}]/∂z1[{j}] = {V(d.DLossDH[j])}·{V(d.DHDZ1[j])} = {V(d.Delta1[j])}");
        for (int j = 0; j < hidden; j++)
            Line($"  ∂L/∂b1[{j}] = δ1[{j}]·1          = {V(d.Gradient[TinyMlp.B1Index(j)])}");
        for (int j = 0; j < hidden; j++)
            for (int k = 0; k < TinyMlp.Inputs; k++)
                Line($"  ∂L/∂W1[{j},{k}] = δ1[{j}]·x{k}     = {V(d.Delta1[j])}·{V(net.X[k])} = {V(d.Gradient[TinyMlp.W1Index(j, k)])}");
        return s.ToString();
    }

    // Six significant digits: enough to follow the arithmetic by hand; the tables compare the full doubles.
    private static string V(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
