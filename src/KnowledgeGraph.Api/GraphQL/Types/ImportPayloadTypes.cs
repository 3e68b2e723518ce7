using GraphQL;
using GraphQL.Types;
using KnowledgeGraph.Api.Exchange;
using KnowledgeGraph.Exchange;

namespace KnowledgeGraph.Api.GraphQL.Types;

public sealed class ImportFormatEnumType : EnumerationGraphType
{
    public ImportFormatEnumType()
    {
        Name = "ImportFormat";
        Description = "What `importGraph` reads (docs/import-export.md).";
        Add("SEED_JSON", ImportFormat.SeedJson, "The seed format (seed/README.md) as one JSON document: { sources, entities, relationships, observations, quotes }, source texts inline as `text`.");
        Add("ENTITIES_CSV", ImportFormat.EntitiesCsv, "CSV of entities: key, kind, name_en, name_fr, description_en, description_fr, aliases, citation1_source, citation1_start, citation1_end, citation1_excerpt...");
        Add("RELATIONSHIPS_CSV", ImportFormat.RelationshipsCsv, "CSV of relationships: key, type, from, to, role_en, role_fr, chart, occurred_on, note_en, note_fr, citation1_source...");
    }
}

public sealed class ImportRowOutcomeEnumType : EnumerationGraphType<ImportRowOutcome>
{
    public ImportRowOutcomeEnumType()
    {
        Name = "ImportRowOutcome";
        Description = "What an import did to one row.";
        Values["CREATED"]!.Description = "The record did not exist and now does.";
        Values["UPDATED"]!.Description = "The record existed and some of it changed.";
        Values["UNCHANGED"]!.Description = "The record already stood exactly so.";
        Values["REJECTED"]!.Description = "The row's batch was refused; nothing of that batch was written. `problems` says why.";
    }
}

public sealed class ImportPayloadType : ObjectGraphType<ImportReport>
{
    public ImportPayloadType()
    {
        Name = "ImportPayload";
        Description = "What an import did. Each batch was written all-or-nothing; a batch with a bad row was refused whole and the others landed.";
        Field<NonNullGraphType<IntGraphType>>("created").Description("Rows that created a record.").Resolve(c => c.Source.Count(ImportRowOutcome.Created));
        Field<NonNullGraphType<IntGraphType>>("updated").Description("Rows that updated a record.").Resolve(c => c.Source.Count(ImportRowOutcome.Updated));
        Field<NonNullGraphType<IntGraphType>>("unchanged").Description("Rows whose record already stood so.").Resolve(c => c.Source.Count(ImportRowOutcome.Unchanged));
        Field<NonNullGraphType<IntGraphType>>("rejected").Description("Rows not written because their batch was refused.").Resolve(c => c.Source.Count(ImportRowOutcome.Rejected));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ImportBatchType>>>>("batches").Description("Every batch, in order.").Resolve(c => c.Source.Batches);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ImportRowResultType>>>>("rows")
            .Description("Every row, in the order written, or only those with the given outcomes.")
            .Argument<ListGraphType<NonNullGraphType<ImportRowOutcomeEnumType>>>("outcomes", "Only rows with these outcomes, such as [REJECTED].")
            .Resolve(c =>
            {
                var outcomes = c.GetArgument<List<ImportRowOutcome>?>("outcomes");
                return outcomes is null ? c.Source.Rows : c.Source.Rows.Where(r => outcomes.Contains(r.Outcome)).ToList();
            });
    }
}

public sealed class ImportBatchType : ObjectGraphType<ImportBatchReport>
{
    public ImportBatchType()
    {
        Name = "ImportBatch";
        Description = "One batch of an import, written all-or-nothing.";
        Field(b => b.Number).Description("The batch's number, from 1.");
        Field(b => b.Rows).Description("How many rows it held.");
        Field(b => b.Written).Description("Whether it was written (false: refused whole).");
        Field<StringGraphType>("revision").Description("The graph's revision after the batch; null when refused.").Resolve(c => c.Source.Revision?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class ImportRowResultType : ObjectGraphType<ImportRowReport>
{
    public ImportRowResultType()
    {
        Name = "ImportRowResult";
        Description = "What an import did to one row.";
        Field(r => r.Row).Description("CSV: the line the row starts on (the header is line 1). Seed format: the row's 1-based position in its section.");
        Field(r => r.Location).Description("Where the row is: `line 7`, or `entities[3]` in the seed format.");
        Field<NonNullGraphType<RecordTypeEnumType>>("type").Description("What kind of record the row holds.").Resolve(c => c.Source.Type);
        Field(r => r.Key, nullable: true).Description("The row's key, when it has one.");
        Field(r => r.Batch).Description("The number of the batch the row was in.");
        Field<NonNullGraphType<ImportRowOutcomeEnumType>>("outcome").Description("Created, updated, unchanged or rejected.").Resolve(c => c.Source.Outcome);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ImportProblemType>>>>("problems").Description("Why the row (or its batch) was rejected; empty otherwise.").Resolve(c => c.Source.Problems);
    }
}

public sealed class ImportProblemType : ObjectGraphType<ImportProblem>
{
    public ImportProblemType()
    {
        Name = "ImportProblem";
        Description = "One thing wrong with a row.";
        Field(p => p.InputPath).Description("Where: a path in the seed document (`entities[3].citations[0].excerpt`) or a CSV column (`citation1_excerpt`).");
        Field(p => p.Message).Description("What is wrong.");
    }
}
