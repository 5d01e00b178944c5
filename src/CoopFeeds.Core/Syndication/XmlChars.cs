using System.Text;

namespace CoopFeeds.Core.Syndication;

/// <summary>
/// Removes the characters XML 1.0 cannot carry, so that a scraped string can never make a feed ill-formed.
/// </summary>
/// <remarks>
/// XML 1.0 §2.2 (production [2] Char) admits tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and paired surrogates only.
/// The rest cannot be escaped either: <c>&amp;#x1;</c> breaks the same rule (§4.1, WFC Legal Character),
/// so they are dropped. Normalization already cleans items; this is the writers' last line of defence.
/// </remarks>
public static class XmlChars
{
    /// <summary>Returns <paramref name="value"/> without forbidden characters ("" for null); the same instance when already clean.</summary>
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var first = IndexOfForbidden(value);
        if (first < 0)
        {
            return value;
        }

        var clean = new StringBuilder(value.Length);
        clean.Append(value, 0, first);
        for (var i = first; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    clean.Append(c).Append(value[i + 1]);
                    i++;
                }

                continue;
            }

            if (IsAllowedSingle(c))
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    private static int IndexOfForbidden(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (!IsAllowedSingle(c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A UTF-16 unit that is a whole XML 1.0 Char on its own (surrogates are legal only in pairs).</summary>
    private static bool IsAllowedSingle(char c) => c switch
    {
        '\t' or '\n' or '\r' => true,
        < '\u0020' => false,
        >= '\uD800' and <= '\uDFFF' => false,
        '\uFFFE' or '\uFFFF' => false,
        _ => true,
    };
}
