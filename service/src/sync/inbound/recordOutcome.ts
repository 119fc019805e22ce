/**
 * What applying one Salesforce record did to the directory (a module of its own: the apply steps and
 * their caller share it). excluded: kept out by the validity rules; secondary: linked to a contact that
 * shows a higher-ranked record's values; skipped: not applied because the sync runs telephony → Salesforce only.
 */
export type RecordOutcome =
  | 'created'
  | 'linked'
  | 'updated'
  | 'unchanged'
  | 'stale'
  | 'deleted'
  | 'unlinked'
  | 'missing'
  | 'held'
  | 'excluded'
  | 'secondary'
  | 'skipped';
