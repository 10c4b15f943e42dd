// A tiny typed client for userql: every GraphQL operation and every REST route.
//
// Types come from `npm run generate` (src/generated/, not committed):
//   - src/generated/graphql.ts  GraphQL Code Generator, from ../../schema.graphql
//                               and src/operations/*.graphql (typed document nodes)
//   - src/generated/rest.ts     openapi-typescript, from ../../openapi.json
//
// Two compile-time gates live here:
//   - every GraphQL result union is handled by a `switch (result.__typename)` whose
//     default is `assertNever(result)`: a union member added to the schema and not
//     handled below makes `tsc` fail;
//   - every REST route lists its documented statuses in an object typed
//     `Record<Status, true>`: a status added to or removed from openapi.json
//     makes `tsc` fail too.
//
// The only runtime dependency is `graphql` (print / getOperationAST).

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { getOperationAST, print } from 'graphql';

import {
  ChangePasswordDocument,
  LoginDocument,
  LogoutDocument,
  MeDocument,
  ProfileDocument,
  RegisterDocument,
  UpdateUsernameDocument,
} from './generated/graphql';
import type {
  ChangePasswordInput,
  LoginInput,
  RegisterInput,
  UpdateUsernameInput,
} from './generated/graphql';
import type { components, paths } from './generated/rest';

// ---------------------------------------------------------------------------
// Shared pieces

/** Compile-time exhaustiveness: only `never` may reach the `default` branch. */
export function assertNever(value: never): never {
  throw new Error(`userql client: unhandled variant ${JSON.stringify(value)}`);
}

export interface ClientOptions {
  /** Origin of the userql server, e.g. "https://accounts.example.com"; "" = same origin. */
  baseUrl?: string;
  /** A fetch implementation; defaults to the global one (browsers, Node 18+). */
  fetch?: typeof fetch;
}

/** A transport-level GraphQL failure: a malformed document, a limit, a non-JSON reply. */
export class GraphQLRequestError extends Error {
  override readonly name = 'GraphQLRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly errors: readonly { message: string }[] = [],
  ) {
    super(message);
  }
}

/** A REST reply whose status openapi.json does not document for that route. */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`userql client: ${method.toUpperCase()} ${path} answered an undocumented ${status}`);
  }
}

// ---------------------------------------------------------------------------
// GraphQL: outcomes

export interface User {
  id: string;
  email: string;
  username: string;
  phone: string;
}

/** A message to show next to an input field (GraphQL spelling: `oldPassword`). */
export interface FieldMessage {
  field: string;
  message: string;
}

/** Every expected failure: its schema type name, its message, and the fields it concerns. */
export interface Failure<Code extends string> {
  ok: false;
  code: Code;
  message: string;
  fields: FieldMessage[];
}

export type RegisterOutcome =
  | { ok: true; user: User }
  | Failure<'EmailAlreadyExists' | 'PhoneAlreadyExists' | 'ValidationError'>;

export type LoginOutcome =
  | { ok: true; user: User }
  | Failure<'InvalidCredentials' | 'ValidationError'>
  | (Failure<'TooManyAttempts'> & { retryAfterSeconds: number });

export type LogoutOutcome = { ok: true };

export type MeOutcome = { ok: true; userId: string } | Failure<'Unauthorized'>;

export type ProfileOutcome = { ok: true; user: User } | Failure<'Unauthorized' | 'UserNotFound'>;

export type UpdateUsernameOutcome =
  | { ok: true; user: User }
  | Failure<'Unauthorized' | 'UserNotFound' | 'ValidationError'>;

export type ChangePasswordOutcome =
  | { ok: true }
  | Failure<
      | 'Unauthorized'
      | 'OldPasswordIncorrect'
      | 'InvalidPasswordFormat'
      | 'UserNotFound'
      | 'ValidationError'
    >;

type ErrorMember = { __typename: string; message: string };

function failure<T extends ErrorMember>(
  result: T,
  fields: FieldMessage[] = [],
): Failure<T['__typename']> {
  return { ok: false, code: result.__typename, message: result.message, fields };
}

function invalid<T extends ErrorMember & { fields: readonly FieldMessage[] }>(
  result: T,
): Failure<T['__typename']> {
  return failure(
    result,
    result.fields.map(({ field, message }) => ({ field, message })),
  );
}

function user(u: User): User {
  return { id: u.id, email: u.email, username: u.username, phone: u.phone };
}

// ---------------------------------------------------------------------------
// REST: typed from openapi-typescript's `paths`

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type ResponsesOf<O> = O extends { responses: infer R } ? R : never;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;

/** The statuses openapi.json documents for one route. */
export type RestStatus<P extends keyof paths, M extends Method> = keyof ResponsesOf<
  Operation<P, M>
> &
  number;

/** One documented reply: its status, whether it is a 2xx, and its typed JSON body. */
export type RestResponse<P extends keyof paths, M extends Method> = {
  [S in RestStatus<P, M>]: {
    status: S;
    ok: `${S}` extends `2${string}` ? true : false;
    body: JsonOf<ResponsesOf<Operation<P, M>>[S]>;
  };
}[RestStatus<P, M>];

/** The JSON request body of one route. */
export type RestBody<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody: { content: { 'application/json': infer B } } }
    ? B
    : never;

/** Every documented status of a route, exactly once (missing or extra ones fail to compile). */
type StatusTable<P extends keyof paths, M extends Method> = Record<RestStatus<P, M>, true>;

export type ProfileBody = components['schemas']['ProfileOut'];
export type ErrorBody = components['schemas']['ErrorOut'];
export type ConflictBody = components['schemas']['ConflictOut'];
export type ValidationBody = components['schemas']['ValidationOut'];

// ---------------------------------------------------------------------------
// The client

export type UserqlClient = ReturnType<typeof createClient>;

export function createClient(options: ClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const printed = new WeakMap<object, { query: string; operationName?: string }>();

  /** POST /graphql with the session cookie; returns `data` or throws GraphQLRequestError. */
  async function graphql<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
  ): Promise<TData> {
    let request = printed.get(document);
    if (request === undefined) {
      const operationName = getOperationAST(document)?.name?.value;
      request = { query: print(document), ...(operationName ? { operationName } : {}) };
      printed.set(document, request);
    }
    const response = await fetchImpl(`${baseUrl}/graphql`, {
      method: 'POST',
      credentials: 'include',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/graphql-response+json, application/json;q=0.9',
      },
      body: JSON.stringify({ ...request, variables }),
    });
    const contentType = response.headers.get('Content-Type') ?? '';
    if (!/json/i.test(contentType)) {
      throw new GraphQLRequestError(
        `userql client: /graphql answered ${response.status} with ${contentType || 'no content type'}`,
        response.status,
      );
    }
    const payload = (await response.json()) as {
      data?: TData | null;
      errors?: { message: string }[];
    };
    if (payload.errors?.length || payload.data == null) {
      const errors = payload.errors ?? [];
      throw new GraphQLRequestError(
        errors.map((e) => e.message).join('; ') || `userql client: /graphql answered ${response.status} without data`,
        response.status,
        errors,
      );
    }
    return payload.data;
  }

  async function rest<P extends keyof paths, M extends Method>(
    method: M,
    path: P,
    statuses: StatusTable<P, M>,
    body?: RestBody<P, M>,
  ): Promise<RestResponse<P, M>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetchImpl(`${baseUrl}${path}`, {
      method: method.toUpperCase(),
      credentials: 'include',
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    if (!Object.prototype.hasOwnProperty.call(statuses, response.status)) {
      throw new UnexpectedResponseError(method, path, response.status, json);
    }
    // The trust boundary: the status is documented, the body is taken as documented.
    return { status: response.status, ok: response.ok, body: json } as RestResponse<P, M>;
  }

  return {
    graphql,

    // -- GraphQL operations: each maps its result union exhaustively ---------

    async register(input: RegisterInput): Promise<RegisterOutcome> {
      const { register: result } = await graphql(RegisterDocument, { input });
      switch (result.__typename) {
        case 'User':
          return { ok: true, user: user(result) };
        case 'EmailAlreadyExists':
          return failure(result, [{ field: 'email', message: result.message }]);
        case 'PhoneAlreadyExists':
          return failure(result, [{ field: 'phone', message: result.message }]);
        case 'ValidationError':
          return invalid(result);
        default:
          return assertNever(result);
      }
    },

    async login(input: LoginInput): Promise<LoginOutcome> {
      const { login: result } = await graphql(LoginDocument, { input });
      switch (result.__typename) {
        case 'LoginSuccess':
          return { ok: true, user: user(result.user) };
        case 'InvalidCredentials':
          return failure(result);
        case 'TooManyAttempts':
          return { ...failure(result), retryAfterSeconds: result.retryAfterSeconds };
        case 'ValidationError':
          return invalid(result);
        default:
          return assertNever(result);
      }
    },

    async logout(): Promise<LogoutOutcome> {
      const { logout: result } = await graphql(LogoutDocument, {});
      switch (result.__typename) {
        case 'LoggedOut':
          return { ok: true };
        default:
          // Not a union today; if it becomes one, the new members land here.
          return assertNever(result.__typename);
      }
    },

    async me(): Promise<MeOutcome> {
      const { me: result } = await graphql(MeDocument, {});
      switch (result.__typename) {
        case 'Viewer':
          return { ok: true, userId: result.userId };
        case 'Unauthorized':
          return failure(result);
        default:
          return assertNever(result);
      }
    },

    async profile(): Promise<ProfileOutcome> {
      const { profile: result } = await graphql(ProfileDocument, {});
      switch (result.__typename) {
        case 'User':
          return { ok: true, user: user(result) };
        case 'Unauthorized':
        case 'UserNotFound':
          return failure(result);
        default:
          return assertNever(result);
      }
    },

    async updateUsername(input: UpdateUsernameInput): Promise<UpdateUsernameOutcome> {
      const { updateUsername: result } = await graphql(UpdateUsernameDocument, { input });
      switch (result.__typename) {
        case 'User':
          return { ok: true, user: user(result) };
        case 'Unauthorized':
        case 'UserNotFound':
          return failure(result);
        case 'ValidationError':
          return invalid(result);
        default:
          return assertNever(result);
      }
    },

    async changePassword(input: ChangePasswordInput): Promise<ChangePasswordOutcome> {
      const { changePassword: result } = await graphql(ChangePasswordDocument, { input });
      switch (result.__typename) {
        case 'PasswordChanged':
          return { ok: true };
        case 'OldPasswordIncorrect':
          return failure(result, [{ field: 'oldPassword', message: result.message }]);
        case 'InvalidPasswordFormat':
          return failure(result, [{ field: 'newPassword', message: result.message }]);
        case 'Unauthorized':
        case 'UserNotFound':
          return failure(result);
        case 'ValidationError':
          return invalid(result);
        default:
          return assertNever(result);
      }
    },

    // -- REST routes: typed success or the documented error body -------------

    rest: {
      register: (body: RestBody<'/users/register', 'post'>) =>
        rest('post', '/users/register', {
          201: true, 403: true, 409: true, 413: true, 415: true, 422: true, 503: true,
        }, body),

      login: (body: RestBody<'/auth/login', 'post'>) =>
        rest('post', '/auth/login', {
          200: true, 401: true, 403: true, 413: true, 415: true, 422: true, 429: true, 503: true,
        }, body),

      logout: () => rest('post', '/auth/logout', { 200: true, 403: true, 503: true }),

      me: () => rest('get', '/me', { 200: true, 401: true, 503: true }),

      profile: () => rest('get', '/me/profile', { 200: true, 401: true, 404: true, 503: true }),

      updateProfile: (body: RestBody<'/me/profile', 'patch'>) =>
        rest('patch', '/me/profile', {
          200: true, 401: true, 403: true, 404: true, 413: true, 415: true, 422: true, 503: true,
        }, body),

      changePassword: (body: RestBody<'/me/password', 'post'>) =>
        rest('post', '/me/password', {
          200: true, 400: true, 401: true, 403: true, 404: true, 413: true, 415: true, 422: true,
          503: true,
        }, body),
    },
  };
}
