import type { Database } from '../src/store/types';
import { insertContact } from '../src/directory/contacts';
import { createLink } from '../src/store/state/links';
import { outboxStats } from '../src/store/outbox/outbox';
import type { EmulatorHandle } from '../emulator';
import { EMPTY_SEED } from '../emulator/org/seed';
import { startBenchOrg } from './harness/benchOrg';
import { figure, percentile } from './harness/figures';

/** Reports in flight at once at most (PBXs post as calls end; a busy one has several open). */
const CONCURRENCY = 16;

/**
 * Call reports at a sustained rate (issue 15: 10,000 a minute) for callers linked to Salesforce Contacts, each
 * POSTed once as a PBX would, through the whole app: intake latency (p50, p99), the rate reached, and then the
 * Tasks in the org — every call one Task, and how many sObject Collections calls and metered API requests they
 * took per 200 Tasks (the target: one call per 200). The reports are paced open-loop: each is sent at its
 * time, whatever the answers before it. Without `perMinute`, the reports are replayed as fast as they are
 * accepted — a PBX sending its journal after an outage — which leaves the write-back a backlog to work off.
 */
export async function runCallsBench(options: { calls: number; perMinute?: number; callers: number }): Promise<void> {
  const { emulator, db, config, service, backend, close } = await startBenchOrg('calls', EMPTY_SEED);
  const pace = options.perMinute === undefined ? 'replayed at once' : `at ${options.perMinute}/min`;
  const label = `calls, ${options.calls} ${pace} (${backend})`;
  try {
    const orgId = service.orgs[0].settings.orgId;
    const numbers = await linkedCallers(db, emulator, orgId, options.callers);
    let taskCalls = 0;
    let tasks = 0;
    emulator.org.store.onCommit((batch) => {
      if (batch.sobject !== 'Task' || batch.operation !== 'create') return;
      taskCalls++;
      tasks += batch.changes.length;
    });
    const usedBefore = emulator.org.apiUsage.used;

    const latencies: number[] = [];
    const intervalMs = options.perMinute === undefined ? 0 : 60_000 / options.perMinute;
    const started = performance.now();
    let next = 0;
    const send = async (): Promise<void> => {
      while (next < options.calls) {
        const i = next++;
        const due = started + i * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const sent = performance.now();
        const res = await fetch(`${service.url}/api/v1/calls`, {
          method: 'POST',
          headers: { authorization: `Bearer ${config.apiToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(report(i, numbers[i % numbers.length] as string)),
        });
        latencies.push(performance.now() - sent);
        if (res.status !== 202) throw new Error(`POST /calls answered ${res.status}: ${await res.text()}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, send));
    const intakeSeconds = (performance.now() - started) / 1000;
    const lastReport = performance.now();
    for (;;) {
      const stats = await outboxStats(db, orgId);
      if (stats.pending + stats.processing === 0) {
        if (stats.failed > 0) throw new Error(`${stats.failed} Tasks failed`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const drainMs = performance.now() - lastReport;
    latencies.sort((a, b) => a - b);
    figure(
      `${label}: reports accepted per minute`,
      (options.calls / intakeSeconds) * 60,
      'reports/min',
      options.perMinute ?? 0,
    );
    figure(`${label}: intake p50`, percentile(latencies, 50), 'ms', 0);
    figure(`${label}: intake p99`, percentile(latencies, 99), 'ms', 0);
    figure(`${label}: Tasks in the org (one per call)`, tasks, 'Tasks', options.calls);
    figure(
      `${label}: sObject Collections calls per 200 Tasks`,
      tasks > 0 ? (taskCalls * 200) / tasks : NaN,
      'calls',
      1,
    );
    figure(
      `${label}: metered API requests per 200 Tasks (status reports included)`,
      tasks > 0 ? ((emulator.org.apiUsage.used - usedBefore) * 200) / tasks : NaN,
      'requests',
      1,
    );
    figure(`${label}: last Task in the org after the last report`, drainMs, 'ms', 0);
  } finally {
    await close();
  }
}

/** The i-th report: an answered inbound call of 90 s from one of the callers, to extension 201. */
function report(i: number, from: string): Record<string, unknown> {
  const start = Date.UTC(2026, 11, 7, 9) + i * 1000;
  return {
    callId: `bench-${i}`,
    direction: 'inbound',
    from,
    to: '201',
    extension: '201',
    startedAt: new Date(start).toISOString(),
    answeredAt: new Date(start + 5_000).toISOString(),
    endedAt: new Date(start + 95_000).toISOString(),
    disposition: 'answered',
  };
}

/** `count` Contacts in the org (written quietly), each in the directory with its number and linked: the callers. */
async function linkedCallers(db: Database, emulator: EmulatorHandle, orgId: string, count: number): Promise<string[]> {
  const { store, integrationUser } = emulator.org;
  const numbers = Array.from({ length: count }, (_, i) => `+1202555${String(1000 + i).padStart(4, '0')}`);
  const results = store.insert(
    'Contact',
    numbers.map((phone, i) => ({ LastName: `Caller ${i}`, Phone: phone })),
    integrationUser,
  );
  await db.transaction(async (tx) => {
    for (let i = 0; i < count; i++) {
      const recordId = results[i]?.id;
      if (!recordId) throw new Error(`caller ${i} could not be made: ${JSON.stringify(results[i]?.errors)}`);
      const phone = numbers[i] as string;
      const contact = await insertContact(
        tx,
        { lastName: `Caller ${i}`, phones: [{ kind: 'work', raw: phone, e164: phone, extension: null }] },
        'salesforce',
      );
      await createLink(tx, { orgId, contactId: contact.id, sobject: 'Contact', recordId });
    }
  });
  return numbers;
}
