/**
 * The API key of the signed-in person, kept in sessionStorage only: it lives as long as the tab,
 * never in localStorage, a cookie or a URL.
 */
const KEY = 'maas.console.apiKey';

/** The key, or null when nobody signed in in this tab. */
export const apiKey = (): string | null => sessionStorage.getItem(KEY);

/** Remembers `key` for this tab. */
export const signIn = (key: string): void => sessionStorage.setItem(KEY, key);

/** Forgets the key. */
export const signOut = (): void => sessionStorage.removeItem(KEY);
