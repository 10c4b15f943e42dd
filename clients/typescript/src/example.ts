// How a front-end uses the client. Type-checked by `npm run check`, never shipped:
// if a generated type changes shape, these examples stop compiling.

import { assertNever, createClient } from './client';
import type { FieldMessage } from './client';

const client = createClient({ baseUrl: '' }); // same origin as the page

/** Sign-up form: a message per field, or the new user's name. */
export async function signUp(form: {
  email: string;
  password: string;
  phone: string;
  username: string;
}): Promise<{ done: true; username: string } | { done: false; errors: FieldMessage[] }> {
  const outcome = await client.register(form);
  if (outcome.ok) return { done: true, username: outcome.user.username };
  // EmailAlreadyExists -> [{ field: 'email' }], ValidationError -> one entry per field.
  return { done: false, errors: outcome.fields.length ? outcome.fields : [{ field: '', message: outcome.message }] };
}

/** Log in, telling the user how long to wait when throttled. */
export async function logIn(email: string, password: string): Promise<string> {
  const outcome = await client.login({ email, password });
  if (outcome.ok) return `Hello, ${outcome.user.username}`;
  switch (outcome.code) {
    case 'TooManyAttempts':
      return `Too many attempts; retry in ${outcome.retryAfterSeconds}s`;
    case 'InvalidCredentials':
    case 'ValidationError':
      return outcome.message;
    default:
      return assertNever(outcome);
  }
}

/** The same through the REST routes: narrow on `status` to get each documented body. */
export async function renameOverRest(username: string): Promise<string> {
  const reply = await client.rest.updateProfile({ username });
  switch (reply.status) {
    case 200:
      return `renamed to ${reply.body.username} (id ${reply.body.id})`;
    case 422:
      return reply.body.detail.map((item) => `${item.loc.join('.')}: ${item.msg}`).join('\n');
    case 401:
    case 403:
    case 404:
    case 413:
    case 415:
    case 503:
      return `${reply.body.code}: ${reply.body.detail}`;
    default:
      return assertNever(reply);
  }
}

/** Registration over REST: a 409 says which field is taken. */
export async function registerOverRest(body: {
  email: string;
  password: string;
  phone: string;
  username: string;
}): Promise<string> {
  const reply = await client.rest.register(body);
  if (reply.ok) return `created user ${reply.body.id}`;
  if (reply.status === 409) return `${reply.body.field} is already registered`;
  return JSON.stringify(reply.body);
}
