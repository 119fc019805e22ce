import { decideMassDelete, MIN_DELETES_TO_TRIP, type GuardInput } from '../../../src/sync/rules/massDeleteGuard';

const input = (overrides: Partial<GuardInput>): GuardInput => ({
  linked: 100,
  recent: 0,
  incoming: 0,
  thresholdPercent: 10,
  alreadyHeld: 0,
  ...overrides,
});

describe('mass-deletion guard', () => {
  it('never trips below the minimum number of deletes, however small the org', () => {
    expect(MIN_DELETES_TO_TRIP).toBe(5);
    expect(decideMassDelete(input({ linked: 3, incoming: 1 })).hold).toBe(false);
    expect(decideMassDelete(input({ linked: 4, incoming: 4 })).hold).toBe(false);
    expect(decideMassDelete(input({ linked: 5, incoming: 5 }))).toMatchObject({ hold: true });
  });

  it('trips only above the threshold percentage of linked contacts', () => {
    expect(decideMassDelete(input({ linked: 100, incoming: 10 })).hold).toBe(false);
    const held = decideMassDelete(input({ linked: 100, incoming: 11 }));
    expect(held.hold).toBe(true);
    expect(held.reason).toBe(
      'mass deletion held: 11 of 100 linked contacts (11.0 %) would be deleted, above the 10 % threshold. ' +
        'Resume the sync to apply the deletes, or discard them to keep the contacts',
    );
    expect(decideMassDelete(input({ linked: 100, incoming: 30, thresholdPercent: 50 })).hold).toBe(false);
  });

  it('judges change events over a sliding window: earlier deletes count, against the base before them', () => {
    // 4 applied a moment ago (links now 36, so 40 before), 3 more arrive: 7 of 40 = 17.5 %.
    const decision = decideMassDelete(input({ linked: 36, recent: 4, incoming: 3 }));
    expect(decision.hold).toBe(true);
    expect(decision.reason).toMatch(/^mass deletion held: 7 of 40 linked contacts \(17\.5 %\)/);
    expect(decideMassDelete(input({ linked: 36, recent: 0, incoming: 3 })).hold).toBe(false);
  });

  it('holds every further delete while earlier ones wait for the admin, and nothing when nothing is deleted', () => {
    expect(decideMassDelete(input({ linked: 1000, incoming: 1, alreadyHeld: 6 }))).toEqual({
      hold: true,
      reason: "7 Salesforce deletes are held for an admin's approval (mass-deletion guard)",
    });
    expect(decideMassDelete(input({ linked: 10, incoming: 0, alreadyHeld: 6 }))).toEqual({ hold: false, reason: null });
  });

  it('counts a record whose delete is held already once, and says so when directory deletes wait too', () => {
    // 8 held; a run finds those 8 again and 2 more: 10 held, not 18.
    expect(decideMassDelete(input({ incoming: 10, incomingHeld: 8, alreadyHeld: 8 })).reason).toBe(
      "10 Salesforce deletes are held for an admin's approval (mass-deletion guard)",
    );
    expect(decideMassDelete(input({ incoming: 1, alreadyHeld: 6, heldDirectory: 6 }))).toEqual({
      hold: true,
      reason: "7 deletes are held for an admin's approval (mass-deletion guard), directory deletes included",
    });
  });

  it('words a hold of directory deletes as Salesforce records that would be deleted', () => {
    expect(decideMassDelete(input({ linked: 50, incoming: 6, side: 'telephony' }))).toEqual({
      hold: true,
      reason:
        'mass deletion held: contacts deleted in the directory would delete 6 of 50 linked Salesforce records (12.0 %), above the 10 % threshold. ' +
        'Resume the sync to send the deletes to Salesforce, or discard them to keep the records',
    });
    expect(decideMassDelete(input({ linked: 50, incoming: 5, side: 'telephony' })).hold).toBe(false);
  });
});
