/**
 * A seeded bad-input corpus against every REST route that takes input (issue 12, item 7). Every case is bad
 * by construction (one to three mutations of a valid request), so each must be refused: no 5xx, a 4xx that
 * names the field (and the contact where the route has one), the directory and the command desk untouched,
 * and a log with no stack trace and none of the submitted values. The seed is fixed, so a failure replays.
 */
import request from 'supertest';
import { listContacts, countContacts } from '../../src/directory/contacts';
import { listOutbox } from '../../src/store/outbox/outbox';
import { AUTH, ORG_ID, useApiHarness } from '../support/api-harness';
import { rng } from '../../emulator/org/seed';
import { makeCase } from '../support/apiFuzzCorpus';

const harness = useApiHarness();
const SEED = 0x5eed12;
const CASES = 2100;

async function fingerprint(): Promise<string> {
  return JSON.stringify([
    await countContacts(harness.db),
    await listContacts(harness.db, { limit: 500 }),
    await listOutbox(harness.db, { limit: 500 }),
  ]);
}

describe(`seeded bad-input corpus (${CASES} cases, seed ${SEED})`, () => {
  it('refuses every case with a 4xx naming the field, changes nothing and logs nothing personal', async () => {
    const r = rng(SEED);
    const ada = await harness.seed();
    const before = await fingerprint();
    const figures = { cases: 0, '4xx': 0, '5xx': 0, other: 0 };
    const problems: string[] = [];
    const submitted = new Set<string>();
    for (let i = 0; i < CASES; i++) {
      const c = makeCase(r, ada.id, ORG_ID);
      // As the value would appear in a JSON log line; short ones would match by chance.
      for (const v of c.values) if (JSON.stringify(v).length >= 6) submitted.add(JSON.stringify(v).slice(1, -1));
      let req = request(harness.demoUrl)[c.method](c.path).set(AUTH);
      if (c.query) req = req.query(c.query);
      // Sent as JSON text, so numbers, strings and null go as bodies too (superagent takes only objects).
      if (c.body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(c.body));
      const res = await req;
      figures.cases++;
      const label = `#${i} ${c.method.toUpperCase()} ${JSON.stringify(c.path)} ${JSON.stringify(c.query ?? c.body)}`;
      if (res.status >= 500) figures['5xx']++;
      else if (res.status >= 400) figures['4xx']++;
      else figures.other++;
      if (res.status < 400 || res.status >= 500) problems.push(`${label} → ${res.status}`);
      else {
        const error = res.body.error ?? {};
        if (res.status === 400 && !error.field) problems.push(`${label} → 400 without a field: ${error.message}`);
        if (res.status === 404 && !error.field && !error.record) problems.push(`${label} → 404 naming nothing`);
        if (c.record && res.status === 400 && error.record !== c.record)
          problems.push(`${label} → 400 not naming the contact`);
      }
      if (i % 25 === 0 && (await fingerprint()) !== before) problems.push(`${label}: the directory changed`);
    }
    const directoryChanged = (await fingerprint()) !== before;
    const log = harness.logLines.join('');
    const leaked = [
      ...(/"stack"|\n\s+at /.test(log) ? ['a stack trace'] : []),
      ...[...submitted].filter((v) => log.includes(v)).slice(0, 10),
    ];
    // The figures the closing note reports.
    process.stdout.write(
      `${JSON.stringify({ fuzz: 'http', seed: SEED, ...figures, problems: problems.length, directoryChanged, logLines: harness.logLines.length })}\n`,
    );
    expect({ problems: problems.slice(0, 20), directoryChanged, commands: harness.commands, leaked }).toEqual({
      problems: [],
      directoryChanged: false,
      commands: [],
      leaked: [],
    });
    expect(figures['5xx']).toBe(0);
  }, 180_000);
});
