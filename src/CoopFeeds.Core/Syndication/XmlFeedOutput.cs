using System.Text;
using System.Xml;
using System.Xml.Serialization;

namespace CoopFeeds.Core.Syndication;

/// <summary>The XmlWriter set-up shared by <see cref="Rss20Writer"/>, <see cref="Atom10Writer"/> and <see cref="Opml20Writer"/>, and the cleaned-text primitives of the last.</summary>
internal static class XmlFeedOutput
{
    private const string XmlnsPrefix = "xmlns";

    /// <summary>
    /// UTF-8 without a byte order mark, declared as <c>&lt;?xml version="1.0" encoding="utf-8"?&gt;</c> (XML 1.0 §4.3.3, RFC 7303 §3).
    /// CheckCharacters stays on so that a forbidden character that slips past <see cref="XmlChars.Clean"/> fails loudly instead of
    /// being written as an (equally illegal) character reference. Newlines are fixed to LF so every platform writes the same bytes,
    /// and CR inside text is entitized so that strings round-trip exactly.
    /// </summary>
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        NewLineHandling = NewLineHandling.Entitize,
        CheckCharacters = true,
        OmitXmlDeclaration = false,
        CloseOutput = false,
    };

    public static byte[] Write(Action<XmlWriter> writeRoot)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, Settings))
        {
            writer.WriteStartDocument();
            writeRoot(writer);
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Writes a syndication formatter's document under a root element opened here, declaring <paramref name="namespaces"/> on it
    /// (prefix "" for the default namespace): the formatters would otherwise declare an extension's namespace on each extension
    /// element, and the conventional prefixes belong on the root (RSS "Extending RSS"; the validator flags others).
    /// </summary>
    public static byte[] Write(IXmlSerializable formatter, string rootName, string? rootNamespace, IEnumerable<(string Prefix, string Namespace)> namespaces) =>
        Write(writer =>
        {
            writer.WriteStartElement(rootName, rootNamespace);
            foreach (var (prefix, ns) in namespaces)
            {
                if (prefix.Length == 0)
                {
                    writer.WriteAttributeString(XmlnsPrefix, ns);
                }
                else
                {
                    writer.WriteAttributeString(XmlnsPrefix, prefix, null, ns);
                }
            }

            formatter.WriteXml(writer);
            writer.WriteEndElement();
        });

    /// <summary>Writes <c>&lt;name&gt;text&lt;/name&gt;</c> with the text cleaned and escaped by the writer (XML 1.0 §2.4).</summary>
    public static void Element(XmlWriter writer, string localName, string? ns, string? text)
    {
        writer.WriteStartElement(localName, ns);
        writer.WriteString(XmlChars.Clean(text));
        writer.WriteEndElement();
    }

    /// <summary>Writes an attribute with its value cleaned; the writer escapes quotes and ampersands.</summary>
    public static void Attribute(XmlWriter writer, string localName, string? value) =>
        writer.WriteAttributeString(localName, XmlChars.Clean(value));
}
