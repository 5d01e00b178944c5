using System.Reflection;
using System.Reflection.Emit;

namespace CoopFeeds.Tests;

/// <summary>
/// What each folder of the executable may use (namespaces match folders). The areas — Ingestion, Publishing, Status — use
/// Core, Storage and the neutral pieces, never one another (one exception, <see cref="ReadersTheStudioShares"/>); the neutral pieces use no area; the command line runs the
/// areas' work, and Program.cs composes everything. Read from the compiled code: signatures and method bodies, so a use
/// written with a full name, inside a lambda or after an await counts as much as a using line.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Shared by the areas: the sources file in force, the store's wiring, the change signal, telemetry, the fetcher, serving.</summary>
    private static readonly HashSet<string> Neutral = ["Sources", "StorageSetup", "Changes", "Telemetry", "Fetching", "Serving"];

    private static readonly HashSet<string> Areas = ["Ingestion", "Publishing", "Status", "Studio"];

    /// <summary>
    /// The one use of an area by another: the studio reads listings and suggests sources with ingestion's reader, as
    /// <c>preview</c> and <c>suggest</c> do, so that what it shows is what ingestion would store. Only these types.
    /// </summary>
    private static readonly HashSet<Type> ReadersTheStudioShares =
        [typeof(CoopFeeds.Ingestion.ListingReader), typeof(CoopFeeds.Ingestion.ListingRead), typeof(CoopFeeds.Ingestion.ListingSuggestion)];

    /// <summary>The verbs: <c>ingest</c>, <c>preview</c> and <c>check</c> run ingestion's reader, <c>serve</c> the app Program.cs builds.</summary>
    private const string CommandLine = "Cli";

    /// <summary>Program.cs, in the global namespace.</summary>
    private const string Root = "";

    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    [Fact]
    public void EachAreaUsesOnlyCoreStorageAndTheNeutralPiecesAndNoFolderIsLeftOut()
    {
        var app = typeof(Program).Assembly;
        var folders = app.GetTypes().Select(FolderOf).OfType<string>().ToHashSet();
        var unplaced = folders.Where(f => !Neutral.Contains(f) && !Areas.Contains(f) && f is not (CommandLine or Root))
            .Select(f => $"{f}/ is neither an area nor a neutral piece: add it to one list");

        var uses = app.GetTypes()
            .SelectMany(from => TypesUsedBy(from).Where(to => to.Assembly == app).Select(to => (From: from, To: to)))
            .Select(use => (use.From, use.To, FromFolder: FolderOf(use.From), ToFolder: FolderOf(use.To)))
            .Where(use => use.FromFolder is not null && use.ToFolder is not null && use.FromFolder != use.ToFolder)
            .ToList();
        var forbidden = uses.Where(use => !MayUse(use.FromFolder!, use.ToFolder!)
                && !(use.FromFolder == "Studio" && ReadersTheStudioShares.Contains(Owner(use.To))))
            .Select(use => $"{use.FromFolder}/ uses {use.ToFolder}/: {Owner(use.From).FullName} uses {Owner(use.To).FullName}");

        Assert.Empty(unplaced.Concat(forbidden).Distinct().Order());
        // Neutral pieces may use one another, but not in a circle.
        Assert.Empty(Cycles(uses.Where(u => Neutral.Contains(u.FromFolder!) && Neutral.Contains(u.ToFolder!))
            .Select(u => (u.FromFolder!, u.ToFolder!)).Distinct().ToList()));
    }

    [Fact]
    public void TheCheckSeesEveryWayCodeCanNameAType()
    {
        Assert.Contains(typeof(Sample.Renderer), UsedByWithNested(typeof(Sample.BySignature)));
        Assert.Contains(typeof(Sample.Renderer), UsedByWithNested(typeof(Sample.ByCall)));
        Assert.Contains(typeof(Sample.Renderer), UsedByWithNested(typeof(Sample.ByLambda)));
        Assert.Contains(typeof(Sample.Renderer), UsedByWithNested(typeof(Sample.ByAwait)));
        Assert.Contains(typeof(Sample.Renderer), UsedByWithNested(typeof(Sample.ByGenericArgument)));
        Assert.Contains(typeof(Sample.Renderer), UsedByWithNested(typeof(Sample.ByTypeOf)));
        Assert.DoesNotContain(typeof(Sample.Renderer), UsedByWithNested(typeof(Sample.ByNothing)));
    }

    [Fact]
    public void ACircleIsFound() =>
        Assert.Equal(["A → B → C → A"], Cycles([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D")]));

    private static bool MayUse(string from, string to) =>
        from == Root
        || (from == CommandLine && (Neutral.Contains(to) || Areas.Contains(to) || to == Root))
        || ((Areas.Contains(from) || Neutral.Contains(from)) && Neutral.Contains(to));

    /// <summary>The folder of an app type: the namespace's part after "CoopFeeds.", Root for Program; null for generated code.</summary>
    private static string? FolderOf(Type type)
    {
        var ns = Owner(type).Namespace;
        if (ns is null) return Owner(type).Name.StartsWith('<') ? null : Root;
        return ns.StartsWith("CoopFeeds.", StringComparison.Ordinal) ? ns["CoopFeeds.".Length..].Split('.')[0] : null;
    }

    /// <summary>The outermost declaring type: a lambda's closure or an async state machine belongs to the type it is written in.</summary>
    private static Type Owner(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }

    private static HashSet<Type> UsedByWithNested(Type type) =>
        [.. TypesUsedBy(type), .. type.GetNestedTypes(Declared).SelectMany(UsedByWithNested)];

    /// <summary>Every type <paramref name="type"/> names in its signatures and in the bodies of its methods (its nested types are types of their own).</summary>
    private static IEnumerable<Type> TypesUsedBy(Type type)
    {
        var named = new List<Type?> { type.BaseType };
        named.AddRange(type.GetInterfaces());
        named.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        named.AddRange(type.GetProperties(Declared).Select(p => p.PropertyType));
        named.AddRange(type.GetEvents(Declared).Select(e => e.EventHandlerType));
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info) named.Add(info.ReturnType);
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
            named.AddRange(InBody(method));
        }
        return named.OfType<Type>().SelectMany(Unwrap).Distinct();
    }

    /// <summary>A type with the types inside it: <c>List&lt;FeedChange&gt;[]</c> names List, FeedChange and itself.</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType) return Unwrap(type.GetElementType()!);
        if (type.IsGenericParameter) return [];
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
            return [type.GetGenericTypeDefinition(), .. type.GetGenericArguments().SelectMany(Unwrap)];
        return [type];
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => op.Value);

    /// <summary>The types a method body names: its locals, what it catches, and every type, field and method its IL refers to.</summary>
    private static IEnumerable<Type?> InBody(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null) yield break;
        foreach (var local in body.LocalVariables) yield return local.LocalType;
        foreach (var clause in body.ExceptionHandlingClauses)
        {
            if (clause.Flags == ExceptionHandlingClauseOptions.Clause) yield return clause.CatchType;
        }

        var il = body.GetILAsByteArray()!;
        var typeArguments = method.DeclaringType is { IsGenericType: true } generic ? generic.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var op = il[at] == 0xFE ? OpCodesByValue[unchecked((short)(0xFE00 | il[at + 1]))] : OpCodesByValue[il[at]];
            at += op.Size;
            if (op.OperandType is OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                switch (member)
                {
                    case Type referenced:
                        yield return referenced;
                        break;
                    case MethodInfo called:
                        yield return called.DeclaringType;
                        foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : []) yield return argument;
                        break;
                    case not null:
                        yield return member.DeclaringType;
                        break;
                }
            }
            at += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
        }
    }

    /// <summary>Each circle in the graph once, as "A → B → A", starting from its least node.</summary>
    private static List<string> Cycles(IReadOnlyList<(string From, string To)> edges)
    {
        var next = edges.ToLookup(e => e.From, e => e.To);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var start in edges.Select(e => e.From).Distinct())
        {
            var path = new Stack<string>([start]);
            Walk(start);

            void Walk(string node)
            {
                foreach (var to in next[node])
                {
                    if (to == start && path.All(n => string.CompareOrdinal(start, n) <= 0))
                        found.Add(string.Join(" → ", path.Reverse().Append(start)));
                    else if (!path.Contains(to))
                    {
                        path.Push(to);
                        Walk(to);
                        path.Pop();
                    }
                }
            }
        }
        return [.. found];
    }

    /// <summary>One use of <see cref="Renderer"/> in each way code can name a type; the check must see every one.</summary>
    private static class Sample
    {
        public sealed class Renderer
        {
            public static int Epoch => 1;
        }

        public sealed class BySignature
        {
            public Renderer? Renderer { get; init; }
        }

        public sealed class ByCall
        {
            public int Run() => Renderer.Epoch;
        }

        public sealed class ByLambda
        {
            public Func<int> Run() => () => Renderer.Epoch;
        }

        public sealed class ByAwait
        {
            public async Task<int> RunAsync()
            {
                await Task.Yield();
                return Renderer.Epoch;
            }
        }

        public sealed class ByGenericArgument
        {
            public object Run(IServiceProvider services) => services.GetRequiredService<Renderer>();
        }

        public sealed class ByTypeOf
        {
            public string Run() => typeof(Renderer).Name;
        }

        public sealed class ByNothing
        {
            public int Run() => 1;
        }
    }
}
