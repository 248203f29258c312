// The one way the pages talk to the warehouse: POST /graphql on the origin that served them (GraphQL over HTTP).
// A host bound beyond loopback asks for its API key; the pages keep the key given for this tab in sessionStorage.

const keyName = 'gaugenn.apiKey';

/** Thrown for an answer with GraphQL errors, or a refusal made before GraphQL ran; the message is the server's. */
export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }

  /** The server asks for its API key. */
  get unauthenticated() {
    return this.status === 401;
  }
}

export function apiKey() {
  return sessionStorage.getItem(keyName);
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(keyName, key);
  else sessionStorage.removeItem(keyName);
}

/** Request headers that carry the API key given for this tab, if any. */
export function authHeaders() {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** Runs one query and answers its data; any GraphQL error rejects with the server's messages. */
export async function gql(query, variables = undefined) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json', ...authHeaders() },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`the server answered ${response.status} ${response.statusText} without a GraphQL body`, response.status);
  }
  if (body.errors?.length) throw new ApiError(body.errors.map(e => e.message).join('; '), response.status);
  if (!response.ok || !body.data) throw new ApiError(`the server answered ${response.status} ${response.statusText}`, response.status);
  return body.data;
}
