using GraphQL;
using GraphQL.Types;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.GraphQL.Types;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Api.Writes;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Security;
using KnowledgeGraph.Writes;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// Partners' writes. Every mutation needs a partner or admin key, is all-or-nothing, idempotent by key, and refused
/// as a whole when any fact lacks a citation whose excerpt stands in its source.
/// </summary>
public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";
        Description = "Writes, for partner and admin keys. Each is applied all-or-nothing and recorded with who made it and when.";

        Write<EntityInputType, Entity>("upsertEntity", "Creates or updates an entity by key.", e => GraphWrite.Empty with { Entities = [e] });
        Write<RelationshipInputType, Relationship>("upsertRelationship", "Creates or updates a relationship by key.", r => GraphWrite.Empty with { Relationships = [r] });
        Write<ObservationInputType, ObservationInput>("upsertObservation", "Creates or updates an observation by key.", o => GraphWrite.Empty with { Observations = [o.At(0)] });
        Write<QuoteInputType, Quote>("upsertQuote", "Creates or updates a quote by key.", q => GraphWrite.Empty with { Quotes = [q] });
        Write<ClaimInputType, Claim>("upsertClaim", "Creates or updates a claim by key.", c => GraphWrite.Empty with { Claims = [c] });
        Write<SourceInputType, Source>("upsertSource", "Creates or updates a source, with its full text, by key.", s => GraphWrite.Empty with { Sources = [s] });
        Write<RetractInputType, Retraction>("retract", "Withdraws a record, keeping it in its history with who, when and why. An entity takes the facts about it along.", r => GraphWrite.Empty with { Retractions = [r] });
        Write<GraphWriteInputType, GraphWriteInput>("write", "Applies a batch of upserts and retractions all-or-nothing.", w => w.ToWrite());
        this.AddImportGraph();
    }

    /// <summary>
    /// Where a problem is in the mutation's input: a batch names the list and index (<c>input.entities[0].key</c>);
    /// a single-record mutation's input is the record itself (<c>input.citations[1].excerpt</c>).
    /// </summary>
    internal static string InputPath(string mutation, string problemPath)
    {
        if (problemPath == "input")
        {
            return "input";
        }

        if (mutation == "write")
        {
            return "input." + problemPath;
        }

        var dot = problemPath.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? "input" : "input" + problemPath[dot..];
    }

    private void Write<TInputType, TInput>(string name, string description, Func<TInput, GraphWrite> toWrite)
        where TInputType : IInputObjectGraphType
        where TInput : class =>
        Field<WritePayloadType>(name)
            .Description($"{description} Needs a partner or admin key. Null, with one error per problem, when the write is refused.")
            .Argument<NonNullGraphType<TInputType>>("input", "What to write.")
            .RequiresRole(ApiRole.Partner)
            .ResolveAsync(async context =>
            {
                var actor = new WriteActor(Caller.IdOf(context.User), Caller.RoleOf(context.User)?.ToString() ?? Caller.Anonymous);
                try
                {
                    var write = toWrite(context.GetArgument<TInput>("input"));
                    return await context.RequestServices!.GetRequiredService<GraphWriter>().WriteAsync(write, actor, context.CancellationToken);
                }
                catch (WriteValidationException refused)
                {
                    foreach (var problem in refused.Problems)
                    {
                        var inputPath = InputPath(name, problem.Path);
                        context.Errors.Add(new ExecutionError($"{inputPath}: {problem.Message}")
                        {
                            Code = ErrorCodes.WriteValidationFailed,
                            Path = context.Path,
                            Extensions = new Dictionary<string, object?> { ["inputPath"] = inputPath },
                        });
                    }

                    return null;
                }
            });
}
