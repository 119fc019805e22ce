import net from 'node:net';
import { openDatabase } from '../../src/store/db';
import { DatabaseUnavailableError } from '../../src/store/availability';
import { createTemporaryDatabase, postgresUrlFromEnv, type TemporaryDatabase } from '../support/backends';

/**
 * A database host that takes the TCP connection and then says nothing (a firewall that drops packets
 * after the handshake, a hung server) — or, switched to `forward`, a plain proxy to a real server.
 * Without a connect timeout, pg waits on such a host forever, and so does every request needing a
 * new connection.
 */
async function startHost(target?: URL): Promise<{
  url(database: string): string;
  silence(): void;
  close(): Promise<void>;
}> {
  let silent = !target;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (silent || !target) return;
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url(database: string) {
      const url = new URL(target?.toString() ?? 'postgres://switchboard@127.0.0.1/');
      url.hostname = '127.0.0.1';
      url.port = String(port);
      url.pathname = `/${database}`;
      return url.toString();
    },
    silence() {
      silent = true;
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('connecting to a database host that does not answer', () => {
  it('gives up at start after the connect timeout, naming DATABASE_URL, instead of waiting for ever', async () => {
    const host = await startHost();
    try {
      await expect(openDatabase({ databaseUrl: host.url('switchboard'), connectTimeoutMs: 200 })).rejects.toThrow(
        /^Cannot connect to DATABASE_URL \(postgres:\/\/switchboard@127\.0\.0\.1:\d+\/switchboard\): .*timeout/,
      );
    } finally {
      await host.close();
    }
  });

  const postgresUrl = postgresUrlFromEnv();
  (postgresUrl ? describe : describe.skip)(
    `once running (postgres${postgresUrl ? '' : ': set DATABASE_URL to run'})`,
    () => {
      let database: TemporaryDatabase;
      beforeAll(async () => {
        database = await createTemporaryDatabase(postgresUrl as string);
      });
      afterAll(async () => {
        await database?.drop();
      });

      it('a query needing a new connection, and a session connection, fail as "database unavailable" after the timeout', async () => {
        const host = await startHost(new URL(database.url));
        const db = await openDatabase({
          databaseUrl: host.url(new URL(database.url).pathname.slice(1)),
          connectTimeoutMs: 300,
        });
        try {
          expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
          // Every open connection is cut, and new ones are taken and never answered.
          host.silence();
          await expect(db.query('SELECT 1')).rejects.toThrow(DatabaseUnavailableError);
          await expect(db.query('SELECT 1')).rejects.toThrow(/^database unavailable: .*timeout/);
          await expect(db.transaction(async (tx) => tx.query('SELECT 1'))).rejects.toThrow(DatabaseUnavailableError);
          await expect((db.openSession as NonNullable<typeof db.openSession>)()).rejects.toThrow(/timeout/);
        } finally {
          await db.close();
          await host.close();
        }
      });
    },
  );
});
