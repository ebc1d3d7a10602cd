// Test helpers: a scripted fetch and a way to render the whole app at a URL.
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { onTestFinished, vi } from 'vitest';
import { App } from '../App';
import type { SessionInfo } from '../api';
import { RouterProvider } from '../router';
import { SessionProvider } from '../session';

export interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Reply = Response | Promise<Response>;
export type Handler = (call: Call) => Reply | undefined;

export function json(body: unknown, status = 200): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export function gqlError(message: string, code: string, status = 200): Response {
  return json({ errors: [{ message, path: ['x'], extensions: { code } }], data: null }, status);
}

/** A connection of one page holding every node, each node's id as its cursor. */
export function onePage<N extends { id: string }>(nodes: N[], totalCount = nodes.length) {
  return {
    edges: nodes.map((node) => ({ cursor: node.id, node })),
    pageInfo: { hasNextPage: false, endCursor: null },
    totalCount,
  };
}

/** The GraphQL operation name of a call ("query Logs(…)" → "Logs"). */
export function operationName(call: Call): string {
  const q = (call.body as { query?: string } | null)?.query ?? '';
  return /^\s*(?:query|mutation)\s+(\w+)/.exec(q)?.[1] ?? '';
}

export function variablesOf(call: Call): Record<string, unknown> {
  return ((call.body as { variables?: Record<string, unknown> } | null)?.variables ?? {}) as Record<string, unknown>;
}

/** The calls of one GraphQL operation, in order. */
export function callsOf(f: { calls: Call[] }, op: string): Call[] {
  return f.calls.filter((c) => operationName(c) === op);
}

/**
 * Replaces global fetch. The handler answers each call; an unanswered call
 * fails the test loudly with a 599 and is listed in `unhandled`.
 */
export function mockFetch(handler: Handler) {
  const calls: Call[] = [];
  const unhandled: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key] = value;
    });
    let body: unknown = null;
    if (typeof init.body === 'string') {
      try {
        body = JSON.parse(init.body);
      } catch {
        body = init.body;
      }
    }
    const call: Call = { url: new URL(url, 'http://localhost').pathname, method: (init.method ?? 'GET').toUpperCase(), headers, body };
    calls.push(call);
    const reply = handler(call);
    if (!reply) {
      unhandled.push(call);
      return json({ error: `unhandled ${call.method} ${call.url} ${operationName(call)}` }, 599);
    }
    return reply;
  });
  vi.stubGlobal('fetch', fn);
  return { fn, calls, unhandled, graphqlCalls: () => calls.filter((c) => c.url === '/graphql') };
}

export function sessionFor(role: SessionInfo['user']['role'] = 'OWNER'): SessionInfo {
  return {
    user: { id: 'u1', email: 'owner@example.com', name: 'Olive Owner', role },
    account: { id: 'acc-1', name: 'Acme Outdoor' },
    csrfToken: 'csrf-123',
  };
}

/** Renders one component inside the router (for components with links), without the app around it. */
export function renderInRouter(ui: ReactNode) {
  return render(<RouterProvider>{ui}</RouterProvider>);
}

export function renderApp(path: string) {
  window.history.replaceState(null, '', path);
  return render(
    <RouterProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </RouterProvider>,
  );
}

/** A click on a download link (download.ts) as captureDownloads saw it. */
export interface DownloadClick {
  download: string;
  href: string;
  /** Whether the link was in the document when clicked. */
  attached: boolean;
}

/**
 * Catches the files the page downloads: each Blob handed to URL.createObjectURL (which answers
 * `urlFor(n)` for the n-th, from 1) and each click on a link. jsdom has neither; whatever the
 * environment had is put back when the test finishes.
 */
export function captureDownloads(urlFor: (n: number) => string) {
  const saved = (['createObjectURL', 'revokeObjectURL'] as const).map((key) => [key, Object.getOwnPropertyDescriptor(URL, key)] as const);
  onTestFinished(() => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(URL, key, descriptor);
      else Reflect.deleteProperty(URL, key);
    }
  });
  const blobs: Blob[] = [];
  Object.defineProperty(URL, 'createObjectURL', {
    configurable: true,
    value: (blob: Blob) => {
      blobs.push(blob);
      return urlFor(blobs.length);
    },
  });
  Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => {} });
  const clicks: DownloadClick[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicks.push({ download: this.download, href: this.href, attached: document.body.contains(this) });
  });
  return { blobs, clicks };
}
