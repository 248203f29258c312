using DuckDB.NET.Data;

namespace GaugeNN.Warehouse.Projections;

/// <summary>
/// The one owner of a DuckDB connection to the warehouse file. One process at a time opens the file (DuckDB allows
/// a single writing process); inside it, the projector and the readers each hold a connection to the same instance.
/// </summary>
public sealed class DuckDbWarehouse : IDisposable
{
    // One DuckDB connection must not run two commands at once; the API serves requests concurrently.
    private readonly Lock _gate = new();
    private long _statements;
    private long _statementTicks;
    private volatile DuckDBCommand? _running;

    private DuckDbWarehouse(DuckDBConnection connection) => Connection = connection;

    public DuckDBConnection Connection { get; }

    /// <summary>Statements run on this connection so far (the API holds the statements per request bounded by it).</summary>
    public long Statements => Interlocked.Read(ref _statements);

    /// <summary>Time spent in statements on this connection so far (a request's share of it is its SQL time).</summary>
    public TimeSpan StatementTime => System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _statementTicks));

    /// <summary>Stops the statement running on this connection, if any (a request that ran out of time); it then throws.</summary>
    public void Interrupt()
    {
        try
        {
            _running?.Cancel();
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or DuckDBException)
        {
            // The statement ended meanwhile: nothing left to stop. (Called from timer callbacks, which must not throw.)
        }
    }

    /// <summary>
    /// The storage format a new warehouse file is written in. DuckDB's default is still v0.10.2's, for older readers;
    /// v1.5.0's string compression made a rebuild's commit (its checkpoint) 0.35-0.4 s -> 0.18-0.26 s and the file
    /// smaller (docs/benchmarks.md, "Warehouse"). An existing file keeps the format it was created in until
    /// <see cref="Delete"/> starts it over.
    /// </summary>
    public const string StorageVersion = "v1.5.0";

    /// <summary>
    /// Opens the file (the caller holds the data folder's warehouse lock). Another program holding the file (a DuckDB
    /// shell, say) is reported at once, never waited for.
    /// </summary>
    public static DuckDbWarehouse Open(string file, bool readOnly = false)
    {
        if (!readOnly) Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var connection = new DuckDBConnection(
            $"Data Source={file};storage_compatibility_version={StorageVersion}{(readOnly ? ";ACCESS_MODE=READ_ONLY" : "")}");
        try
        {
            connection.Open();
            return new DuckDbWarehouse(connection);
        }
        catch (DuckDBException e) when (e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            connection.Dispose();
            throw new IOException($"{file} is open in another program ({e.Message.Split('\n')[0]}); close it and try again", e);
        }
        // A file this process may not read is not damaged: that error stays as it is (and a rebuild leaves the file).
        catch (DuckDBException e) when (File.Exists(file) && !e.Message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase))
        {
            connection.Dispose();
            throw new UnreadableWarehouseException(file, e);
        }
    }

    /// <summary>
    /// Removes a warehouse file and its write-ahead log (a rebuild starts over in a new file: the current format, and
    /// none of the space the old tables held; a file DuckDB cannot read goes too). A file another program holds is
    /// reported as <see cref="Open"/> reports it, not pulled from under that program.
    /// </summary>
    public static void Delete(string file)
    {
        try
        {
            if (File.Exists(file)) Open(file, readOnly: true).Dispose();
        }
        catch (UnreadableWarehouseException)
        {
            // Damaged, or not a DuckDB file at all: the new file replaces it.
        }
        File.Delete(file + ".wal");
        File.Delete(file);
    }

    public int Execute(string sql)
    {
        lock (_gate)
        {
            using var command = Connection.CreateCommand();
            command.CommandText = sql;
            return Run(command, c => c.ExecuteNonQuery());
        }
    }

    public T? Scalar<T>(string sql, params object?[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql, parameters);
            var value = Run(command, c => c.ExecuteScalar());
            return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));
        }
    }

    /// <summary>Runs a query with positional <c>?</c> parameters and maps every row.</summary>
    public List<T> Query<T>(string sql, Func<DuckDBDataReader, T> map, params object?[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql, parameters);
            return Run(command, c =>
            {
                using var reader = (DuckDBDataReader)c.ExecuteReader();
                var rows = new List<T>();
                while (reader.Read()) rows.Add(map(reader));
                return rows;
            });
        }
    }

    private T Run<T>(DuckDBCommand command, Func<DuckDBCommand, T> run)
    {
        Interlocked.Increment(ref _statements);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        _running = command;
        try
        {
            return run(command);
        }
        finally
        {
            _running = null;
            Interlocked.Add(ref _statementTicks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
        }
    }

    private DuckDBCommand Command(string sql, object?[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters) command.Parameters.Add(new DuckDBParameter(p ?? DBNull.Value));
        return command;
    }

    /// <summary>A DATE value as the provider hands it over (DateOnly or DateTime), as a date.</summary>
    public static DateOnly DateOf(object value) => value switch
    {
        DateOnly d => d,
        DateTime t => DateOnly.FromDateTime(t),
        _ => DateOnly.Parse(value.ToString()!),
    };

    public void Dispose() => Connection.Dispose();
}

/// <summary>A warehouse file DuckDB cannot open (damaged, not a DuckDB file, or from a newer DuckDB).</summary>
public sealed class UnreadableWarehouseException(string file, DuckDBException inner)
    : IOException($"{file} is not a DuckDB file this gaugenn can read ({inner.Message.Split('\n')[0]}); it holds nothing the event " +
                  "store lacks: `gaugenn project --rebuild` writes it anew", inner);
