// A tiny client for the Ledgerlink backend: the JSON auth endpoints and the
// GraphQL endpoint. No client library: plain fetch, same origin, cookie auth
// plus the CSRF token the session endpoints hand out.

import type { Role } from './graphql/schema';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface SessionAccount {
  id: string;
  name: string;
}

/** The body of GET /auth/session and POST /auth/login. */
export interface SessionInfo {
  user: SessionUser;
  account: SessionAccount;
  csrfToken: string;
}

/** Codes the server puts in errors[].extensions.code, plus the client's own. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'INTERNAL'
  | 'COMPLEXITY_LIMIT'
  | 'NETWORK'
  | 'BAD_RESPONSE'
  | (string & {});

export interface RawGraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** A failed GraphQL request: the first error's message and code, and all errors. */
export class GraphQLError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: RawGraphQLError[];
  readonly path?: (string | number)[];

  constructor(message: string, code: ErrorCode, status: number, errors: RawGraphQLError[] = []) {
    super(message);
    this.name = 'GraphQLError';
    this.code = code;
    this.status = status;
    this.errors = errors;
    this.path = errors[0]?.path;
  }
}

/** A failed call to /auth/*: the server's own wording, ready to show. */
export class AuthError extends Error {
  readonly status: number;
  readonly retryAfterSeconds?: number;

  constructor(message: string, status: number, retryAfterSeconds?: number) {
    super(message);
    this.name = 'AuthError';
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

// ---------------------------------------------------------------------------
// Client state: the CSRF token of the current session and, for support users,
// the account being inspected. The session provider keeps these in step.

let csrfToken: string | null = null;
let viewedAccountId: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Sets the X-Ledgerlink-Account header sent with GraphQL requests (null: none). */
export function setViewedAccountId(id: string | null): void {
  viewedAccountId = id;
}

export function getViewedAccountId(): string | null {
  return viewedAccountId;
}

/** Called whenever the server says the session is gone. Returns an unsubscribe function. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => {
    unauthenticatedListeners.delete(listener);
  };
}

function notifyUnauthenticated(): void {
  for (const listener of [...unauthenticatedListeners]) listener();
}

const ACCOUNT_STORAGE_KEY = 'ledgerlink.supportAccountId';

/** The account a support user last chose, from localStorage. */
export function loadStoredAccountId(): string | null {
  try {
    return window.localStorage.getItem(ACCOUNT_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeAccountId(id: string | null): void {
  try {
    if (id) window.localStorage.setItem(ACCOUNT_STORAGE_KEY, id);
    else window.localStorage.removeItem(ACCOUNT_STORAGE_KEY);
  } catch {
    // Storage may be disabled; the choice then lasts for this page only.
  }
}

// ---------------------------------------------------------------------------

async function readJSON(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 400) return 'BAD_USER_INPUT';
  return 'INTERNAL';
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/**
 * Runs a GraphQL operation and returns its data, or throws a GraphQLError.
 * An UNAUTHENTICATED answer (in the body or as HTTP 401) also tells the
 * session provider, which sends the user back to /login.
 */
export async function graphql<T>(
  query: string,
  variables?: Record<string, unknown>,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (viewedAccountId) headers['X-Ledgerlink-Account'] = viewedAccountId;

  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify({ query, variables: variables ?? {} }),
      signal: options.signal,
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new GraphQLError('Could not reach the Ledgerlink server. Check your connection and try again.', 'NETWORK', 0);
  }

  const body = await readJSON(res);
  const errors = isObject(body) && Array.isArray(body.errors) ? (body.errors as RawGraphQLError[]) : [];

  let failure: GraphQLError | null = null;
  if (errors.length > 0) {
    const first = errors[0]!;
    const code = first.extensions?.code ?? (res.ok ? 'INTERNAL' : codeForStatus(res.status));
    failure = new GraphQLError(first.message || 'The request failed.', code, res.status, errors);
  } else if (!res.ok) {
    const message =
      isObject(body) && typeof body.error === 'string' ? body.error : `The server answered ${res.status}.`;
    failure = new GraphQLError(message, codeForStatus(res.status), res.status);
  } else if (!isObject(body) || !isObject(body.data)) {
    failure = new GraphQLError('The server sent an answer Ledgerlink could not read.', 'BAD_RESPONSE', res.status);
  }

  if (failure) {
    if (failure.code === 'UNAUTHENTICATED' || res.status === 401) notifyUnauthenticated();
    throw failure;
  }
  return (body as { data: T }).data;
}

function isSessionInfo(v: unknown): v is SessionInfo {
  return (
    isObject(v) &&
    isObject(v.user) &&
    isObject(v.account) &&
    typeof v.csrfToken === 'string' &&
    typeof v.user.email === 'string' &&
    typeof v.account.id === 'string'
  );
}

async function authRequest(path: string, init: RequestInit): Promise<{ res: Response; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init });
  } catch {
    throw new AuthError('Could not reach the Ledgerlink server. Check your connection and try again.', 0);
  }
  return { res, body: await readJSON(res) };
}

function authFailure(res: Response, body: unknown): AuthError {
  const message =
    isObject(body) && typeof body.error === 'string' && body.error
      ? body.error
      : `Something went wrong (HTTP ${res.status}). Try again.`;
  const retry = isObject(body) && typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : undefined;
  return new AuthError(message, res.status, retry);
}

/** The current session, or null when nobody is signed in (the server answers 204 No Content). */
export async function fetchSession(): Promise<SessionInfo | null> {
  const { res, body } = await authRequest('/auth/session', { headers: { Accept: 'application/json' } });
  // 401 is what servers before issue 17 answered; it is also "nobody is signed in".
  if (res.status === 204 || res.status === 401) return null;
  if (!res.ok) throw authFailure(res, body);
  if (!isSessionInfo(body)) throw new AuthError('The server sent a session Ledgerlink could not read.', res.status);
  return body;
}

export async function login(email: string, password: string): Promise<SessionInfo> {
  const { res, body } = await authRequest('/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw authFailure(res, body);
  if (!isSessionInfo(body)) throw new AuthError('The server sent a session Ledgerlink could not read.', res.status);
  return body;
}

export async function logout(): Promise<void> {
  const headers: Record<string, string> = {};
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const { res, body } = await authRequest('/auth/logout', { method: 'POST', headers });
  // 401: the session had already ended, which is what the user wanted.
  if (!res.ok && res.status !== 401) throw authFailure(res, body);
}
