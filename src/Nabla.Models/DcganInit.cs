using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>The initialization of the DCGAN paper (Radford et al., 2016, section 4), as PyTorch's DCGAN example applies it:
/// convolution, transposed-convolution and linear weights from N(0, 0.02²) with zero biases; batch-norm scales from
/// N(1, 0.02²) with zero shifts.</summary>
internal static class DcganInit
{
    public const double Std = 0.02;

    public static void Apply(Module module, Generator? generator)
    {
        foreach (var (_, m) in module.NamedModules())
        {
            switch (m)
            {
                case Conv2d c: Weights(c.Weight, c.Bias, generator); break;
                case ConvTranspose2d t: Weights(t.Weight, t.Bias, generator); break;
                case Linear l: Weights(l.Weight, l.Bias, generator); break;
                case BatchNormBase b:
                    b.ResetRunningStats();
                    if (b.Weight is not null) Init.Normal(b.Weight, 1, Std, generator);
                    if (b.Bias is not null) Init.Zeros(b.Bias);
                    break;
            }
        }
    }

    private static void Weights(Tensor weight, Tensor? bias, Generator? generator)
    {
        Init.Normal(weight, 0, Std, generator);
        if (bias is not null) Init.Zeros(bias);
    }
}
