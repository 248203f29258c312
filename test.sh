#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL (GAUGENN_PG, or the tool's own private cluster) and real
# DuckDB files. Fails when any test fails, when a test project reports no result, or when no test ran at all.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet test GaugeNN.sln -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

projects=$(ls tests/*/*.Tests.csproj | wc -l)
summaries=$(grep -cE '^(Passed|Failed)!' "$log" || true)
passed=$(grep -oE '^(Passed|Failed)!.*Passed: +[0-9]+' "$log" | grep -oE '[0-9]+$' | awk '{s+=$1} END {print s+0}')
failed=$(grep -oE '^(Passed|Failed)! +- Failed: +[0-9]+' "$log" | grep -oE '[0-9]+$' | awk '{s+=$1} END {print s+0}')
passed=${passed:-0}
failed=${failed:-0}
echo
echo "test projects: $projects, reporting: $summaries"
echo "$passed passed, $failed failed"
if [[ $status -ne 0 || $failed -ne 0 ]]; then echo "TESTS FAILED" >&2; exit 1; fi
if [[ $summaries -ne $projects ]]; then echo "TESTS FAILED: $projects test projects but $summaries reported results" >&2; exit 1; fi
if [[ $passed -eq 0 ]]; then echo "TESTS FAILED: no test ran" >&2; exit 1; fi
