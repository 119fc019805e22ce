import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { previewPort, startPreviewServer, type PreviewServer } from '../../../preview/serve';

/** The preview's static server: what it serves, what it refuses, and the port it picks. */
describe('preview static server', () => {
  let dir: string;
  let server: PreviewServer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-preview-serve-'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>preview</title>');
    await writeFile(path.join(dir, 'app.js'), 'console.log(1);');
    server = await startPreviewServer(dir, 0);
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('listens on loopback and serves the build with content types', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(await index.text()).toContain('<title>preview</title>');
    const script = await fetch(`${server.url}/app.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
  });

  test('serves the SLDS stylesheet under /slds/', async () => {
    const css = await fetch(`${server.url}/slds/styles/salesforce-lightning-design-system.min.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  test('refuses paths outside its folders, unknown files and writes', async () => {
    expect((await fetch(`${server.url}/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/slds/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/app.js`, { method: 'POST' })).status).toBe(404);
  });

  test('PREVIEW_PORT picks the port, 4100 by default, and must be a port number', () => {
    expect(previewPort({})).toBe(4100);
    expect(previewPort({ PREVIEW_PORT: '4321' })).toBe(4321);
    expect(() => previewPort({ PREVIEW_PORT: 'abc' })).toThrow(/PREVIEW_PORT must be a port number.*"abc"/);
    expect(() => previewPort({ PREVIEW_PORT: '70000' })).toThrow(/PREVIEW_PORT/);
  });
});
