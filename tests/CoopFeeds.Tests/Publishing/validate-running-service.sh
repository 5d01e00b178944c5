#!/usr/bin/env bash
# Runs the W3C feed validator (w3c/feedvalidator, kept outside this repository) on every RSS, Atom and OPML document a
# running CoopFeeds serves: each section and the combined feed, filtered variants, every archive page, and /feeds.opml.
#
#   validate-running-service.sh BASE_URL VALIDATE_PY [extra VALIDATE_PY args...]
#   e.g. validate-running-service.sh http://127.0.0.1:5077/ path/to/validate.py --allow DuplicateUpdated
#
# VALIDATE_PY is your own small wrapper around a checkout of w3c/feedvalidator (docs/feed-standards.md, "Validating
# locally"): it takes [--allow MESSAGE]... URL, validates the URL at level AA, ignores the allowed message classes, prints
# what is left and exits non-zero when anything is.
#
# The service must run with --Publishing:PublicBaseUrl=BASE_URL so self links match the fetched addresses, and a small
# --Publishing:FeedSize (e.g. 3) so the samples have archives. Exits non-zero when any document has an error or warning.
set -uo pipefail
base=${1:?BASE_URL}; validate=${2:?VALIDATE_PY}; shift 2
base=${base%/}/

slugs=$(curl -fsS "${base}feeds.opml" | grep -o 'xmlUrl="[^"]*"' | sed -E 's#.*/feeds/([^.]+)\.rss"#\1#')
urls=("${base}feeds.opml")
for slug in $slugs all; do
  for ext in rss atom; do
    urls+=("${base}feeds/${slug}.${ext}")
    page=1
    while curl -fsS -o /dev/null "${base}feeds/${slug}/archive/${page}.${ext}"; do
      urls+=("${base}feeds/${slug}/archive/${page}.${ext}")
      page=$((page + 1))
    done
  done
done
for ext in rss atom; do
  urls+=("${base}feeds/all.${ext}?category=News&q=ilo" "${base}feeds/news.${ext}?limit=2" "${base}feeds/all.${ext}?category=News&category=Video&limit=5")
done

status=0
for url in "${urls[@]}"; do
  /usr/bin/python3 "$validate" "$@" "$url" || status=1
done
echo "validated ${#urls[@]} documents; exit $status"
exit $status
