#!/usr/bin/env bash
# Refreshes the vendored Vega bundles from the npm registry (run by hand, commit the result; builds never call npm).
# usage: src/main/ui/vendor-vega.sh [DEST_DIR]   (default: the dashboard's vendor/ in this repository)
# To move to newer versions: change the three versions below, run it, check the dashboard (DashboardBrowserTest), commit.
set -euo pipefail
DEST=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/../resources/dev/augsweep/ui/static/vendor" && pwd)"}
VEGA=6.4.0; VEGA_LITE=6.5.0; VEGA_EMBED=7.3.0
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
( cd "$work" && npm pack --silent "vega@$VEGA" "vega-lite@$VEGA_LITE" "vega-embed@$VEGA_EMBED" >/dev/null )  # npm checks each tarball's sha512 integrity
mkdir -p "$DEST"
for spec in "vega $VEGA build/vega.min.js" "vega-lite $VEGA_LITE build/vega-lite.min.js" "vega-embed $VEGA_EMBED build/vega-embed.min.js"; do
  set -- $spec
  tar -xzf "$work/$1-$2.tgz" -C "$work" "package/$3" package/LICENSE
  cp "$work/package/$3" "$DEST/"
  cp "$work/package/LICENSE" "$DEST/LICENSE-$1"
  rm -rf "$work/package"
done
( cd "$DEST" && {
  echo "# npm packages vendored by vendor-vega.sh; all BSD-3-Clause (UW Interactive Data Lab)"
  echo "vega $VEGA"; echo "vega-lite $VEGA_LITE"; echo "vega-embed $VEGA_EMBED"
  sha256sum vega.min.js vega-lite.min.js vega-embed.min.js
} > VERSIONS.txt )
cat > "$DEST/NOTICE" <<'NOTICE'
vega.min.js, vega-lite.min.js and vega-embed.min.js are the npm packages vega, vega-lite and vega-embed (BSD-3-Clause,
University of Washington Interactive Data Lab; LICENSE-*). The bundles also contain small permissively licensed
libraries: d3-* modules (ISC) in vega; fast-json-patch (MIT), semver (ISC), vega-tooltip, vega-themes and
vega-interpreter (BSD-3-Clause) and tslib (0BSD) in vega-embed.
NOTICE
cat "$DEST/VERSIONS.txt"
