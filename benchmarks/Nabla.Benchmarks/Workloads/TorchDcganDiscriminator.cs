using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nabla.Benchmarks.Workloads;

/// <summary>Nabla.Models.DcganDiscriminator in TorchSharp, under the same names (conv1, conv2, bn2, fc).</summary>
internal sealed class TorchDcganDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn2;
    private readonly Linear fc;

    public TorchDcganDiscriminator() : base("DcganDiscriminator")
    {
        conv1 = nn.Conv2d(1, 64, 4, stride: 2, padding: 1);
        conv2 = nn.Conv2d(64, 128, 4, stride: 2, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(128);
        fc = nn.Linear(128 * 7 * 7, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = nn.functional.leaky_relu(conv1.call(x), 0.2);
        x = nn.functional.leaky_relu(bn2.call(conv2.call(x)), 0.2);
        return fc.call(x.flatten(1));
    }
}
