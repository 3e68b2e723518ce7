using KnowledgeGraph.Exchange;

namespace KnowledgeGraph.Api.Exchange;

/// <summary>
/// A file to import, open for reading. CSV is streamed: rows are read as the importer asks for each batch, so memory
/// stays flat whatever the file's size. The seed formats are read whole (one JSON document, or a folder of them).
/// </summary>
public sealed class ImportSource : IDisposable
{
    private readonly FileStream? _stream;
    private readonly int _total;
    private int _read;

    private ImportSource(IEnumerable<ImportRow> rows, FileStream? stream, int total)
    {
        _stream = stream;
        _total = total;
        Rows = Count(rows);
    }

    /// <summary>The rows, read once, in order.</summary>
    public IEnumerable<ImportRow> Rows { get; }

    /// <summary>How much of the input has been read, from 0 to 1 (by bytes for CSV, by rows otherwise).</summary>
    public double Fraction => _stream is { Length: > 0 } stream
        ? Math.Min(1, (double)stream.Position / stream.Length)
        : _total == 0 ? 1 : (double)_read / _total;

    /// <summary>
    /// Opens <paramref name="path"/> as <paramref name="format"/>; a CSV's header is checked here, so content that
    /// cannot be read at all fails (<see cref="ImportFormatException"/>) before anything is written.
    /// </summary>
    public static async Task<ImportSource> OpenAsync(string path, ImportFormat format, CancellationToken cancellationToken)
    {
        switch (format)
        {
            case ImportFormat.Seed:
                var folder = await SeedImportReader.ReadFolderAsync(path, cancellationToken);
                return new ImportSource(folder, null, folder.Count);
            case ImportFormat.SeedJson:
                var document = SeedImportReader.ReadDocument(await File.ReadAllTextAsync(path, cancellationToken));
                return new ImportSource(document, null, document.Count);
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024, FileOptions.SequentialScan);
        try
        {
            var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
            var rows = format == ImportFormat.EntitiesCsv ? GraphCsv.StreamEntities(reader) : GraphCsv.StreamRelationships(reader);
            return new ImportSource(rows, stream, 0);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _stream?.Dispose();

    private IEnumerable<ImportRow> Count(IEnumerable<ImportRow> rows)
    {
        foreach (var row in rows)
        {
            _read++;
            yield return row;
        }
    }
}
