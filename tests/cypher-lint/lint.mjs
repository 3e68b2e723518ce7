// Lints every Cypher statement the Neo4j store can send with Neo4j's own parser and semantic analysis
// (@neo4j-cypher/language-support). Input: the JSON file the .NET test writes (see CypherLintTests):
//   { "labels": [...], "relationshipTypes": [...], "propertyKeys": [...],
//     "statements": [ { "name": "...", "text": "...", "parameters": ["keys", ...] } ] }
// Every diagnostic, error or warning, fails the run and names its statement. Exit code 0 only when there are none.
import { readFileSync } from 'node:fs';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const file = process.argv[2];
if (!file) {
  console.error('usage: node lint.mjs <statements.json>');
  process.exit(2);
}

const input = JSON.parse(readFileSync(file, 'utf8'));
let failures = 0;
for (const statement of input.statements) {
  const parameters = Object.fromEntries(statement.parameters.map((name) => [name, null]));
  const schema = {
    labels: input.labels,
    relationshipTypes: input.relationshipTypes,
    propertyKeys: input.propertyKeys,
    parameters,
  };
  const { diagnostics } = lintCypherQuery(statement.text, schema);
  for (const d of diagnostics) {
    failures++;
    const where = `${d.range.start.line + 1}:${d.range.start.character + 1}`;
    const severity = d.severity === 1 ? 'error' : 'warning';
    console.error(`FAIL ${statement.name} (${where}) ${severity}: ${d.message}`);
  }
}

if (failures > 0) {
  console.error(`${failures} diagnostic(s) in ${input.statements.length} statements.`);
  process.exit(1);
}
console.log(`${input.statements.length} statements linted, 0 diagnostics.`);
