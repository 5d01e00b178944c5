namespace CoopFeeds.Core.Sources;

/// <summary>
/// Where a saved page really is, and whether that is inside the folder a sources file's pages must stay in. Every symbolic
/// link on the way is resolved — the page's own, and any folder's above it — so a link placed in the folder cannot lead a
/// source to <c>/proc/self/environ</c> or another folder's files.
/// </summary>
public static class SavedPagePath
{
    /// <summary>Links followed in one path before giving up, as Linux does (ELOOP).</summary>
    private const int MaxLinks = 40;

    /// <summary>Paths compare as the file system does: case-sensitively except on Windows and macOS.</summary>
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// Null when <paramref name="path"/>, every link resolved, is inside <paramref name="root"/> (also resolved); else a
    /// sentence saying where it leads. <paramref name="resolved"/> is the path to open, with no link left in it.
    /// </summary>
    /// <exception cref="IOException">A link loop, or a link that cannot be read.</exception>
    public static string? Outside(string path, string root, out string resolved)
    {
        resolved = Resolve(path);
        var folder = Resolve(root);
        var prefix = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        if (resolved.StartsWith(prefix, PathComparison)) return null;
        var leads = string.Equals(resolved, Path.GetFullPath(path), PathComparison) ? "" : $" (it leads to '{resolved}')";
        return $"'{path}'{leads} is outside the saved-pages folder '{folder}'";
    }

    /// <summary>The absolute path with every symbolic link in it replaced by what it points to, as the system would open it.</summary>
    /// <exception cref="IOException">More than 40 links, or one that cannot be read.</exception>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var resolved = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(Parts(full[resolved.Length..]).Reverse());
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? resolved;
                continue;
            }
            var next = Path.Combine(resolved, part);
            // LinkTarget reads the link itself (a folder's too) without following it; null when it is none or does not exist.
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                resolved = next;
                continue;
            }
            if (++links > MaxLinks) throw new IOException($"more than {MaxLinks} symbolic links in '{path}'");
            // A relative target is relative to the link's folder (resolved so far); an absolute one starts again at its root.
            var targetRoot = Path.GetPathRoot(target) ?? "";
            if (targetRoot.Length > 0) resolved = targetRoot;
            foreach (var inner in Parts(target[targetRoot.Length..]).Reverse()) pending.Push(inner);
        }
        return resolved;
    }

    private static string[] Parts(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
