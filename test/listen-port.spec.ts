/**
 * `npm start` twice (the port taken): the API process ends with one line naming the port and the
 * fix, exit 1, before it starts a database or anything else — no stack, no graphql-ws "Please
 * check your implementation". Runs src/main.ts as a child process (no build), the way the CLI spec
 * runs the CLI.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

it('refuses a taken PORT in one line, exit 1, without starting the embedded PostgreSQL', async () => {
  const other = net.createServer();
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const port = (other.address() as net.AddressInfo).port;
  try {
    const child = spawn(process.execPath, ['-r', path.join(__dirname, 'support', 'ts-register.cjs'), path.join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      // No DATABASE_URL: past the port check this would start an embedded PostgreSQL in this folder.
      env: { ...process.env, DATABASE_URL: '', HOST: '127.0.0.1', PORT: String(port), EMBEDDED_PG_DIR: path.join(ROOT, '.data', 'never-started'), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect({ code, stderr, stdout }).toEqual({ code: 1, stderr: `Cannot listen on 127.0.0.1:${port}: the port is in use: stop the other process or set PORT\n`, stdout: '' });
    expect(fs.existsSync(path.join(ROOT, '.data', 'never-started'))).toBe(false);
  } finally {
    other.close();
  }
}, 60_000);
