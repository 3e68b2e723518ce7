// The one way the explorer talks to the service: a POST of a typed document to the public GraphQL endpoint.
import type { TypedDocumentString } from './gql/graphql';

export class GraphQLRequestError extends Error {}

export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const response = await fetch(new URL('/graphql', window.location.href), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  let body: { data?: TResult | null; errors?: { message: string }[] };
  try {
    body = await response.json();
  } catch {
    throw new GraphQLRequestError(`The service answered ${response.status} without JSON.`);
  }

  if (body.errors?.length || !body.data) {
    throw new GraphQLRequestError(body.errors?.map((e) => e.message).join(' ') || `The service answered ${response.status}.`);
  }

  return body.data;
}
