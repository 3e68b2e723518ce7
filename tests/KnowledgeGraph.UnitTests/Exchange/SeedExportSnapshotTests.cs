using System.Text;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.UnitTests.Exchange;

// The seed export serialises the seed loader's own entry types; these snapshots pin its bytes (member order, what is
// left out when empty, figures without trailing zeros, text left unescaped) for records that use every field.
// UPDATE_SNAPSHOTS=1 rewrites them on purpose.
public sealed class SeedExportSnapshotTests : IDisposable
{
    private static readonly string Snapshots = Path.Combine(RepositoryPaths.Root, "tests", "KnowledgeGraph.UnitTests", "Exchange", "Snapshots");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kg-seed-export-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_single_document_export_writes_every_field_as_approved()
    {
        using var output = new MemoryStream();

        await SeedWriter.WriteDocumentAsync(EveryField(), output, CancellationToken.None);

        Approve("SeedExport.document.json", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task The_folder_export_writes_every_file_as_approved()
    {
        await SeedWriter.WriteFolderAsync(EveryField(), _directory, CancellationToken.None);

        foreach (var file in new[] { "sources.json", "entities.json", "relationships.json", "observations.json", "quotes.json", "claims.json" })
        {
            Approve("SeedExport.folder." + file, await File.ReadAllTextAsync(Path.Combine(_directory, file)));
        }

        Assert.Equal("text é \u2028 <x>", await File.ReadAllTextAsync(Path.Combine(_directory, "sources", "s1.fr.txt")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static GraphSnapshot EveryField()
    {
        var citations = new List<Citation> { new("s1", "ex \"é\" <b>", 1, 5), new("s1", "un", Citation.Unplaced, Citation.Unplaced) };
        var e1 = new EntityKey("e1");
        return new GraphSnapshot(
            [
                new Source("s1", new("T 'x'", "T é"), Language.Fr, "2020", null, "text é \u2028 <x>") { RetrievedOn = "2021-02" },
                new Source("s2", new("U", "V"), Language.En, "2021-01-13", "https://example.org/a?b=1&c=2", "plain"),
            ],
            [
                new Entity(e1, EntityKind.Person, new("a", "b"), new("c", "d"), [new EntityAlias("al", null), new EntityAlias("al2", Language.Fr)], citations),
                new Entity(new EntityKey("e2"), EntityKind.Company, new("a", "b"), new("c", "d"), [], []),
            ],
            [
                new Relationship("r1", RelationshipType.Founded, e1, e1, new RelationshipProperties(null, "c", null, new("n", "m")), [])
                {
                    Provenance = new FactProvenance(Basis.Reported, e1, new("r", "s"), "h"),
                    PeriodStart = "2020",
                    PeriodEnd = "2021",
                    DateBasis = DateBasis.Stated,
                },
                new Relationship("r2", RelationshipType.Owns, e1, e1, new RelationshipProperties(new("x", "y"), null, "2020", null), citations),
                new Relationship("r3", RelationshipType.Owns, e1, e1, new RelationshipProperties(), citations),
            ],
            [
                new Observation("o1", e1, "m", 25000000.000m, "u", Precision.Exact, null, "2020", "P1Y", e1, new("n", "o"), citations)
                {
                    Provenance = new FactProvenance(Basis.Inferred, null, null, "hh"),
                    ShareOf = "o2",
                    DateBasis = DateBasis.Stated,
                },
                new Observation("o2", e1, "m", -0.50m, "u", Precision.Exact, "2021-01", null, null, null, null, []),
                new Observation("o3", e1, "m", 79228162514264337593543950335m, "u", Precision.Exact, null, null, null, null, null, []),
                new Observation("o4", e1, "m", 0.0000000000000000000000000001m, "u", Precision.Exact, null, null, null, null, null, []),
            ],
            [new Quote("q1", e1, "t", Language.Fr, null, citations), new Quote("q2", e1, "t", Language.En, "tr", [])])
        {
            Claims =
            [
                new Claim("c1", new("a", "b"), [], FactProvenance.Stated, []),
                new Claim("c2", new("a", "b"), [e1, new EntityKey("e2")], new FactProvenance(Basis.Reported, e1, new("r", "s"), "hh"), citations),
            ],
        };
    }

    private static void Approve(string name, string actual)
    {
        var path = Path.Combine(Snapshots, name);
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Snapshots);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"No approved snapshot {path}; run the tests with UPDATE_SNAPSHOTS=1, review the file and commit it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
