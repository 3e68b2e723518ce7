// The README's front-end recipe against a started API (KG_BASE_URL; tests/browser/run.sh starts one and runs this):
// the code under src/, generated from schema/schema.graphql and compiled by `npm run build`, used as a front end
// would use it. Apollo Client pages `entities` through relayStylePagination, resolves a fragment on the Entity
// interface through the generated possibleTypes, and Apollo Client and urql each show what a 422 and a 294 become.
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { CombinedError } from '@urql/core';
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from 'graphql';
import { filter, firstValueFrom } from 'rxjs';
import { createApolloClient, createCache, createUrqlClient, EntitiesPage, EntityCard, EntitySummary } from '../dist/index.js';

const baseUrl = process.env.KG_BASE_URL ?? 'http://127.0.0.1:5000';
const graphqlUrl = `${baseUrl}/graphql`;
// Each test waits on the service, never on a clock; this only ends a hung run.
const options = { timeout: 30_000 };

// A validation error: no `nope` on Entity. Not under src/, so codegen never sees it (it would refuse it).
const invalid = gql`query Invalid { entity(key: "whatsapp") { key nope } }`;
// A field error beside data: `node` refuses an id the API never issued, `entity` still answers.
const partial = gql`query Partial { entity(key: "whatsapp") { key } node(id: "not-an-id") { id } }`;

/** fetch that remembers the status of every answer, so a test can say which status a client was handed. */
function recordingFetch() {
  const statuses = [];
  const wrapped = async (input, init) => {
    const response = await fetch(input, init);
    statuses.push(response.status);
    return response;
  };
  return { fetch: wrapped, statuses };
}

function keysOf(connection) {
  return connection.edges.map((edge) => edge.node.key);
}

test("graphql-js's full introspection query (codegen's and Banana Cake Pop's, specifiedByURL included) answers the committed schema", options, async () => {
  const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
  assert.match(query, /specifiedByURL/);
  const response = await fetch(graphqlUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body.errors));
  assert.equal(body.errors, undefined);
  assert.ok(body.data.__schema.types.every((type) => type.specifiedByURL === null), 'no scalar here has a specification URL');

  const live = printSchema(lexicographicSortSchema(buildClientSchema(body.data)));
  const committed = printSchema(lexicographicSortSchema(buildSchema(await readFile(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8'))));
  assert.equal(live, committed, 'what introspection tells a client is the SDL codegen reads from schema/schema.graphql');
});

test('Apollo Client merges two pages of entities fetched with fetchMore into one list, as one page of both would be', options, async () => {
  const client = createApolloClient(graphqlUrl);
  const variables = { kinds: ['APP', 'COMPANY'], first: 2 };
  const query = client.watchQuery({ query: EntitiesPage, variables });
  const complete = (count) => firstValueFrom(query.pipe(filter((r) => r.dataState === 'complete' && !r.loading && r.data.entities.edges.length === count)));
  const subscription = query.subscribe(() => {});
  try {
    const firstPage = (await complete(2)).data.entities;
    assert.equal(firstPage.pageInfo.hasNextPage, true, 'the seed has more than two apps and companies');

    const fetched = await query.fetchMore({ variables: { after: firstPage.pageInfo.endCursor } });
    const secondPage = fetched.data.entities;
    assert.equal(secondPage.edges.length, 2);
    assert.deepEqual(keysOf(secondPage).filter((key) => keysOf(firstPage).includes(key)), [], 'the second page continues the first');

    const merged = (await complete(4)).data.entities;
    assert.deepEqual(keysOf(merged), [...keysOf(firstPage), ...keysOf(secondPage)]);
    assert.equal(merged.pageInfo.endCursor, secondPage.pageInfo.endCursor, 'the merged list continues after the second page');
    assert.equal(merged.totalCount, firstPage.totalCount);

    // The same list the server gives in one page of four, in the same order.
    const onePage = await createUrqlClient(graphqlUrl).query(EntitiesPage, { kinds: ['APP', 'COMPANY'], first: 4 }).toPromise();
    assert.equal(onePage.error, undefined);
    assert.deepEqual(keysOf(merged), keysOf(onePage.data.entities));

    // And the cache holds it under the list's own arguments, not the cursor's.
    assert.deepEqual(keysOf(client.readQuery({ query: EntitiesPage, variables }).entities), keysOf(merged));
  } finally {
    subscription.unsubscribe();
    client.stop();
  }
});

test('a fragment on the Entity interface resolves on an App in the cache through the generated possibleTypes, and not without them', options, async () => {
  const client = createApolloClient(graphqlUrl);
  const { data } = await client.query({ query: EntityCard, variables: { key: 'whatsapp' } });
  assert.equal(data.entity.__typename, 'App');
  assert.equal(data.entity.key, 'whatsapp', 'the fields of ...EntitySummary reach the result');
  assert.equal(data.entity.owner.key, 'facebook');

  const summary = client.readFragment({ id: client.cache.identify(data.entity), fragment: EntitySummary });
  assert.deepEqual({ key: summary.key, kind: summary.kind, name: summary.name }, { key: 'whatsapp', kind: 'APP', name: 'WhatsApp' });

  // The same query with a cache that does not know App implements Entity: the fragment's fields are lost.
  const bare = new ApolloClient({ link: new HttpLink({ uri: graphqlUrl }), cache: new InMemoryCache() });
  const { data: bareData } = await bare.query({ query: EntityCard, variables: { key: 'whatsapp' } });
  assert.equal(bareData.entity.key, undefined, 'without possibleTypes the cache cannot match ...EntitySummary on App');
  client.stop();
  bare.stop();
});

test('a 422 reaches Apollo Client as CombinedGraphQLErrors with extensions.code, and no data', options, async () => {
  const recorder = recordingFetch();
  const client = new ApolloClient({ link: new HttpLink({ uri: graphqlUrl, fetch: recorder.fetch }), cache: createCache() });

  await assert.rejects(client.query({ query: invalid }), (error) => {
    assert.ok(CombinedGraphQLErrors.is(error), `a GraphQL error, not a network error: ${error}`);
    assert.equal(error.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    return true;
  });

  const all = await client.query({ query: invalid, errorPolicy: 'all', fetchPolicy: 'network-only' });
  assert.ok(CombinedGraphQLErrors.is(all.error));
  assert.equal(all.error.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.equal(all.data, undefined);
  assert.deepEqual(recorder.statuses, [422, 422]);
  client.stop();
});

test('a 294 reaches Apollo Client as CombinedGraphQLErrors with extensions.code, with the data under errorPolicy all', options, async () => {
  const recorder = recordingFetch();
  const client = new ApolloClient({ link: new HttpLink({ uri: graphqlUrl, fetch: recorder.fetch }), cache: createCache() });

  await assert.rejects(client.query({ query: partial }), (error) => {
    assert.ok(CombinedGraphQLErrors.is(error));
    assert.equal(error.errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.deepEqual(error.errors[0].path, ['node']);
    assert.equal(error.data.entity.key, 'whatsapp', 'the error carries the data that came with it');
    return true;
  });

  const all = await client.query({ query: partial, errorPolicy: 'all', fetchPolicy: 'network-only' });
  assert.ok(CombinedGraphQLErrors.is(all.error));
  assert.equal(all.error.errors[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(all.data.entity.key, 'whatsapp');
  assert.equal(all.data.node, null);
  assert.deepEqual(recorder.statuses, [294, 294]);
  client.stop();
});

test('a 422 and a 294 reach urql as CombinedError.graphQLErrors with extensions.code, never as a network error', options, async () => {
  const client = createUrqlClient(graphqlUrl);

  const refused = await client.query(invalid, {}).toPromise();
  assert.ok(refused.error instanceof CombinedError);
  assert.equal(refused.error.networkError, undefined);
  assert.equal(refused.error.response.status, 422);
  assert.equal(refused.error.graphQLErrors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.equal(refused.data, undefined);

  const withData = await client.query(partial, {}).toPromise();
  assert.ok(withData.error instanceof CombinedError);
  assert.equal(withData.error.networkError, undefined);
  assert.equal(withData.error.response.status, 294);
  assert.equal(withData.error.graphQLErrors[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(withData.data.entity.key, 'whatsapp');
  assert.equal(withData.data.node, null);
});

test('a 401 reaches both clients the same way, as a GraphQL error with extensions.code', options, async () => {
  const headers = { Authorization: 'Bearer not-a-key-this-api-issued' };
  const apollo = new ApolloClient({ link: new HttpLink({ uri: graphqlUrl, headers }), cache: createCache() });
  await assert.rejects(apollo.query({ query: EntityCard, variables: { key: 'whatsapp' } }), (error) => {
    assert.ok(CombinedGraphQLErrors.is(error), `a GraphQL error, not a network error: ${error}`);
    assert.equal(error.errors[0].extensions.code, 'UNAUTHENTICATED');
    return true;
  });
  apollo.stop();

  const urql = await createUrqlClient(graphqlUrl).query(EntityCard, { key: 'whatsapp' }, { fetchOptions: { headers } }).toPromise();
  assert.equal(urql.error.response.status, 401);
  assert.equal(urql.error.networkError, undefined);
  assert.equal(urql.error.graphQLErrors[0].extensions.code, 'UNAUTHENTICATED');
});

test("the README's recipe quotes this example's own code", async () => {
  const root = new URL('../../../', import.meta.url);
  const readme = await readFile(new URL('README.md', root), 'utf8');
  const section = readme.slice(readme.indexOf('#### A typed client'), readme.indexOf('#### Calling it from a browser'));
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  assert.ok(blocks.length >= 2, 'the recipe shows codegen.ts and the cache');
  const squash = (text) => text.replace(/\s+/g, ' ').replace(/[,;] ?$/, '').trim();
  const sources = squash((await Promise.all(['codegen.ts', 'src/apollo.ts'].map((file) => readFile(new URL(`examples/frontend/${file}`, root), 'utf8')))).join('\n'));
  for (const block of blocks) {
    assert.ok(sources.includes(squash(block)), `README block not found in examples/frontend:\n${block}`);
  }
});
