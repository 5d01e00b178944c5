#!/usr/bin/python3
"""Reads a feed the way a reader would, with feedparser (Debian python3-feedparser), and checks it parsed cleanly.

Usage: /usr/bin/python3 tests/tools/feedcheck.py FILE CONTENT_TYPE EXPECTED_VERSION [SELF_URL]

EXPECTED_VERSION is feedparser's name for the format: rss20 or atom10. SELF_URL, when given, is passed as
Content-Location so relative references resolve as they would for the served document.
Asserts bozo == 0 (well-formed, no invalid characters, declared encoding agrees with the content type) and the
version, then prints a JSON summary on stdout: version, title, and per entry id, title, link and published (UTC).
Exit codes: 0 ok, 1 check failed, 2 usage, 3 feedparser missing. Run with Debian's /usr/bin/python3:
a pyenv or venv python3 on PATH does not see Debian's modules.
"""
import json
import sys
import time

EXIT_FAILED, EXIT_USAGE, EXIT_MISSING = 1, 2, 3


def main(argv):
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return EXIT_USAGE
    path, content_type, expected = argv[1], argv[2], argv[3]
    self_url = argv[4] if len(argv) == 5 else None

    try:
        import feedparser
    except ImportError as e:
        print(f"feedcheck: cannot import feedparser ({e}); install it with: apt-get install python3-feedparser "
              f"(and run this script with /usr/bin/python3, not {sys.executable})", file=sys.stderr)
        return EXIT_MISSING

    with open(path, "rb") as f:
        body = f.read()
    headers = {"content-type": content_type}
    if self_url:
        headers["content-location"] = self_url
    parsed = feedparser.parse(body, response_headers=headers)

    problems = []
    if parsed.bozo:
        problems.append(f"bozo={parsed.bozo}: {type(parsed.get('bozo_exception')).__name__}: {parsed.get('bozo_exception')}")
    if parsed.version != expected:
        problems.append(f"version is {parsed.version!r}, expected {expected!r}")
    if problems:
        for p in problems:
            print(f"feedcheck: {path}: {p}", file=sys.stderr)
        return EXIT_FAILED

    def utc(struct):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", struct) if struct else None

    summary = {
        "version": parsed.version,
        "title": parsed.feed.get("title"),
        "link": parsed.feed.get("link"),
        "entries": [
            {
                "id": e.get("id"),
                "title": e.get("title"),
                "link": e.get("link"),
                "published": utc(e.get("published_parsed")),
            }
            for e in parsed.entries
        ],
    }
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
