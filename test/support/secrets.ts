/** The admin and JWT secrets every test server (in-process or child process) is started with. */
export const ADMIN_SECRET = 'test-admin-secret-0123456789';
export const JWT_SECRET = 'test-jwt-secret-0123456789-0123456789-abcdef';
