using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nabla.Parity.Tests.Models;

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
