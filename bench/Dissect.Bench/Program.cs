// TFLite dissection throughput beside `flatc --json` on the same files in the same run.
// Usage: dotnet run -c Release --project bench/Dissect.Bench -- [models folder] [iterations]
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GaugeNN.Events;
using GaugeNN.Formats;

string root = FindRepositoryRoot();
string modelsFolder = args.Length > 0 ? args[0] : Path.Combine(root, "tests", "fixtures", "models", "tflite");
int iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
string work = Directory.CreateTempSubdirectory("dissect-bench-").FullName;
string schema = PatchSchemaForFlatc(Path.Combine(root, "schemas", "tflite", "schema.fbs"), work);
string flatcVersion = Run("flatc", "--version", work).Trim();

var files = Directory.EnumerateFiles(modelsFolder, "*.tflite", SearchOption.AllDirectories).Order().ToList();
Console.WriteLine($"{files.Count} TFLite files, {iterations} iterations each; {flatcVersion}; {Environment.ProcessorCount} cores");
Console.WriteLine($"{"model",-48} {"bytes",10} {"gaugeNN ms",11} {"flatc ms",10} {"ratio",8}");
double oursTotal = 0, flatcTotal = 0;
long bytesTotal = 0;
foreach (string file in files)
{
    var bytes = File.ReadAllBytes(file);
    if (ModelDissector.Dissect(bytes, "tflite", TimeProvider.System) is not ModelDissected)
        throw new InvalidOperationException($"{file} did not dissect");
    double ours = Median(iterations, () => ModelDissector.Dissect(bytes, "tflite", TimeProvider.System));
    double flatc = Median(Math.Max(3, iterations / 4), () =>
        Run("flatc", $"--json --strict-json --raw-binary -o {work} {schema} -- {file}", work));
    oursTotal += ours;
    flatcTotal += flatc;
    bytesTotal += bytes.Length;
    Console.WriteLine($"{Path.GetRelativePath(modelsFolder, file),-48} {bytes.Length,10} {ours,11:F3} {flatc,10:F1} {flatc / ours,7:F0}x");
}
Console.WriteLine($"{"total",-48} {bytesTotal,10} {oursTotal,11:F3} {flatcTotal,10:F1} {flatcTotal / oursTotal,7:F0}x");
Console.WriteLine($"gaugeNN throughput: {bytesTotal / 1e6 / (oursTotal / 1000):F0} MB/s; flatc --json: {bytesTotal / 1e6 / (flatcTotal / 1000):F1} MB/s");
Console.WriteLine($"ratio (flatc time / gaugeNN time): {flatcTotal / oursTotal:F0}x (target >= 20x)");
Directory.Delete(work, recursive: true);

static double Median(int runs, Action action)
{
    var times = new double[runs];
    for (int i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        action();
        times[i] = clock.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    return times[runs / 2];
}

static string Run(string program, string arguments, string folder)
{
    var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
    using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
    string output = process.StandardOutput.ReadToEnd();
    string error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {arguments} failed: {error}");
    return output;
}

// flatc 2.0.8 rejects `(deprecated)` on enum values, union members and tables (fields keep theirs), as the
// ground-truth tooling noted; the patched copy lives in the bench's temp folder.
static string PatchSchemaForFlatc(string schema, string folder)
{
    string text = File.ReadAllText(schema);
    text = Regex.Replace(text, @"(=\s*\d+)\s*\(deprecated\)", "$1");
    text = Regex.Replace(text, @"(\n\s*\w+)\s*\(deprecated\)\s*,", "$1,");
    text = Regex.Replace(text, @"(table\s+\w+)\s*\(deprecated\)", "$1");
    string patched = Path.Combine(folder, "schema.fbs");
    File.WriteAllText(patched, text);
    return patched;
}

static string FindRepositoryRoot()
{
    for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "GaugeNN.sln"))) return folder.FullName;
    throw new InvalidOperationException("run from inside the repository");
}
