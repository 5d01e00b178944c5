using System.Reflection;
using CoopFeeds.Serving;
using Microsoft.Extensions.Configuration;

namespace CoopFeeds.Tests.Docker;

/// <summary>
/// Whether the service reads a setting given as an environment variable (<c>Section__Key</c>): its section is bound to the
/// options classes that read it by the real configuration binder, told to fail on a key no property takes.
/// </summary>
internal static class ServiceSettings
{
    /// <summary>Every options class of the service: a class with a constant <c>Section</c> that configuration can build.</summary>
    public static readonly ILookup<string, Type> OptionsBySection = typeof(PublishingOptions).Assembly.GetTypes()
        .Where(type => type is { IsClass: true, IsAbstract: false } && type.GetConstructor(Type.EmptyTypes) is not null)
        .Select(type => (Type: type, Field: type.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
        .Where(options => options.Field is { IsLiteral: true })
        .ToLookup(options => (string)options.Field!.GetRawConstantValue()!, options => options.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The keys under <c>Storage:</c>, which StorageRegistration.AddItemStore reads itself rather than through an options class;
    /// their values are checked by building the service (see the compose tests).
    /// </summary>
    private static readonly HashSet<string> StorageKeys = new(["Provider", "ConnectionString"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Why the service would not take <paramref name="variable"/> = <paramref name="value"/>, or null when it would.</summary>
    public static string? Problem(string variable, string value)
    {
        var path = variable.Replace("__", ConfigurationPath.KeyDelimiter);
        var parts = path.Split(ConfigurationPath.KeyDelimiter, 2);
        if (parts.Length < 2) return $"{variable}: not a Section__Key setting";
        var (section, key) = (parts[0], parts[1]);

        if (section.Equals("Storage", StringComparison.OrdinalIgnoreCase))
            return StorageKeys.Contains(key) ? null : $"{variable}: Storage has no setting '{key}'";
        if (!OptionsBySection[section].Any()) return $"{variable}: no options class reads the section '{section}'";

        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(path, value)]).Build().GetSection(section);
        var failures = new List<string>();
        foreach (var type in OptionsBySection[section])
        {
            try
            {
                configuration.Get(type, binder => binder.ErrorOnUnknownConfiguration = true);
                return null;
            }
            catch (InvalidOperationException ex)
            {
                failures.Add($"{type.Name}: {ex.Message}");
            }
        }
        return $"{variable}={value}: " + string.Join("; ", failures);
    }
}
