/** The wrong-token throttle's window (issue 12, item 8), on a clock the test moves. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { requireBearerToken } from '../../src/http/auth';
import { errorHandler } from '../../src/http/errors';

const TOKEN = 'throttle-test-token-0123456789abcdef';
let clock = 1_000_000;
let url = '';
let server: http.Server;

beforeAll(async () => {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(requireBearerToken(TOKEN, { maxFailures: 3, windowMs: 60_000, maxClients: 2, now: () => clock }));
  app.get('/', (_req, res) => void res.json({ ok: true }));
  app.use(errorHandler(pino({ level: 'silent' })));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const attempt = (ip: string, token: string) =>
  request(url).get('/').set('X-Forwarded-For', ip).set('Authorization', `Bearer ${token}`);

describe('wrong-token throttle', () => {
  it('blocks a client after the limit for one window, then lets it try again', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt('192.0.2.1', 'wrong')).status).toBe(401);
    const blocked = await attempt('192.0.2.1', TOKEN);
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    clock += 30_000;
    expect((await attempt('192.0.2.1', TOKEN)).headers['retry-after']).toBe('30');
    clock += 30_001;
    expect((await attempt('192.0.2.1', TOKEN)).status).toBe(200);
  });

  it('forgets failures older than the window, and stays bounded in memory', async () => {
    clock += 120_000;
    for (let i = 0; i < 2; i++) await attempt('192.0.2.2', 'wrong');
    clock += 61_000;
    for (let i = 0; i < 2; i++) expect((await attempt('192.0.2.2', 'wrong')).status).toBe(401);
    // More clients than remembered: the oldest is forgotten rather than the map growing.
    for (const ip of ['192.0.2.3', '192.0.2.4', '192.0.2.5']) await attempt(ip, 'wrong');
    expect((await attempt('192.0.2.5', TOKEN)).status).toBe(200);
  });
});
