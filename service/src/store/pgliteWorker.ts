import { Worker } from 'node:worker_threads';
import type { Logger } from '../log';

/**
 * PGlite runs in a worker thread and serves the Postgres wire protocol on 127.0.0.1 through
 * pglite-socket. Two reasons:
 *  - PGlite's CommonJS build still loads parts of itself with `import()`; jest's module sandbox refuses
 *    dynamic imports without --experimental-vm-modules, while a worker is a plain Node context.
 *  - Queries execute synchronously inside WebAssembly; in a worker they do not stall the HTTP server and
 *    the Pub/Sub stream on the main thread.
 * The source is a string evaluated by the worker (not a .ts file) so it runs the same under tsx, jest
 * and compiled JavaScript without a loader.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const { PGLiteSocketServer } = require(workerData.socketPath);
let pglite;
let server;
const describe = (error) => String((error && error.stack) || error);

async function start() {
  pglite = await PGlite.create(workerData.dataDir ? { dataDir: workerData.dataDir } : {});
  // The service's pool holds one connection at a time, but a closing connection can linger for a moment
  // while its replacement connects: leave room for both.
  server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  parentPort.postMessage({ type: 'ready', address: server.getServerConn() });
}

async function stop() {
  try {
    if (server) await server.stop();
  } finally {
    if (pglite) await pglite.close();
  }
}

parentPort.on('message', (message) => {
  if (!message || message.type !== 'stop') return;
  stop().then(
    () => parentPort.postMessage({ type: 'stopped' }),
    (error) => parentPort.postMessage({ type: 'stopped', error: describe(error) }),
  ).finally(() => parentPort.close());
});

start().catch((error) => parentPort.postMessage({ type: 'failed', error: describe(error) }));
`;

type WorkerMessage =
  { type: 'ready'; address: string } | { type: 'failed'; error: string } | { type: 'stopped'; error?: string };

export interface PgliteServer {
  /** "127.0.0.1:<port>" */
  address: string;
  /** Stops the socket server, closes PGlite (flushing it to disk) and ends the worker. */
  stop(): Promise<void>;
}

/** PGlite takes a few seconds to start (initdb in WebAssembly); far longer means it is stuck. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export function startPgliteServer(directory: string | undefined, logger?: Logger): Promise<PgliteServer> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      pglitePath: require.resolve('@electric-sql/pglite'),
      socketPath: require.resolve('@electric-sql/pglite-socket'),
      dataDir: directory,
    },
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping = false;

  worker.on('error', (error) => logger?.error({ err: error }, 'embedded PGlite worker crashed'));
  void exited.then(() => {
    if (!stopping) logger?.error('embedded PGlite worker exited unexpectedly');
  });

  function nextMessage(timeoutMs: number, what: string): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`embedded PGlite did not ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message: WorkerMessage) => {
        cleanup();
        resolve(message);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`embedded PGlite worker exited (code ${code}) before it could ${what}`));
      };
      const onError = (error: Error) => {
        cleanup();
        reject(new Error(`embedded PGlite worker failed before it could ${what}: ${error.message}`, { cause: error }));
      };
      function cleanup() {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', onError);
      }
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.once('error', onError);
    });
  }

  let stopped: Promise<void> | undefined;
  async function stop(): Promise<void> {
    stopping = true;
    stopped ??= (async () => {
      const reply = nextMessage(STOP_TIMEOUT_MS, 'stop');
      worker.postMessage({ type: 'stop' });
      try {
        const message = await reply;
        if (message.type === 'stopped' && message.error)
          throw new Error(`embedded PGlite did not close cleanly: ${message.error}`);
      } finally {
        await worker.terminate();
        await exited;
      }
    })();
    return stopped;
  }

  return (async () => {
    let message: WorkerMessage;
    try {
      message = await nextMessage(START_TIMEOUT_MS, 'start');
    } catch (error) {
      stopping = true;
      await worker.terminate();
      throw error;
    }
    if (message.type !== 'ready') {
      stopping = true;
      await worker.terminate();
      throw new Error(`embedded PGlite failed to start: ${'error' in message ? message.error : message.type}`);
    }
    return { address: message.address, stop };
  })();
}
