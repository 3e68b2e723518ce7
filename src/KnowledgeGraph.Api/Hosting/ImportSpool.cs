using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Hosting;

/// <summary>The <c>Import</c> configuration section: where <c>POST /import</c> spools its bodies.</summary>
public sealed class ImportSpoolOptions
{
    public const string Section = "Import";

    /// <summary>The folder of spooled import bodies (<c>kg-import-*</c> files); relative paths resolve against the working directory.</summary>
    [Required]
    public string SpoolDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "knowledge-graph-import");

    /// <summary>A spool file untouched for this long is left from a crash, and start-up deletes it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// The spool folder of <c>POST /import</c>: a spool file is deleted when its import ends, and one left by a process
/// that died mid-import (<c>kill -9</c>) is swept at the next start-up, before the server takes requests. Only files
/// untouched for <see cref="ImportSpoolOptions.StaleAfter"/> go, so another instance's import in progress is left alone.
/// </summary>
public sealed partial class ImportSpool(IOptions<ImportSpoolOptions> options, TimeProvider clock, ILogger<ImportSpool> logger) : IHostedService
{
    public const string FilePrefix = "kg-import-";

    /// <summary>The spool folder, created if missing.</summary>
    public string Directory { get; } = Path.GetFullPath(options.Value.SpoolDirectory);

    /// <summary>A new spool file's path (the file itself is created by its writer).</summary>
    public string NewFile()
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Path.Combine(Directory, FilePrefix + Guid.NewGuid().ToString("N"));
    }

    /// <summary>Deletes the stale spool files; returns how many went.</summary>
    public int Sweep()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }

        var staleBefore = clock.GetUtcNow().UtcDateTime - options.Value.StaleAfter;
        var swept = 0;
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles(FilePrefix + "*"))
        {
            if (file.LastWriteTimeUtc >= staleBefore)
            {
                continue;
            }

            try
            {
                file.Delete();
                swept++;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // In use or not ours to delete: the next start-up tries again.
            }
        }

        return swept;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var swept = Sweep();
        if (swept > 0)
        {
            Swept(logger, swept, Directory);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} import spool files left by an earlier process in {Directory}")]
    private static partial void Swept(ILogger logger, int count, string directory);
}
