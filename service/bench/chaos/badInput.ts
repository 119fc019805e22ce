/**
 * The seeded bad-input corpus of test/http/api-fuzz.test.ts (2,100 cases over every route that takes
 * input), sent to the service process while it syncs a stream of Salesforce edits and writes back phone-side
 * edits: every case must be refused with a 4xx, nothing of it stored, nothing else lost.
 */
import { findContactIdsByEmail, listContacts } from '../../src/directory/contacts';
import { rng } from '../../emulator/org/seed';
import { makeCase } from '../../test/support/apiFuzzCorpus';
import { ORG_ID } from './compare';
import {
  inWorld,
  newResult,
  scenarioRandom,
  settleInto,
  startSynced,
  type ChaosContext,
  type ScenarioResult,
} from './scenario';
import { salesforceEdits, split, telephonyWrites } from './streams';

const CORPUS_SEED = 0x5eed12;
const CASES = 2100;

export async function badInputWhileSyncing(ctx: ChaosContext): Promise<ScenarioResult> {
  const result = newResult('bad-input corpus while syncing');
  const r = scenarioRandom(ctx, result.name);
  const counts = { '2xx/3xx': 0, '4xx': 0, '5xx': 0, unanswered: 0 };
  let fuzzStored = 0;
  await inWorld(ctx, result, {}, async (world) => {
    await startSynced(world, ctx);
    const { salesforce, telephony } = split(world, r, Math.max(20, Math.floor(ctx.records / 10)));
    // The corpus's PATCH cases go to a contact that nothing else edits: any change to it shows as wrong.
    const target = [...world.recordIds.keys()].find(
      (email) => !salesforce.includes(email) && !telephony.includes(email),
    )!;
    const [contactId] = await findContactIdsByEmail(world.db, target);
    const corpus = (async () => {
      const cases = rng(CORPUS_SEED);
      for (let i = 0; i < CASES; i++) {
        const c = makeCase(cases, contactId, ORG_ID);
        const params = new URLSearchParams();
        for (const [key, value] of Object.entries(c.query ?? {})) {
          for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
        }
        const query = c.query ? `?${params.toString()}` : '';
        const body = c.body === undefined ? undefined : JSON.stringify(c.body);
        const res = await world.service.api(
          c.method.toUpperCase(),
          `${c.path.replace(/^\/api\/v1/, '')}${query}`,
          body,
        );
        if (!res) counts.unanswered++;
        else if (res.status >= 500) counts['5xx']++;
        else if (res.status >= 400) counts['4xx']++;
        else counts['2xx/3xx']++;
      }
    })();
    await Promise.all([
      corpus,
      salesforceEdits(world, salesforce, 'fuzz', 5),
      telephonyWrites(world, 10, telephony, 'fuzz'),
    ]);
    await settleInto(result, world, ctx);
    // The corpus's valid-looking bodies are all named "Fuzz": none may be in the directory or the org.
    fuzzStored += (await listContacts(world.db, { limit: 1000, search: 'Fuzz' })).length;
    for (const sobject of ['Contact', 'Lead'] as const) {
      for (const record of world.emulator.org.store.scan(sobject)) if (record.LastName === 'Fuzz') fuzzStored++;
    }
  });
  result.extra.push(
    { figure: 'bad-input cases sent', value: CASES, correctAtZero: false },
    { figure: 'bad-input cases answered 5xx', value: counts['5xx'], correctAtZero: true },
    { figure: 'bad-input cases accepted (2xx/3xx)', value: counts['2xx/3xx'], correctAtZero: true },
    { figure: 'bad-input cases unanswered', value: counts.unanswered, correctAtZero: true },
    { figure: 'bad-input records stored', value: fuzzStored, correctAtZero: true },
  );
  return result;
}
