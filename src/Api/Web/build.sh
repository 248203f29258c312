#!/usr/bin/env bash
# Rebuilds dist/ (the dashboard and GraphiQL the host serves) from these sources with the locked npm packages, then
# prints each file's size. Commit dist/ with the sources: CI and users never run npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
npm ci --no-audit --no-fund
npx vite build
echo
echo "bytes     gzip -9   file"
find dist -type f | sort | while read -r f; do
  printf '%-9s %-9s %s\n' "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)" "$f"
done
