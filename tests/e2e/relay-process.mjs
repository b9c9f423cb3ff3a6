// A real baton-relay process for end-to-end tests and the benchmark: on a port (a free one
// unless given), a SQLite file in a temp dir, the environment given. `stop()` kills it (SIGKILL,
// as a crash would) and removes the dir.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

/** The debug build `make test` makes in test-relay (a suite run on its own builds it). */
export const DEBUG_RELAY = new URL('../../target/debug/baton-relay', import.meta.url).pathname;

/** A port nobody listens on right now. */
export const freePort = () => new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

/** Starts the relay and waits until `/healthz` answers; resolves to `{url, stop, invite, log,
 * files}`, where `invite(email)` runs `baton-relay agents add EMAIL` on the same database and
 * returns the invite link's path (`/invite/…`), `log()` is what the relay wrote to stderr so far
 * (passed on to the test's stderr too), and `files()` the bytes of its database files. */
export async function startRelay({ port, env = {}, bin = DEBUG_RELAY } = {}) {
  if (bin === DEBUG_RELAY && !existsSync(bin)) execFileSync('cargo', ['build', '-p', 'baton-relay'], { stdio: 'inherit' });
  port ||= await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'baton-relay-'));
  const relayEnv = { ...process.env, PORT: String(port), DATABASE_URL: `sqlite://${join(dir, 'relay.db')}`, ...env };
  const child = spawn(bin, [], { env: relayEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  let written = '';
  child.stderr.on('data', (chunk) => { written += chunk; process.stderr.write(chunk); });
  const log = () => written;
  const files = () => Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
  const invite = (email) => new URL(execFileSync(bin, ['agents', 'add', email], { env: relayEnv }).toString().trim()).pathname;
  const stop = () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 400; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) return { url, stop, invite, log, files }; } catch {}
    await new Promise((ok) => setTimeout(ok, 50));
  }
  stop();
  throw new Error('baton-relay did not start');
}
