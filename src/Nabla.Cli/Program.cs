using Nabla.Cli;

// A terminal gets live progress bars; a pipe, a file or a CI log gets plain lines.
bool interactive = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb"
    && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
return NablaCli.Run(args, Console.Out, Console.Error, interactive);
