using Xunit.Abstractions;
using Xunit.Sdk;

namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>
/// A fact of a contract suite, declared once on an abstract base class and run by each subclass. It is skipped, with
/// the reason, in subclasses marked <see cref="RequiresEnvironmentAttribute"/> whose variable is not set.
/// </summary>
[XunitTestCaseDiscoverer("KnowledgeGraph.IntegrationTests.Support.ContractFactDiscoverer", "KnowledgeGraph.IntegrationTests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;

/// <summary>The test class needs an outside service, named by an environment variable (such as <c>NEO4J_URI</c>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresEnvironmentAttribute(string variable, string reason) : Attribute
{
    public string Variable { get; } = variable;

    public string Reason { get; } = reason;
}

public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        string? skip = null;
        foreach (var requirement in testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresEnvironmentAttribute)))
        {
            var arguments = requirement.GetConstructorArguments().Cast<string>().ToArray();
            if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(arguments[0])))
            {
                skip = arguments[1];
            }
        }

        yield return new EnvironmentTestCase(
            diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip);
    }
}

/// <summary>A test case whose skip reason comes from the environment rather than from its attribute.</summary>
public sealed class EnvironmentTestCase : XunitTestCase
{
    private string? _skipReason;

    [Obsolete("Called by the de-serializer", error: true)]
    public EnvironmentTestCase()
    {
    }

    public EnvironmentTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, string? skipReason)
        : base(sink, display, options, method) => _skipReason = skipReason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        base.Serialize(data);
        data.AddValue("EnvironmentSkipReason", _skipReason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _skipReason = data.GetValue<string?>("EnvironmentSkipReason");
        base.Deserialize(data);
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) => _skipReason ?? base.GetSkipReason(factAttribute);
}
