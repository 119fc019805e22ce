import type { Rand, World } from './world';

/** The seeded order of a list (Fisher–Yates). */
export function shuffled<T>(r: Rand, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until true or the deadline; says which. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 10,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/**
 * Seeded people made in the org (their record is known) split in two disjoint groups for one trial: one
 * is edited in Salesforce, the other on the phone side, so no trial makes a conflict whose winner the
 * comparison would have to guess.
 */
export function split(world: World, r: Rand, each: number): { salesforce: string[]; telephony: string[] } {
  const emails = shuffled(r, [...world.recordIds.keys()]);
  return { salesforce: emails.slice(0, each), telephony: emails.slice(each, 2 * each) };
}

/**
 * Edits "by a person in Salesforce", one every `paceMs`: each sets the Title (every few, the first name
 * too) to a value of its own, so a lost or doubled application shows. The org goes on editing whether
 * the service is up or not, as a real org does.
 */
export async function salesforceEdits(world: World, emails: string[], tag: string, paceMs: number): Promise<void> {
  for (let i = 0; i < emails.length; i++) {
    const email = emails[i];
    const fields = i % 3 === 0 ? { title: `${tag} sf ${i}`, firstName: `Sf${i}` } : { title: `${tag} sf ${i}` };
    world.salesforceEdit(email, fields, world.recordIds.get(email)!);
    if (paceMs > 0) await sleep(paceMs);
  }
}

/** Phone-side creates and edits through the REST API; returns how many the service answered. */
export async function telephonyWrites(
  world: World,
  creates: number,
  edits: string[],
  tag: string,
): Promise<{ sent: number; answered: number }> {
  let answered = 0;
  for (let i = 0; i < creates; i++) if (await world.telephonyCreate()) answered++;
  for (let i = 0; i < edits.length; i++) {
    if (await world.telephonyEdit(edits[i], { title: `${tag} tel ${i}` })) answered++;
  }
  return { sent: creates + edits.length, answered };
}

/**
 * Kills the service the moment the org has committed `count` Contact/Lead records written by the service
 * (creates and updates), inside the commit itself: the org has the write, the service never hears back.
 * Returns a promise for the kill and a way to call it off.
 */
export function killAfterOrgWrites(world: World, count: number): { killed: Promise<boolean>; cancel(): void } {
  const { store, integrationUserIds } = world.emulator.org;
  let seen = 0;
  let settle!: (fired: boolean) => void;
  const killed = new Promise<boolean>((resolve) => (settle = resolve));
  const off = store.onCommit((batch) => {
    if (batch.sobject !== 'Contact' && batch.sobject !== 'Lead') return;
    if (!integrationUserIds.has(batch.actor.userId) || batch.operation === 'delete') return;
    seen += batch.changes.length;
    if (seen < count) return;
    off();
    world.service.killNow();
    settle(true);
  });
  return {
    killed,
    cancel() {
      off();
      settle(false);
    },
  };
}
