// graphql-js (the library GraphiQL, Apollo, Postman, Insomnia and graphql-codegen build on) against a live gaugeNN
// API: sends the standard introspection query with every option, builds a client schema from the answer, checks it
// equals the checked-in SDL, and validates every query it is given.
// Usage: node check.cjs URL SDL_FILE QUERIES_JSON   (prints one JSON line; exit 1 on any failure)
'use strict';
const fs = require('fs');
const {
  getIntrospectionQuery, buildClientSchema, buildSchema, printSchema, lexicographicSortSchema, validateSchema, parse,
  validate, version,
} = require('graphql');

async function main() {
  const [url, sdlFile, queriesFile] = process.argv.slice(2);
  const failures = [];
  const query = getIntrospectionQuery({
    descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true,
    inputValueDeprecation: true, oneOf: true,
  });
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = await response.json();
  if (!response.ok || body.errors) throw new Error(`introspection refused (HTTP ${response.status}): ${JSON.stringify(body.errors)}`);
  const client = buildClientSchema(body.data);
  for (const error of validateSchema(client)) failures.push(`schema: ${error.message}`);

  const served = printSchema(lexicographicSortSchema(client));
  const checkedIn = printSchema(lexicographicSortSchema(buildSchema(fs.readFileSync(sdlFile, 'utf8'))));
  if (served !== checkedIn) {
    const a = checkedIn.split('\n'), b = served.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    failures.push(`SDL drift at line ${line + 1}: checked in "${a[line]}", served "${b[line]}"`);
  }

  const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
  for (const text of queries) {
    for (const error of validate(client, parse(text))) failures.push(`${text.slice(0, 60)}…: ${error.message}`);
  }
  const scalars = Object.values(client.getTypeMap()).filter(t => t.specifiedByURL).map(t => `${t.name} ${t.specifiedByURL}`);
  console.log(JSON.stringify({
    graphql: version, types: Object.keys(client.getTypeMap()).length, directives: client.getDirectives().map(d => d.name),
    specifiedBy: scalars, queries: queries.length, failures,
  }));
  if (failures.length > 0) process.exit(1);
}

main().catch(e => {
  console.log(JSON.stringify({ failures: [String(e && e.stack || e)] }));
  process.exit(1);
});
