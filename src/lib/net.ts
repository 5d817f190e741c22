import net from 'node:net';

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Why a listener could not bind, in one line a newcomer can act on:
 * `Cannot listen on 0.0.0.0:4000: the port is in use: stop the other process or set PORT`.
 * @param setting the variable that chooses the port (Default: PORT).
 */
export function listenRefusal(host: string, port: number, err: NodeJS.ErrnoException, setting = 'PORT'): Error {
  const why = err.code === 'EADDRINUSE' ? `the port is in use: stop the other process or set ${setting}` : err.message;
  return new Error(`Cannot listen on ${host}:${port}: ${why}`);
}

/**
 * Binds `host:port` and lets go at once, so a process that could not serve there stops before it
 * starts anything else (an embedded PostgreSQL, migrations, threads). Port 0 (any free port)
 * always passes. Another process may still take the port before the real listener binds; that
 * listener then refuses with the same message.
 * @throws Error {@link listenRefusal}.
 */
export async function checkPortFree(host: string, port: number, setting = 'PORT'): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', (err: NodeJS.ErrnoException) => reject(listenRefusal(host, port, err, setting)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
