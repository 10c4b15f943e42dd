#!/usr/bin/env bash
# Prove the client's compile-time gates bite (run by CI as `npm run prove-exhaustive`).
#
# In a throwaway copy of this package (sharing its node_modules):
#   0. baseline: the committed schema.graphql and openapi.json generate and type-check;
#   1. a copy of schema.graphql gains `type Banned implements Error` as a member of
#      `union MeResult`; generate must succeed and `tsc --noEmit` must FAIL on Banned;
#   2. a copy of openapi.json gains an undocumented-until-now 418 on GET /me;
#      generate must succeed and `tsc --noEmit` must FAIL on 418.
# Exits 0 only if the baseline passes and both mutations are caught.
# Needs `npm ci` to have run in this package first.
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$pkg/../.." && pwd)"
schema="$root/schema.graphql"
openapi="$root/openapi.json"

if [[ ! -x "$pkg/node_modules/.bin/graphql-codegen" || ! -x "$pkg/node_modules/.bin/tsc" ]]; then
  echo "prove-exhaustive: run 'npm ci' in $pkg first" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/userql-prove-exhaustive.XXXXXX")"
trap 'rm -rf "$work"' EXIT

mkdir "$work/pkg"
tar -C "$pkg" --exclude=./node_modules --exclude=./src/generated -cf - . | tar -C "$work/pkg" -xf -
ln -s "$pkg/node_modules" "$work/pkg/node_modules"

# generate SCHEMA OPENAPI: codegen + openapi-typescript in the copy; output on failure.
generate() {
  rm -rf "$work/pkg/src/generated"
  if ! (cd "$work/pkg" && USERQL_SCHEMA="$1" USERQL_OPENAPI="$2" npm run --silent generate) \
    >"$work/generate.log" 2>&1; then
    cat "$work/generate.log" >&2
    return 1
  fi
}

# typecheck: tsc --noEmit in the copy; its output lands in $work/tsc.log.
typecheck() {
  (cd "$work/pkg" && ./node_modules/.bin/tsc --noEmit) >"$work/tsc.log" 2>&1
}

fail() {
  echo "prove-exhaustive: FAIL: $*" >&2
  exit 1
}

# 0. Baseline ------------------------------------------------------------------
generate "$schema" "$openapi" || fail "baseline: generate failed on the committed schema.graphql / openapi.json"
if ! typecheck; then
  cat "$work/tsc.log" >&2
  fail "baseline: tsc fails on the committed schema.graphql / openapi.json (fix that first: npm run check)"
fi
echo "prove-exhaustive: baseline generates and type-checks"

# 1. A new member of union MeResult, unhandled by src/client.ts -----------------
mutated_schema="$work/schema.graphql"
sed -E 's/^(union MeResult = .*)$/\1 | Banned/' "$schema" >"$mutated_schema"
printf '\ntype Banned implements Error {\n  message: String!\n}\n' >>"$mutated_schema"
grep -Eq '^union MeResult = .*\| Banned$' "$mutated_schema" \
  || fail "could not add Banned to 'union MeResult' (did its line in schema.graphql change shape?)"

generate "$mutated_schema" "$openapi" || fail "generate failed on the mutated schema (not the gate under test)"
grep -q "'Banned'" "$work/pkg/src/generated/graphql.ts" \
  || fail "the generated MeQuery type does not contain Banned"
if typecheck; then
  fail "tsc PASSED although union MeResult gained Banned, which src/client.ts does not handle"
fi
grep -q 'Banned' "$work/tsc.log" || { cat "$work/tsc.log" >&2; fail "tsc failed, but not on Banned"; }
echo "prove-exhaustive: caught: MeResult | Banned left unhandled ->"
sed 's/^/    /' "$work/tsc.log"

# 2. A new status on GET /me, missing from the client's status table -------------
mutated_openapi="$work/openapi.json"
node -e '
  const fs = require("node:fs");
  const [src, dst] = process.argv.slice(1);
  const doc = JSON.parse(fs.readFileSync(src, "utf8"));
  const responses = doc.paths["/me"].get.responses;
  if (responses["418"]) throw new Error("GET /me already documents 418");
  responses["418"] = {
    description: "I am a teapot",
    content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorOut" } } },
  };
  fs.writeFileSync(dst, JSON.stringify(doc, null, 2));
' "$openapi" "$mutated_openapi" || fail "could not add a 418 to GET /me in a copy of openapi.json"

generate "$schema" "$mutated_openapi" || fail "generate failed on the mutated openapi.json (not the gate under test)"
if typecheck; then
  fail "tsc PASSED although GET /me gained a 418 that src/client.ts does not list"
fi
grep -q '418' "$work/tsc.log" || { cat "$work/tsc.log" >&2; fail "tsc failed, but not on 418"; }
echo "prove-exhaustive: caught: GET /me 418 left unlisted ->"
sed 's/^/    /' "$work/tsc.log"

echo "prove-exhaustive: OK (both unhandled additions fail the type check)"
