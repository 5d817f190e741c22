/**
 * The credential of the signed-in person, kept in sessionStorage only: it lives as long as the tab,
 * never in localStorage, a cookie or a URL. Either an API key (a tenant's console) or, where the
 * server offers it (`serverInfo.consoleAdminSignIn`), the admin secret (the operator's console).
 */
const KEY = 'maas.console.apiKey';
const ADMIN = 'maas.console.adminSecret';

/** The key, or null when nobody signed in with one in this tab. */
export const apiKey = (): string | null => sessionStorage.getItem(KEY);

/** The admin secret, or null when the operator did not sign in in this tab. */
export const adminSecret = (): string | null => sessionStorage.getItem(ADMIN);

/** Remembers `key` for this tab (and forgets an admin secret). */
export const signIn = (key: string): void => {
  sessionStorage.removeItem(ADMIN);
  sessionStorage.setItem(KEY, key);
};

/** Remembers the admin secret for this tab (and forgets an API key). */
export const signInAdmin = (secret: string): void => {
  sessionStorage.removeItem(KEY);
  sessionStorage.setItem(ADMIN, secret);
};

/** Forgets the key and the secret. */
export const signOut = (): void => {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ADMIN);
};
