import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, renderApp } from '../test/helpers';

function fillAndSubmit(email = 'owner@example.com', password = 'wrong') {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('login page', () => {
  it('shows the server error text for a wrong password', async () => {
    const f = mockFetch((call) => {
      if (call.url === '/auth/session') return json({ error: 'Not signed in.' }, 401);
      if (call.url === '/auth/login') return json({ error: 'Invalid email or password.' }, 401);
      return undefined;
    });
    renderApp('/login');
    await screen.findByRole('heading', { name: 'Sign in' });
    fillAndSubmit(' owner@example.com ', 'wrong');

    expect((await screen.findByRole('alert')).textContent).toBe('Invalid email or password.');
    expect(f.calls.find((c) => c.url === '/auth/login')?.body).toEqual({ email: 'owner@example.com', password: 'wrong' });
    expect(window.location.pathname).toBe('/login');
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows the rate-limit message from a 429 answer', async () => {
    mockFetch((call) => {
      if (call.url === '/auth/session') return json({ error: 'Not signed in.' }, 401);
      if (call.url === '/auth/login')
        return json({ error: 'Too many login attempts. Try again in 60 seconds.', retryAfterSeconds: 60 }, 429);
      return undefined;
    });
    renderApp('/login');
    await screen.findByRole('heading', { name: 'Sign in' });
    fillAndSubmit();
    expect((await screen.findByRole('alert')).textContent).toBe('Too many login attempts. Try again in 60 seconds.');
  });

  it('disables the button while the request is under way', async () => {
    let answer: (r: Response) => void = () => {};
    mockFetch((call) => {
      if (call.url === '/auth/session') return json({ error: 'Not signed in.' }, 401);
      if (call.url === '/auth/login') return new Promise<Response>((resolve) => (answer = resolve));
      return undefined;
    });
    renderApp('/login');
    await screen.findByRole('heading', { name: 'Sign in' });
    fillAndSubmit();
    const button = screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    answer(json({ error: 'Invalid email or password.' }, 401));
    await screen.findByRole('alert');
    expect(button.disabled).toBe(false);
  });

  it('explains an unreadable server answer instead of failing silently', async () => {
    mockFetch((call) => {
      if (call.url === '/auth/session') return json({ error: 'Not signed in.' }, 401);
      if (call.url === '/auth/login') return new Response('Bad gateway', { status: 502 });
      return undefined;
    });
    renderApp('/login');
    await screen.findByRole('heading', { name: 'Sign in' });
    fillAndSubmit();
    expect((await screen.findByRole('alert')).textContent).toMatch(/HTTP 502/);
  });
});
