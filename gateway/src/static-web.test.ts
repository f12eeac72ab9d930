import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticWeb } from './static-web.js';

describe('staticWeb', () => {
  let base: string;
  const server = createServer();
  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), 'web-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<html>workbench</html>');
    await writeFile(join(root, 'assets/app.js'), 'console.log(1)');
    await writeFile(join(tmpdir(), 'secret.txt'), 'do not serve');
    const handler = staticWeb(root);
    server.on('request', (req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => server.close());

  it('serves assets with long caching and the page for unknown paths', async () => {
    const asset = await fetch(`${base}/assets/app.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await (await fetch(`${base}/queue/anything`)).text()).toContain('workbench');
  });
  it('never leaves its folder', async () => {
    const res = await fetch(`${base}/..%2Fsecret.txt`);
    expect(await res.text()).not.toContain('do not serve');
  });
});
