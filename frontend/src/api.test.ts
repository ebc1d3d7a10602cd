import { describe, expect, it, vi } from 'vitest';
import * as api from './api';
import { AuthError, GraphQLError, graphql } from './api';
import { gqlError, json, mockFetch, sessionFor } from './test/helpers';

describe('graphql()', () => {
  it('posts the query as JSON with the CSRF and account headers', async () => {
    const f = mockFetch(() => json({ data: { viewer: { role: 'SUPPORT' } } }));
    api.setCsrfToken('tok-1');
    api.setViewedAccountId('acc-42');

    const data = await graphql<{ viewer: { role: string } }>('query V { viewer { role } }', { a: 1 });

    expect(data.viewer.role).toBe('SUPPORT');
    expect(f.fn).toHaveBeenCalledTimes(1);
    const [url, init] = f.fn.mock.calls[0]!;
    expect(url).toBe('/graphql');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    const call = f.calls[0]!;
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['x-csrf-token']).toBe('tok-1');
    expect(call.headers['x-ledgerlink-account']).toBe('acc-42');
    expect(call.body).toEqual({ query: 'query V { viewer { role } }', variables: { a: 1 } });
  });

  it('sends no account header when no account is being viewed', async () => {
    const f = mockFetch(() => json({ data: { ok: true } }));
    api.setCsrfToken('tok-1');
    await graphql('{ ok }');
    expect(f.calls[0]!.headers).not.toHaveProperty('x-ledgerlink-account');
    expect(f.calls[0]!.body).toEqual({ query: '{ ok }', variables: {} });
  });

  it('turns GraphQL errors into a GraphQLError with the code, message and path', async () => {
    mockFetch(() =>
      json({
        errors: [{ message: 'Only owners can do that.', path: ['createApiKey'], extensions: { code: 'FORBIDDEN' } }],
        data: null,
      }),
    );
    const listener = vi.fn();
    const off = api.onUnauthenticated(listener);
    const err = await graphql('mutation { createApiKey }').catch((e: unknown) => e);
    off();
    expect(err).toBeInstanceOf(GraphQLError);
    const g = err as GraphQLError;
    expect(g.code).toBe('FORBIDDEN');
    expect(g.message).toBe('Only owners can do that.');
    expect(g.path).toEqual(['createApiKey']);
    expect(listener).not.toHaveBeenCalled();
  });

  it.each([
    {
      what: 'reports UNAUTHENTICATED in the body to the session listener',
      reply: () => gqlError('Sign in first.', 'UNAUTHENTICATED'),
      error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' },
      signOuts: 1,
    },
    {
      what: 'treats HTTP 401 with a plain error body as UNAUTHENTICATED',
      reply: () => json({ error: 'Session expired.' }, 401),
      error: { code: 'UNAUTHENTICATED', status: 401, message: 'Session expired.' },
      signOuts: 1,
    },
    {
      what: 'maps a bare 403 (missing CSRF token) to FORBIDDEN without signing out',
      reply: () => json({ error: 'CSRF token missing.' }, 403),
      error: { code: 'FORBIDDEN', message: 'CSRF token missing.' },
      signOuts: 0,
    },
  ])('$what', async ({ reply, error, signOuts }) => {
    mockFetch(reply);
    const listener = vi.fn();
    const off = api.onUnauthenticated(listener);
    await expect(graphql('{ viewer { role } }')).rejects.toMatchObject(error);
    off();
    expect(listener).toHaveBeenCalledTimes(signOuts);
  });

  it('reports an unreachable server as NETWORK', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(graphql('{ viewer { role } }')).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('rejects a 200 answer without data', async () => {
    mockFetch(() => new Response('<html>proxy error</html>', { status: 200 }));
    await expect(graphql('{ viewer { role } }')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});

describe('auth endpoints', () => {
  it('fetchSession returns the session, or null on 204 (signed out) and 401', async () => {
    const session = sessionFor('MEMBER');
    mockFetch(() => json(session));
    await expect(api.fetchSession()).resolves.toEqual(session);
    mockFetch(() => new Response(null, { status: 204 }));
    await expect(api.fetchSession()).resolves.toBeNull();
    mockFetch(() => json({ error: 'Not signed in.' }, 401));
    await expect(api.fetchSession()).resolves.toBeNull();
  });

  it('login posts the credentials and surfaces the 429 message and retry time', async () => {
    const f = mockFetch(() =>
      json({ error: 'Too many login attempts. Try again in 60 seconds.', retryAfterSeconds: 60 }, 429),
    );
    const err = await api.login('a@b.c', 'pw').catch((e: unknown) => e);
    expect(f.calls[0]).toMatchObject({ url: '/auth/login', method: 'POST', body: { email: 'a@b.c', password: 'pw' } });
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).message).toBe('Too many login attempts. Try again in 60 seconds.');
    expect((err as AuthError).retryAfterSeconds).toBe(60);
    expect((err as AuthError).status).toBe(429);
  });

  it('logout sends the CSRF token', async () => {
    const f = mockFetch(() => new Response(null, { status: 204 }));
    api.setCsrfToken('tok-9');
    await api.logout();
    expect(f.calls[0]).toMatchObject({ url: '/auth/logout', method: 'POST' });
    expect(f.calls[0]!.headers['x-csrf-token']).toBe('tok-9');
  });
});
