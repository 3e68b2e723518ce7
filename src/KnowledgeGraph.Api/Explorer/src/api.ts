// The one way the explorer talks to the service: a POST of a typed document to the public GraphQL endpoint.
import type { TypedDocumentString } from './gql/graphql';

export class GraphQLRequestError extends Error {}

// A 429 (the rate limit, or too many expensive operations at once, such as the two searches that resolve a path's
// ends) says how long to wait; the explorer waits and tries again, a few times, as any well-behaved client would.
const maxRetries = 3;
const maxWaitSeconds = 5;

const wait = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(new URL('/graphql', window.location.href), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    if (response.status === 429 && attempt < maxRetries) {
      const retryAfter = Number(response.headers.get('Retry-After'));
      await wait(Math.min(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1, maxWaitSeconds));
      continue;
    }

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
}
