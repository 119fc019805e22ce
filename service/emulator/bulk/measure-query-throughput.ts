/**
 * Measures how fast the emulator serves a Bulk API 2.0 query over a large org (rows/s), in three
 * layers: the store's scan alone, the query engine + CSV encoding (no HTTP), and the full HTTPS
 * path paged by locator. Prints figures; never pass/fail.
 *
 *   npx tsx service/emulator/bulk/measure-query-throughput.ts [contacts=1000000] [maxRecords]
 */
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { EmulatedOrg } from '../org/org';
import { startRestServer } from '../rest/server';
import { compileSoql } from '../soql/compile';
import { queryRouter } from '../soql/routes';
import { loadOrCreateCertificate } from '../tls';
import { QueryJob } from './query-job';
import { bulkRouter } from './routes';

const SOQL =
  'SELECT Id, FirstName, LastName, Email, Phone, MobilePhone, HomePhone, OtherPhone, Title, Account.Name, SystemModstamp FROM Contact';

const rate = (rows: number, ms: number): string =>
  `${rows} rows in ${(ms / 1000).toFixed(2)} s = ${Math.round(rows / (ms / 1000))} rows/s`;

async function main(): Promise<void> {
  const contacts = Number(process.argv[2] ?? 1_000_000);
  const maxRecords = process.argv[3] ? Number(process.argv[3]) : undefined;
  const org = new EmulatedOrg({ seed: { contacts, leads: 0, businessAccounts: 200, personAccounts: 0, users: 2 } });

  let started = Date.now();
  let scanned = 0;
  for (const _record of org.store.scan('Contact')) scanned++;
  console.log(`store.scan only:            ${rate(scanned, Date.now() - started)}`);

  const job = new QueryJob(
    '750x',
    org.integrationUser,
    compileSoql(SOQL, { personAccounts: true }),
    'query',
    '62.0',
    { columnDelimiter: 'COMMA', lineEnding: 'LF' },
    org.store,
  );
  started = Date.now();
  let rows = 0;
  let chars = 0;
  for (let position: number | undefined = 0; position !== undefined;) {
    const page = job.page(position, maxRecords ?? 200_000, 256 * 1024 * 1024);
    rows += page.numberOfRecords;
    chars += page.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    position = page.nextPosition;
  }
  console.log(`filter + CSV (no HTTP):     ${rate(rows, Date.now() - started)}, ${(chars / 1e6).toFixed(0)} MB of CSV`);

  const certificate = await loadOrCreateCertificate(path.join(os.tmpdir(), 'switchboard-emulator-bench-certs'));
  https.globalAgent.options.ca = [...tls.rootCertificates, certificate.certPem];
  const server = await startRestServer(org, { tls: certificate, routers: [queryRouter(org), bulkRouter(org)] });
  try {
    const token = org.issueToken(org.integrationUser.userId).accessToken;
    const call = (method: string, url: string, body?: string) =>
      new Promise<{ headers: Record<string, unknown>; text: string }>((resolve, reject) => {
        const req = https.request(
          new URL(url, server.url),
          {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          },
          (res) => {
            const parts: Buffer[] = [];
            res.on('data', (part: Buffer) => parts.push(part));
            res.on('end', () => resolve({ headers: res.headers, text: Buffer.concat(parts).toString() }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    started = Date.now();
    const created = JSON.parse(
      (await call('POST', '/services/data/v62.0/jobs/query', JSON.stringify({ operation: 'query', query: SOQL }))).text,
    ) as { id: string };
    for (;;) {
      const info = JSON.parse((await call('GET', `/services/data/v62.0/jobs/query/${created.id}`)).text) as {
        state: string;
      };
      if (info.state === 'JobComplete') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    let httpRows = 0;
    let pages = 0;
    let locator = '';
    do {
      const query = [locator ? `locator=${locator}` : '', maxRecords ? `maxRecords=${maxRecords}` : '']
        .filter(Boolean)
        .join('&');
      const page = await call(
        'GET',
        `/services/data/v62.0/jobs/query/${created.id}/results${query ? `?${query}` : ''}`,
      );
      httpRows += Number(page.headers['sforce-numberofrecords']);
      pages++;
      locator = String(page.headers['sforce-locator']);
    } while (locator !== 'null');
    console.log(`HTTPS, ${pages} page(s):        ${rate(httpRows, Date.now() - started)}`);
  } finally {
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
