namespace Nabla.Cli.Lab;

/// <summary>What an experiment found, built up while it runs and written as report.md, report.html and results.json
/// (<see cref="LabReportWriter"/>). Every number in it comes from the run that filled it, and the verdict is set by
/// the experiment from those numbers.</summary>
internal sealed class LabReport(ILabExperiment experiment, LabScale scale, long seed)
{
    private readonly List<LabBlock> setup = [];
    private readonly List<LabBlock> body = [];
    private readonly List<string> changes = [];
    private readonly List<string> reused = [];
    private readonly Dictionary<string, double> numbers = [];

    /// <summary>The experiment's name.</summary>
    public string Name => experiment.Name;

    /// <summary>The report's title.</summary>
    public string Title => experiment.Title;

    /// <summary>The claim under test.</summary>
    public string Claim => experiment.Claim;

    /// <summary>The scale it ran at.</summary>
    public LabScale Scale => scale;

    /// <summary>The run's seed.</summary>
    public long Seed => seed;

    /// <summary>The verdict, once <see cref="Conclude"/> has set it.</summary>
    public Verdict? Verdict { get; private set; }

    /// <summary>Why: the measurements the verdict rests on, in one or two sentences.</summary>
    public string Reason { get; private set; } = "";

    /// <summary>Seconds the run took (set by the runner).</summary>
    public double Seconds { get; set; }

    /// <summary>The set-up: what was trained or computed, on what data, for how long.</summary>
    public IReadOnlyList<LabBlock> SetupBlocks => setup;

    /// <summary>The results, in order: sections, text, tables, images, preformatted text.</summary>
    public IReadOnlyList<LabBlock> Blocks => body;

    /// <summary>How to change the set-up (options, and what to edit).</summary>
    public IReadOnlyList<string> Changes => changes;

    /// <summary>Checkpoints of earlier <c>nabla train</c> runs that this run reused.</summary>
    public IReadOnlyList<string> Reused => reused;

    /// <summary>The key figures, by name, for results.json, the index and the tests.</summary>
    public IReadOnlyDictionary<string, double> Numbers => numbers;

    /// <summary>The images the report shows (file names in the experiment's folder).</summary>
    public IEnumerable<string> Images => setup.Concat(body).OfType<LabBlock.Image>().Select(i => i.File);

    /// <summary>A paragraph of the set-up.</summary>
    public LabReport Setup(string text) { setup.Add(new LabBlock.Text(text)); return this; }

    /// <summary>A bulleted list in the set-up.</summary>
    public LabReport SetupList(params string[] items) { setup.Add(new LabBlock.List(items)); return this; }

    /// <summary>Starts a results section with this heading.</summary>
    public LabReport Section(string heading) { body.Add(new LabBlock.Heading(heading)); return this; }

    /// <summary>A paragraph of results.</summary>
    public LabReport Text(string text) { body.Add(new LabBlock.Text(text)); return this; }

    /// <summary>A bulleted list of results.</summary>
    public LabReport List(params string[] items) { body.Add(new LabBlock.List(items)); return this; }

    /// <summary>A table.</summary>
    public LabReport Table(LabTable table) { body.Add(new LabBlock.Table(table)); return this; }

    /// <summary>Preformatted text: printed derivations, matrices, step-by-step arithmetic.</summary>
    public LabReport Code(string text) { body.Add(new LabBlock.Code(text)); return this; }

    /// <summary>An image the experiment wrote into its folder, with a caption; the writer checks it exists.</summary>
    public LabReport Image(string file, string caption) { body.Add(new LabBlock.Image(file, caption)); return this; }

    /// <summary>Records a key figure (finite; the tests check every one).</summary>
    public LabReport Number(string key, double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"lab {Name}: figure '{key}' is {value}; a report's figures must be finite", nameof(value));
        numbers[key] = value;
        return this;
    }

    /// <summary>Names a checkpoint of an earlier run that this run reused instead of training.</summary>
    public LabReport Reuse(string path) { reused.Add(path); return this; }

    /// <summary>One way to change the set-up, e.g. "--seed S draws other initializations".</summary>
    public LabReport Change(string text) { changes.Add(text); return this; }

    /// <summary>Sets the verdict and the measurements it rests on.</summary>
    public LabReport Conclude(Verdict verdict, string reason)
    {
        Verdict = verdict;
        Reason = reason;
        return this;
    }
}
