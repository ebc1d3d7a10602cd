import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import * as api from '../api';

// jsdom does not implement scrolling; the router scrolls to the top on navigation.
window.scrollTo = () => {};

// A test that faked the clock gets the real one back, before the cleanup (as each file's own hook did).
afterEach(() => {
  vi.useRealTimers();
  cleanup();
  window.localStorage.clear();
  window.history.replaceState(null, '', '/');
  api.setCsrfToken(null);
  api.setViewedAccountId(null);
});
