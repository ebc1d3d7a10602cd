#!/usr/bin/env bash
# Regenerates gqlgen's code and the SPA's GraphQL types in a scratch copy of the repository and
# fails if they differ from what is committed: the schema and the generated code must move together.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$ROOT"
# Copy the source tree (everything but dependencies, build output and local data).
tar --exclude=./frontend/node_modules --exclude=./frontend/dist --exclude=./.data --exclude=./bin \
    --exclude=./.git -cf - . | tar -C "$work" -xf -

(cd "$work" && go tool gqlgen generate && go run ./graph/tsgen/cmd -out frontend/src/graphql/schema.ts -ops frontend/src/graphql/operations.ts)

status=0
for path in graph frontend/src/graphql; do
  if ! diff -ru "$ROOT/$path" "$work/$path" >"$work.diff" 2>&1; then
    echo "check-generated: $path is out of date with graph/schema — run \`make generate\` and commit:" >&2
    head -40 "$work.diff" >&2
    status=1
  fi
done
rm -f "$work.diff"
[ $status -eq 0 ] && echo "check-generated: gqlgen output, SPA schema types and operation types match"
exit $status
