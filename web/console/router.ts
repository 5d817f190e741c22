/**
 * Hash routes (`#/runs/<id>`): the server serves one page at /console, and nothing after `#` is sent
 * to it. `useRoute()` re-renders on navigation.
 */
import { useEffect, useState } from 'preact/hooks';

/** The current route's path segments, e.g. ['runs', 'abc'] for `#/runs/abc`. */
export const currentRoute = (): string[] => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);

/** The path segments, updated on every hash change. */
export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** The href of a route: `href('runs', id)` → `#/runs/<id>`. */
export const href = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;

/** Navigates to a route. */
export const go = (...parts: string[]): void => {
  location.hash = href(...parts);
};
