using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.IntegrationTests.Exchange;

/// <summary>A spool file left by a process killed mid-import is swept when the app next starts; nothing else is.</summary>
public sealed class ImportSpoolTests
{
    [Fact]
    public async Task Start_up_deletes_stale_spool_files_and_keeps_fresh_ones_and_other_files()
    {
        using var folder = new TemporaryDirectory("kg-spool");
        var stale = Path.Combine(folder.Path, "kg-import-0123456789abcdef");
        var fresh = Path.Combine(folder.Path, "kg-import-fedcba9876543210");
        var other = Path.Combine(folder.Path, "notes.txt");
        foreach (var path in new[] { stale, fresh, other })
        {
            await File.WriteAllTextAsync(path, "entities,csv\n");
        }

        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));
        File.SetLastWriteTimeUtc(other, DateTime.UtcNow.AddHours(-2));

        await using var app = new KnowledgeGraphApp { Settings = [("Import:SpoolDirectory", folder.Path)] };
        var health = await app.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.True(health.IsSuccessStatusCode);
        Assert.False(File.Exists(stale), "the stale spool file is still there");
        Assert.True(File.Exists(fresh), "a spool file in use by another instance was deleted");
        Assert.True(File.Exists(other), "a file that is not a spool file was deleted");
    }
}
