using Nabla.Data.Text;
using Nabla.Models.Tasks;
using Nabla.Tensors;

namespace Nabla.Cli.Sequence.Seq2Seq;

/// <summary>Turns date examples into id batches: sources padded with &lt;pad&gt; plus their lengths, decoder inputs
/// (&lt;bos&gt; + target) and decoder targets (target + &lt;eos&gt;).</summary>
internal sealed class DateBatches
{
    public CharVocabulary Source { get; } = CharVocabulary.Build(DateTranslation.SourceAlphabet);

    public CharVocabulary Target { get; } = CharVocabulary.Build(DateTranslation.TargetAlphabet);

    /// <summary>Decoder steps: the ten ISO characters and &lt;eos&gt;.</summary>
    public static int TargetSteps => DateTranslation.TargetLength + 1;

    public (Tensor Source, int[] Lengths, Tensor DecoderInput, Tensor DecoderTarget) Make(IReadOnlyList<DateTranslation.Example> examples)
    {
        var (source, lengths) = Vocabulary.PadBatch([.. examples.Select(e => Source.Encode(e.Source))]);
        var (input, _) = Vocabulary.PadBatch([.. examples.Select(e => Target.Encode(e.Target, addBos: true))]);
        var (target, _) = Vocabulary.PadBatch([.. examples.Select(e => Target.Encode(e.Target, addEos: true))]);
        return (source, lengths, input, target);
    }
}
