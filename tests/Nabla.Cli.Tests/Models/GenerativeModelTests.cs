using Nabla.Models;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Models;

/// <summary>The reference VAEs and DCGAN: PyTorch's state-dict names, shapes, parameter counts, output ranges and input checks.</summary>
public sealed class GenerativeModelTests
{
    private static bool All(Tensor condition) => condition.CountNonZero() == condition.NumEl;

    [Fact]
    public void MlpVae_HasTheVaeExamplesNamesAndShapes()
    {
        var model = new MlpVae(generator: new Generator(1));
        Assert.Equal(["fc1.weight", "fc1.bias", "fc21.weight", "fc21.bias", "fc22.weight", "fc22.bias", "fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias"],
            model.StateDict().Keys);
        Assert.Equal([400, 784], model.Fc1.Weight.Shape);
        Assert.Equal([20, 400], model.Fc21.Weight.Shape);
        Assert.Equal([784, 400], model.Fc4.Weight.Shape);
        // 784·400 + 400 + 2·(400·20 + 20) + 20·400 + 400 + 400·784 + 784.
        Assert.Equal(652_824, model.ParameterCount());
    }

    [Fact]
    public void MlpVae_Forward_GivesLogitsOfTheImageShapeAndAGaussianPerImage()
    {
        var model = new MlpVae(latent: 2, hidden: 16, generator: new Generator(2)) { Noise = new Generator(3) };
        var x = Tensor.Rand([5, 1, 28, 28], generator: new Generator(4));
        var output = model.Call(x);
        Assert.Equal([5, 1, 28, 28], output.Logits.Shape);
        Assert.Equal([5, 2], output.Mu.Shape);
        Assert.Equal([5, 2], output.LogVar.Shape);
        // z = μ + σ·ε with the model's noise generator.
        var epsilon = Tensor.Randn([5, 2], generator: new Generator(3));
        Assert.True(output.Z.AllClose(output.Mu.Add(output.LogVar.Mul(0.5).Exp().Mul(epsilon)), 1e-6, 1e-6));
        var images = model.Sample(7, new Generator(5));
        Assert.Equal([7, 1, 28, 28], images.Shape);
        Assert.True(All(images.Ge(0)) && All(images.Le(1)));
    }

    [Fact]
    public void ConvVae_HalvesTwiceAndDoublesBack()
    {
        var model = new ConvVae(latent: 8, generator: new Generator(6)) { Noise = new Generator(7) };
        Assert.Equal(["conv1", "conv2", "fc1", "fc_mu", "fc_logvar", "fc2", "fc3", "deconv1", "deconv2"], model.NamedChildren().Select(c => c.Name));
        Assert.Equal(3136, model.Flat);
        Assert.Equal([64, 32, 4, 4], model.Deconv1.Weight.Shape);   // transposed: [in, out, kH, kW]
        var output = model.Call(Tensor.Rand([3, 1, 28, 28], generator: new Generator(8)));
        Assert.Equal([3, 1, 28, 28], output.Logits.Shape);
        Assert.Equal([3, 8], output.Mu.Shape);
        Assert.Throws<ArgumentException>(() => new ConvVae(height: 30));
        // conv1 544, conv2 32,832, fc1 803,072, fc_mu and fc_logvar 5,140 each, fc2 5,376, fc3 805,952, deconv1 32,800, deconv2 513.
        Assert.Equal(1_691_369, new ConvVae().ParameterCount());
    }

    [Fact]
    public void Vae_RefusesImagesOfAnotherShape()
    {
        var model = new MlpVae(latent: 4, hidden: 8);
        var e = Assert.Throws<ShapeMismatchException>(() => model.Call(Tensor.Zeros([2, 784])));
        Assert.Equal("MlpVae(1×28×28 → 8 → 4): input [2, 784] must be images [N, 1, 28, 28].", e.Message);
        var z = Assert.Throws<ShapeMismatchException>(() => model.Decode(Tensor.Zeros([2, 5])));
        Assert.Equal("MlpVae(1×28×28 → 8 → 4): latent [2, 5] must be [N, 4].", z.Message);
    }

    [Fact]
    public void DcganGenerator_HasTheIssuesLayersAndTanhOutput()
    {
        var g = new DcganGenerator(generator: new Generator(9));
        Assert.Equal(["fc.weight", "bn0.weight", "bn0.bias", "bn0.running_mean", "bn0.running_var", "bn0.num_batches_tracked",
            "deconv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
            "deconv2.weight", "deconv2.bias"], g.StateDict().Keys);
        Assert.Equal([6272, 100], g.Fc.Weight.Shape);
        Assert.Equal([128, 64, 4, 4], g.Deconv1.Weight.Shape);
        Assert.Equal([64, 1, 4, 4], g.Deconv2.Weight.Shape);
        // fc 100·6272 + bn0 2·6272 + deconv1 128·64·16 + bn1 2·64 + deconv2 64·16 + 1.
        Assert.Equal(771_969, g.ParameterCount());
        var images = g.Sample(4, new Generator(10));
        Assert.Equal([4, 1, 28, 28], images.Shape);
        Assert.True(All(images.Gt(-1)) && All(images.Lt(1)));
    }

    [Fact]
    public void DcganDiscriminator_GivesOneLogitPerImage()
    {
        var d = new DcganDiscriminator(generator: new Generator(11));
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var",
            "bn2.num_batches_tracked", "fc.weight", "fc.bias"], d.StateDict().Keys);
        // conv1 64·16 + 64, conv2 128·64·16, bn2 2·128, fc 6272 + 1.
        Assert.Equal(138_689, d.ParameterCount());
        Assert.Equal([6, 1], d.Call(Tensor.Rand([6, 1, 28, 28], generator: new Generator(12))).Shape);
        var e = Assert.Throws<ShapeMismatchException>(() => d.Call(Tensor.Zeros([2, 1, 32, 32])));
        Assert.Equal("DcganDiscriminator(1×28×28): input [2, 1, 32, 32] must be images [N, 1, 28, 28].", e.Message);
    }

    [Fact]
    public void Dcgan_StartsFromTheDcganPapersInitialization()
    {
        var g = new DcganGenerator(generator: new Generator(13));
        var d = new DcganDiscriminator(generator: new Generator(14));
        // Weights ~ N(0, 0.02²): the standard deviation of 627,200 draws is within 1% of 0.02.
        double std = g.Fc.Weight.Std().Item();
        Assert.InRange(std, 0.0198, 0.0202);
        Assert.InRange(d.Conv2.Weight.Std().Item(), 0.0196, 0.0204);
        Assert.InRange(g.Bn1.Weight!.Mean().Item(), 0.99, 1.01);          // scales ~ N(1, 0.02²)
        Assert.Equal(0, g.Deconv2.Bias!.Abs().Sum().Item());
        Assert.Equal(0, d.Conv1.Bias!.Abs().Sum().Item());
        // The same generator seed gives the same weights.
        Assert.True(new DcganGenerator(generator: new Generator(13)).Fc.Weight.AllClose(g.Fc.Weight, 0, 0));
    }

    [Fact]
    public void Cnn_PenultimateFeatures_AreTheInputOfTheLastLayer()
    {
        var cnn = new Cnn(generator: new Generator(15));
        cnn.Eval();
        var x = Tensor.Randn([3, 1, 28, 28], generator: new Generator(16));
        var features = cnn.PenultimateFeatures(x);
        Assert.Equal([3, 128], features.Shape);
        Assert.True(All(features.Ge(0)));                                 // after the ReLU
        Assert.True(cnn.Fc2.Call(features).AllClose(cnn.Call(x), 1e-6, 1e-6));
    }
}
