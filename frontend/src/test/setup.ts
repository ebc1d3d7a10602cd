import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import * as api from '../api';

// jsdom does not implement scrolling; the router scrolls to the top on navigation.
window.scrollTo = () => {};

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  window.history.replaceState(null, '', '/');
  api.setCsrfToken(null);
  api.setViewedAccountId(null);
});
