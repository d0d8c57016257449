// The demo server says which port is taken and how to pick another, instead
// of a raw stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('a port already in use is named, with how to pick another', async () => {
  const blocker = createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address();
  try {
    const server = fileURLToPath(new URL('../../demo/server.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [server, '--port', String(port), '--catalog', 'generated'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    assert.match(r.stderr, /PORT=8081 demo\/run\.sh/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    blocker.close();
  }
});
