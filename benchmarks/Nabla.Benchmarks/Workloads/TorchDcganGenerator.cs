using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nabla.Benchmarks.Workloads;

/// <summary>Nabla.Models.DcganGenerator in TorchSharp, under the same names (fc, bn0, deconv1, bn1, deconv2).</summary>
internal sealed class TorchDcganGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc;
    private readonly BatchNorm1d bn0;
    private readonly ConvTranspose2d deconv1, deconv2;
    private readonly BatchNorm2d bn1;

    public TorchDcganGenerator(int latent = 100) : base("DcganGenerator")
    {
        fc = nn.Linear(latent, 128 * 7 * 7, hasBias: false);
        bn0 = nn.BatchNorm1d(128 * 7 * 7);
        deconv1 = nn.ConvTranspose2d(128, 64, 4, stride: 2, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(64);
        deconv2 = nn.ConvTranspose2d(64, 1, 4, stride: 2, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z)
    {
        var x = nn.functional.relu(bn0.call(fc.call(z))).view(-1, 128, 7, 7);
        x = nn.functional.relu(bn1.call(deconv1.call(x)));
        return deconv2.call(x).tanh();
    }
}
