using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using GaugeNN.Application;
using Spectre.Console;
using Spectre.Console.Rendering;
using Progress = GaugeNN.Application.Progress;

namespace GaugeNN.Cli.Output;

/// <summary>
/// Progress of long work on stderr, fed by the use cases' <see cref="Progress"/> reports: a live bar with counts, rate
/// and time left on a terminal; a plain line every <see cref="LineInterval"/> when stderr is not a terminal (a log, a
/// pipe, CI); nothing with <c>--quiet</c>. Notes (what the verb is waiting for, where a host answered) go the same
/// way, so that they never tear the live bar. Thread-safe: use cases report from worker threads.
/// </summary>
public abstract class ProgressDisplay : IProgress<Progress>
{
    public static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);

    protected readonly object Gate = new();
    private readonly Dictionary<string, Stage> _stages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _expected = new(StringComparer.Ordinal);
    protected Stage? Current { get; private set; }

    /// <summary>Live on a terminal, lines otherwise, silent when asked.</summary>
    public static ProgressDisplay For(bool quiet) =>
        quiet ? new Silent()
        : Console.IsErrorRedirected || Environment.GetEnvironmentVariable("TERM") is "dumb" ? new Lines(Console.Error)
        : new Live();

    /// <summary>Runs the work with the display up; the stage that was running is closed when it ends.</summary>
    public abstract Task<T> RunAsync<T>(Func<Task<T>> work);

    public abstract void Note(string line);

    /// <summary>An estimate of a stage's total where the use case cannot know it up front (shown as "~N").</summary>
    public void Expect(string stage, long total)
    {
        lock (Gate) _expected[stage] = total;
    }

    /// <summary>How many units the stage had done at its last report (0 when it never reported).</summary>
    public long Done(string stage)
    {
        lock (Gate) return _stages.TryGetValue(stage, out var s) ? s.Done : 0;
    }

    public void Report(Progress value)
    {
        lock (Gate)
        {
            bool opened = !_stages.TryGetValue(value.Stage, out var stage);
            if (opened)
            {
                if (Current is not null) Close(Current);
                _stages[value.Stage] = stage = new Stage(value.Stage, value.Unit, _expected.GetValueOrDefault(value.Stage));
                Current = stage;
            }
            stage!.Done = value.Done;
            stage.Total = value.Total;
            if (opened) Opened(stage);
            Updated(stage);
        }
    }

    /// <summary>A new piece of work: its stages start from nothing (a demo ingests one snapshot after another).</summary>
    protected void Begin()
    {
        lock (Gate)
        {
            _stages.Clear();
            Current = null;
        }
    }

    /// <summary>Ends the running stage (at the end of the work, or when it was stopped).</summary>
    protected void CloseCurrent(bool completed)
    {
        lock (Gate)
        {
            if (Current is null) return;
            if (completed) Close(Current);
            Current = null;
        }
    }

    private void Close(Stage stage)
    {
        stage.Elapsed.Stop();
        Closed(stage);
    }

    protected virtual void Opened(Stage stage) { }
    protected virtual void Updated(Stage stage) { }
    protected virtual void Closed(Stage stage) { }

    /// <summary>One stage's counts and clock, and how they read.</summary>
    protected sealed class Stage(string name, string unit, long expected)
    {
        public string Name { get; } = name;
        public string Unit { get; } = unit;
        public long Done { get; set; }
        public long? Total { get; set; }
        public Stopwatch Elapsed { get; } = Stopwatch.StartNew();

        /// <summary>The known total, else the estimate (null when neither); never below what is done.</summary>
        public long? Goal => Total ?? (expected > 0 ? Math.Max(expected, Done) : null);

        private double Rate => Elapsed.Elapsed.TotalSeconds > 0 ? Done / Elapsed.Elapsed.TotalSeconds : 0;

        /// <summary>"1200/~2000 apps, 85 apps/s, ~9 s left", or "working, 4 s" before the first count.</summary>
        public string Detail()
        {
            if (Done == 0 && Total is null) return $"working, {Span(Elapsed.Elapsed)}";
            string goal = Total is { } t ? $"/{t}" : Goal is { } g ? $"/~{g}" : "";
            string text = $"{Done}{goal} {Unit}, {Speed()}";
            if (Goal is { } all && Rate > 0 && all > Done) text += $", ~{Span(TimeSpan.FromSeconds((all - Done) / Rate))} left";
            return text;
        }

        /// <summary>"2000 apps in 23.5 s (85 apps/s)".</summary>
        public string Summary() =>
            Done == 0 && Total is null ? $"done in {Span(Elapsed.Elapsed)}" : $"{Done} {Unit} in {Span(Elapsed.Elapsed)} ({Speed()})";

        private string Speed() => $"{Rate.ToString(Rate >= 10 ? "0" : "0.0", CultureInfo.InvariantCulture)} {Unit}/s";

        private static string Span(TimeSpan t) => t.TotalSeconds switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s"),
            < 3600 => $"{(int)t.TotalMinutes} min {t.Seconds} s",
            _ => $"{(int)t.TotalHours} h {t.Minutes} min",
        };
    }

    /// <summary>Counts are kept (for what a stop leaves behind); nothing is shown.</summary>
    private sealed class Silent : ProgressDisplay
    {
        public override async Task<T> RunAsync<T>(Func<Task<T>> work)
        {
            Begin();
            return await work();
        }

        public override void Note(string line) { }
    }

    /// <summary>Plain lines for logs: a line when a stage starts, the running stage every <see cref="LineInterval"/>, a line when it ends.</summary>
    private sealed class Lines(TextWriter to) : ProgressDisplay
    {
        public override async Task<T> RunAsync<T>(Func<Task<T>> work)
        {
            Begin();
            using var ticks = new Timer(_ => Tick(), null, LineInterval, LineInterval);
            bool completed = false;
            try
            {
                var result = await work();
                completed = true;
                return result;
            }
            finally
            {
                CloseCurrent(completed);
            }
        }

        private void Tick()
        {
            lock (Gate)
                if (Current is { } stage) to.WriteLine($"{stage.Name}: {stage.Detail()}");
        }

        protected override void Opened(Stage stage) =>
            to.WriteLine($"{stage.Name}: started{(stage.Goal is { } goal ? $" ({(stage.Total is null ? "~" : "")}{goal} {stage.Unit})" : "")}");

        protected override void Closed(Stage stage) => to.WriteLine($"{stage.Name}: {stage.Summary()}");

        public override void Note(string line)
        {
            lock (Gate) to.WriteLine(line);
        }
    }

    /// <summary>Spectre.Console's live progress on stderr: one bar per stage.</summary>
    private sealed class Live : ProgressDisplay
    {
        // Spectre judges a terminal by stdout; ours is stderr, found to be a terminal already (stdout may be a pipe).
        private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes,
        });
        private readonly Dictionary<Stage, ProgressTask> _tasks = [];

        // Read by Spectre's render thread without the gate: it renders while holding its own lock, which a note
        // written under the gate would wait for.
        private readonly ConcurrentDictionary<ProgressTask, Stage> _stageOfTask = new();
        private ProgressContext? _context;

        public override async Task<T> RunAsync<T>(Func<Task<T>> work)
        {
            Begin();
            bool completed = false;
            try
            {
                return await _console.Progress()
                    .AutoClear(false)
                    .HideCompleted(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DetailColumn(this), new SpinnerColumn())
                    .StartAsync(async context =>
                    {
                        lock (Gate) _context = context;
                        var result = await work();
                        completed = true;
                        CloseCurrent(completed: true); // while the display still renders, so that the last frame shows it
                        context.Refresh();
                        return result;
                    });
            }
            finally
            {
                CloseCurrent(completed);
                lock (Gate) _context = null;
            }
        }

        protected override void Opened(Stage stage)
        {
            if (_context is null) return;
            var task = _context.AddTask(stage.Name, autoStart: true, maxValue: 1);
            _tasks[stage] = task;
            _stageOfTask[task] = stage;
        }

        protected override void Updated(Stage stage)
        {
            if (!_tasks.TryGetValue(stage, out var task)) return;
            task.IsIndeterminate = stage.Goal is null;
            task.MaxValue = Math.Max(1, stage.Goal ?? stage.Done);
            task.Value = stage.Done;
        }

        protected override void Closed(Stage stage)
        {
            if (!_tasks.TryGetValue(stage, out var task)) return;
            task.IsIndeterminate = false;
            task.MaxValue = Math.Max(1, stage.Done);
            task.Value = task.MaxValue;
            task.StopTask();
        }

        public override void Note(string line) => _console.WriteLine(line);

        private string DetailOf(ProgressTask task) =>
            _stageOfTask.TryGetValue(task, out var stage) ? task.IsFinished ? stage.Summary() : stage.Detail() : "";

        private sealed class DetailColumn(Live display) : ProgressColumn
        {
            public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
                new Text(display.DetailOf(task));
        }
    }
}
