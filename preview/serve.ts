import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

/**
 * A static file server for the built preview (./build.ts): the build output at "/", SLDS's assets
 * (styles, icons, fonts) at "/slds/". Loopback only.
 */

const SLDS_ASSETS = path.resolve(__dirname, '../node_modules/@salesforce-ux/design-system/assets');
export const DEFAULT_PREVIEW_PORT = 4100;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.map': 'application/json; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.woff': 'font/woff',
    '.woff2': 'font/woff2'
};

export interface PreviewServer {
    url: string;
    server: Server;
    close(): Promise<void>;
}

/** The file a URL path names under root, or undefined when it would leave root. */
function fileUnder(root: string, urlPath: string): string | undefined {
    const file = path.resolve(root, `.${urlPath}`);
    return file === root || file.startsWith(root + path.sep) ? file : undefined;
}

function fileFor(distDir: string, pathname: string): string | undefined {
    if (pathname === '/') {
        return path.join(distDir, 'index.html');
    }
    if (pathname.startsWith('/slds/')) {
        return fileUnder(SLDS_ASSETS, pathname.slice('/slds'.length));
    }
    return fileUnder(distDir, pathname);
}

/** Serves distDir on 127.0.0.1:port (0 = any free port). */
export function startPreviewServer(distDir: string, port: number): Promise<PreviewServer> {
    const root = path.resolve(distDir);
    const server = createServer((request, response) => {
        let pathname: string;
        try {
            pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
        } catch {
            response.writeHead(400).end('Bad request path');
            return;
        }
        if (pathname === '/favicon.ico') {
            response.writeHead(204).end();
            return;
        }
        const file = request.method === 'GET' || request.method === 'HEAD' ? fileFor(root, pathname) : undefined;
        if (!file) {
            response.writeHead(404).end('Not found');
            return;
        }
        readFile(file).then(
            (body) => {
                const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
                response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
                response.end(request.method === 'HEAD' ? undefined : body);
            },
            () => response.writeHead(404).end('Not found')
        );
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
            const { port: actual } = server.address() as AddressInfo;
            resolve({
                url: `http://127.0.0.1:${actual}`,
                server,
                close: () => new Promise<void>((done) => server.close(() => done()))
            });
        });
    });
}

/** The port `npm run preview` listens on: PREVIEW_PORT, or 4100. */
export function previewPort(env: NodeJS.ProcessEnv = process.env): number {
    const raw = env.PREVIEW_PORT;
    if (raw === undefined || raw === '') {
        return DEFAULT_PREVIEW_PORT;
    }
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`PREVIEW_PORT must be a port number (0-65535), got "${raw}"`);
    }
    return port;
}
