using System.Globalization;
using System.Text;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Benchmarks;

/// <summary>
/// A synthetic knowledge graph of the seed's shape (every entity kind, every relationship type between sensible
/// kinds, en/fr texts, aliases, citations into generated source texts) at any size. The same seed and sizes always
/// give the same graph. Only a few bytes per entity are kept (its kind, and per kind the list of its members);
/// records are generated on demand, so the graph can be streamed at sizes that would not fit in memory.
/// </summary>
public sealed class SyntheticGraph
{
    // Share of each kind among entities, in tenths of a percent.
    private static readonly (EntityKind Kind, int PerMille)[] KindMix =
    [
        (EntityKind.Person, 340),
        (EntityKind.Company, 220),
        (EntityKind.App, 220),
        (EntityKind.Endorsement, 120),
        (EntityKind.Controversy, 80),
        (EntityKind.Region, 15),
        (EntityKind.Platform, 5),
    ];

    // The relationships each kind starts, with their relative weights; the target kinds follow the seed's usage.
    private static readonly Dictionary<EntityKind, (RelationshipType Type, EntityKind To, int Weight)[]> Outgoing = new()
    {
        [EntityKind.Company] =
        [
            (RelationshipType.Owns, EntityKind.App, 40),
            (RelationshipType.Owns, EntityKind.Company, 10),
            (RelationshipType.InvolvedIn, EntityKind.Controversy, 25),
            (RelationshipType.BenefitedFrom, EntityKind.Controversy, 10),
        ],
        [EntityKind.Person] =
        [
            (RelationshipType.Founded, EntityKind.Company, 15),
            (RelationshipType.Founded, EntityKind.App, 10),
            (RelationshipType.Leads, EntityKind.Company, 20),
            (RelationshipType.Leads, EntityKind.App, 10),
            (RelationshipType.Gave, EntityKind.Endorsement, 10),
            (RelationshipType.Criticized, EntityKind.Company, 10),
            (RelationshipType.Criticized, EntityKind.App, 10),
            (RelationshipType.InvolvedIn, EntityKind.Controversy, 15),
        ],
        [EntityKind.App] =
        [
            (RelationshipType.AvailableOn, EntityKind.Platform, 35),
            (RelationshipType.CompetesWith, EntityKind.App, 20),
            (RelationshipType.ToppedChart, EntityKind.Platform, 10),
            (RelationshipType.Displaced, EntityKind.App, 5),
            (RelationshipType.InvolvedIn, EntityKind.Controversy, 10),
            (RelationshipType.BenefitedFrom, EntityKind.Controversy, 10),
        ],
        [EntityKind.Endorsement] =
        [
            (RelationshipType.Endorses, EntityKind.App, 50),
            (RelationshipType.PublishedOn, EntityKind.Platform, 50),
        ],
    };

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ra", "ven", "tor", "el", "sa", "qui", "dor", "ne", "vi", "xa", "lu", "bre", "zon",
        "fi", "ga", "mo", "pel", "tri", "au", "cel", "dan", "est", "fla", "gor", "hin", "ix", "jo", "mé", "rè",
    ];

    private static readonly string[] FirstNames =
    [
        "Camille", "Pavel", "Amina", "Lucas", "Chloé", "Noah", "Inès", "Hugo", "Léa", "Omar", "Sofia", "Jules",
        "Maya", "Karim", "Elena", "Théo", "Nadia", "Louis", "Yara", "Adam", "Zoé", "Ivan", "Lina", "Marc",
        "Aïcha", "Paul", "Emma", "Victor", "Sarah", "Tom", "Alice", "Malik", "Clara", "Nikolai", "Jade", "Elon",
    ];

    private static readonly (string En, string Fr)[] CompanySuffixes =
    [
        ("Systems", "Systèmes"), ("Labs", "Laboratoires"), ("Group", "Groupe"), ("Technologies", "Technologies"),
        ("Media", "Médias"), ("Networks", "Réseaux"), ("Holdings", "Holding"), ("Software", "Logiciels"),
    ];

    private static readonly string[] AppSuffixes = ["Chat", "Messenger", "Talk", "Mail", "Pay", "Maps", "Photos", "Notes"];

    private static readonly (string En, string Fr)[] RegionForms =
    [
        ("{0} Valley", "Vallée de {0}"), ("{0} Islands", "Îles {0}"), ("North {0}", "{0} du Nord"), ("{0} Coast", "Côte de {0}"),
    ];

    private static readonly (string En, string Fr)[] Roles =
    [
        ("Chief executive officer", "Président-directeur général"), ("Founder", "Fondateur"),
        ("Chief technology officer", "Directeur technique"), ("Head of product", "Responsable produit"),
    ];

    private static readonly string[] Charts = ["App Store (France)", "Google Play (US)", "App Store (India)", "Google Play (Germany)"];

    private static readonly string[] Words =
    [
        "privacy", "users", "messages", "download", "chart", "encrypted", "terms", "update", "exodus", "confidentialité",
        "utilisateurs", "téléchargements", "application", "semaine", "millions", "données", "rival", "service", "réseau",
        "social", "signal", "record", "growth", "platform", "store", "policy", "changes", "Facebook", "partage", "sécurité",
    ];

    private readonly ulong _seed;
    private readonly byte[] _kinds;
    private readonly int[][] _members;
    private readonly double _totalWeight;
    private readonly string _keyFormat;

    public SyntheticGraph(int entities, long relationships, ulong seed = 42, int sources = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(entities, 100);
        ArgumentOutOfRangeException.ThrowIfNegative(relationships);
        EntityCount = entities;
        RelationshipCount = relationships;
        _seed = seed;
        _keyFormat = new string('0', Math.Max(7, entities.ToString(CultureInfo.InvariantCulture).Length));

        _kinds = new byte[entities];
        var counts = new int[KindMix.Length];
        var totalWeight = 0.0;
        for (var i = 0; i < entities; i++)
        {
            var random = Stream(1, i);
            var roll = random.Next(1000);
            var k = 0;
            while (roll >= KindMix[k].PerMille)
            {
                roll -= KindMix[k].PerMille;
                k++;
            }

            // The first entities of each kind are guaranteed, so every kind exists even in a small graph.
            if (i < KindMix.Length)
            {
                k = i;
            }

            _kinds[i] = (byte)k;
            counts[k]++;
            totalWeight += OutWeight(i, KindMix[k].Kind);
        }

        _totalWeight = totalWeight;
        _members = counts.Select(c => new int[c]).ToArray();
        var filled = new int[KindMix.Length];
        for (var i = 0; i < entities; i++)
        {
            _members[_kinds[i]][filled[_kinds[i]]++] = i;
        }

        Sources = Enumerable.Range(0, sources).Select(BuildSource).ToList();
    }

    public int EntityCount { get; }

    public long RelationshipCount { get; }

    public IReadOnlyList<Source> Sources { get; }

    public EntityKind KindOf(int index) => KindMix[_kinds[index]].Kind;

    public EntityKey KeyOf(int index) =>
        new($"{Vocabulary.ToWireName(KindOf(index)).ToLowerInvariant()}-{index.ToString(_keyFormat, CultureInfo.InvariantCulture)}");

    /// <summary>Entity <paramref name="index"/>, the same on every call.</summary>
    public Entity EntityAt(int index)
    {
        var random = Stream(2, index);
        var kind = KindOf(index);
        var word = Word(ref random);
        var (name, description) = kind switch
        {
            EntityKind.Person => PersonTexts(ref random, word),
            EntityKind.Company => CompanyTexts(ref random, word),
            EntityKind.App => AppTexts(ref random, word),
            EntityKind.Platform => (new LocalizedText($"{word} Store", $"Boutique {word}"), Describe("an app store", "une boutique d’applications", word)),
            EntityKind.Region => RegionTexts(ref random, word),
            EntityKind.Controversy => ControversyTexts(ref random, word),
            _ => EndorsementTexts(ref random, word),
        };

        var aliases = new List<EntityAlias>();
        var aliasCount = random.Next(3);
        if (aliasCount > 0)
        {
            aliases.Add(new EntityAlias(word.ToUpperInvariant(), null));
        }

        if (aliasCount > 1 && name.Fr != name.En)
        {
            aliases.Add(new EntityAlias(name.Fr.ToLowerInvariant(), Language.Fr));
        }

        var citations = new List<Citation> { Cite(ref random) };
        if (random.Next(4) == 0)
        {
            citations.Add(Cite(ref random));
        }

        return new Entity(KeyOf(index), kind, name, description, aliases, citations);
    }

    public IEnumerable<Entity> Entities()
    {
        for (var i = 0; i < EntityCount; i++)
        {
            yield return EntityAt(i);
        }
    }

    /// <summary>
    /// Every relationship, grouped by the entity it starts from, in entity order. Out-degrees follow a Pareto
    /// distribution (most entities start a few relationships, a few start thousands); targets are drawn with a
    /// strong bias to the first members of their kind, which makes in-degree hubs such as a dominant app store.
    /// </summary>
    public IEnumerable<Relationship> Relationships()
    {
        var cumulative = 0.0;
        long emitted = 0;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < EntityCount; i++)
        {
            var weight = OutWeight(i, KindOf(i));
            if (weight == 0)
            {
                continue;
            }

            cumulative += weight;
            var upTo = cumulative >= _totalWeight ? RelationshipCount : (long)(RelationshipCount * (cumulative / _totalWeight));
            var degree = upTo - emitted;
            if (degree <= 0)
            {
                continue;
            }

            var random = Stream(3, i);
            var from = KeyOf(i);
            var choices = Outgoing[KindOf(i)];
            var totalChoice = choices.Sum(c => c.Weight);
            keys.Clear();
            for (long d = 0; d < degree; d++)
            {
                var roll = random.Next(totalChoice);
                var c = 0;
                while (roll >= choices[c].Weight)
                {
                    roll -= choices[c].Weight;
                    c++;
                }

                var (type, toKind, _) = choices[c];
                var to = Target(ref random, toKind, i);
                var toKey = KeyOf(to);
                var key = $"{from.Value}-{Vocabulary.ToWireName(type).ToLowerInvariant().Replace('_', '-')}-{toKey.Value}";
                if (!keys.Add(key))
                {
                    var n = 2;
                    while (!keys.Add($"{key}-{n}"))
                    {
                        n++;
                    }

                    key = $"{key}-{n}";
                }

                yield return new Relationship(key, type, from, toKey, Properties(ref random, type), [Cite(ref random)]);
            }

            emitted = upTo;
        }
    }

    /// <summary>
    /// A random entity of a kind that takes part in relationships (regions do not), for path and lookup queries.
    /// </summary>
    public int RandomConnectedEntity(ref SplitMix64 random)
    {
        while (true)
        {
            var index = random.Next(EntityCount);
            if (KindOf(index) != EntityKind.Region)
            {
                return index;
            }
        }
    }

    private double OutWeight(int index, EntityKind kind)
    {
        if (!Outgoing.ContainsKey(kind))
        {
            return 0;
        }

        // Pareto with shape 1.6, capped so one entity cannot take a sizeable share of a small graph.
        var random = Stream(4, index);
        return Math.Min(2000, Math.Pow(1 - random.NextDouble(), -1 / 1.6));
    }

    private int Target(ref SplitMix64 random, EntityKind kind, int notIndex)
    {
        var members = _members[Array.FindIndex(KindMix, k => k.Kind == kind)];
        for (var attempt = 0; ; attempt++)
        {
            // rank = n * u^2: the first member gets about 1/sqrt(n) of all the edges into its kind.
            var u = random.NextDouble();
            var rank = (int)(members.Length * u * u);
            var index = members[Math.Min(rank, members.Length - 1)];
            if (index != notIndex || members.Length == 1)
            {
                return index != notIndex ? index : members[(rank + 1) % members.Length];
            }

            if (attempt > 4)
            {
                return members[(rank + 1) % members.Length];
            }
        }
    }

    private static RelationshipProperties Properties(ref SplitMix64 random, RelationshipType type)
    {
        LocalizedText? note = random.Next(3) == 0
            ? new LocalizedText($"Reported in week {random.Next(52) + 1}.", $"Rapporté la semaine {random.Next(52) + 1}.")
            : null;
        return type switch
        {
            RelationshipType.Leads => new RelationshipProperties(Role: Role(ref random), Note: note),
            RelationshipType.ToppedChart or RelationshipType.Displaced => new RelationshipProperties(Chart: Pick(ref random, Charts), Note: note),
            RelationshipType.InvolvedIn => new RelationshipProperties(OccurredOn: PartialDate(ref random), Note: note),
            _ => note is null ? RelationshipProperties.None : new RelationshipProperties(Note: note),
        };
    }

    private static LocalizedText Role(ref SplitMix64 random)
    {
        var (en, fr) = Pick(ref random, Roles);
        return new LocalizedText(en, fr);
    }

    private Citation Cite(ref SplitMix64 random)
    {
        var source = Sources[random.Next(Sources.Count)];
        var length = 20 + random.Next(40);
        var start = random.Next(source.Text.Length - length);

        // Source texts hold no surrogate pairs, so string offsets are code point offsets, as citations require.
        return new Citation(source.Key, source.Text.Substring(start, length), start, start + length);
    }

    private Source BuildSource(int index)
    {
        var random = Stream(5, index);
        var text = new StringBuilder();
        while (text.Length < 6000)
        {
            var words = 6 + random.Next(10);
            for (var w = 0; w < words; w++)
            {
                var word = Pick(ref random, Words);
                text.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word).Append(w == words - 1 ? ". " : " ");
            }
        }

        var language = index % 2 == 0 ? Language.Fr : Language.En;
        return new Source(
            $"synthetic-source-{index:D3}",
            new LocalizedText($"Synthetic article {index}", $"Article synthétique {index}"),
            language,
            $"2021-{1 + (index % 12):D2}",
            null,
            text.ToString().TrimEnd());
    }

    private static (LocalizedText, LocalizedText) PersonTexts(ref SplitMix64 random, string word)
    {
        var full = $"{Pick(ref random, FirstNames)} {word}";
        return (new LocalizedText(full, full), Describe("a person quoted about messaging apps", "une personne citée au sujet des messageries", full));
    }

    private static (LocalizedText, LocalizedText) CompanyTexts(ref SplitMix64 random, string word)
    {
        var (en, fr) = Pick(ref random, CompanySuffixes);
        return (new LocalizedText($"{word} {en}", $"{word} {fr}"), Describe("a technology company", "une entreprise technologique", word));
    }

    private static (LocalizedText, LocalizedText) AppTexts(ref SplitMix64 random, string word)
    {
        var name = $"{word} {Pick(ref random, AppSuffixes)}";
        return (new LocalizedText(name, name), Describe("a messaging app", "une application de messagerie", name));
    }

    private static (LocalizedText, LocalizedText) RegionTexts(ref SplitMix64 random, string word)
    {
        var (en, fr) = Pick(ref random, RegionForms);
        return (new LocalizedText(string.Format(CultureInfo.InvariantCulture, en, word), string.Format(CultureInfo.InvariantCulture, fr, word)), Describe("a region where downloads were counted", "une région où les téléchargements ont été comptés", word));
    }

    private static (LocalizedText, LocalizedText) ControversyTexts(ref SplitMix64 random, string word)
    {
        var year = 2010 + random.Next(15);
        return (new LocalizedText($"{word} data leak of {year}", $"Fuite de données {word} de {year}"), Describe("a privacy controversy", "une controverse sur la vie privée", word));
    }

    private static (LocalizedText, LocalizedText) EndorsementTexts(ref SplitMix64 random, string word)
    {
        var who = Pick(ref random, FirstNames);
        return (new LocalizedText($"{who}’s endorsement of {word}", $"Recommandation de {word} par {who}"), Describe("a public endorsement", "une recommandation publique", word));
    }

    private static LocalizedText Describe(string whatEn, string whatFr, string name) =>
        new($"{name} is {whatEn}, as the article reports.", $"{name} est {whatFr}, d’après l’article.");

    private static string Word(ref SplitMix64 random)
    {
        var syllables = 2 + random.Next(2);
        var builder = new StringBuilder();
        for (var s = 0; s < syllables; s++)
        {
            builder.Append(Pick(ref random, Syllables));
        }

        builder[0] = char.ToUpperInvariant(builder[0]);
        return builder.ToString();
    }

    private static string PartialDate(ref SplitMix64 random) =>
        $"{2010 + random.Next(15)}-{1 + random.Next(12):D2}-{1 + random.Next(28):D2}";

    private static T Pick<T>(ref SplitMix64 random, T[] values) => values[random.Next(values.Length)];

    /// <summary>An independent random stream for one purpose and one entity, so any record can be rebuilt alone.</summary>
    private SplitMix64 Stream(ulong purpose, long index) =>
        new(SplitMix64.Mix(_seed ^ SplitMix64.Mix((purpose << 48) ^ (ulong)index)));
}

/// <summary>SplitMix64: tiny, fast, and the same on every platform and runtime version, unlike System.Random.</summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong() => Mix(_state += 0x9E3779B97F4A7C15UL);

    public int Next(int exclusiveMax) => (int)((NextULong() >> 1) % (ulong)exclusiveMax);

    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));
}
