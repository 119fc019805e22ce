import * as initial from './001_initial';
import * as linkValuesOutboxOrder from './002_link_values_outbox_order';
import * as recordHealth from './003_record_health';
import * as reconcile from './004_reconcile';
import * as initialSyncProgress from './005_initial_sync_progress';
import * as writeBack from './006_write_back';
import * as severalOrgs from './007_several_orgs';
import * as statusReporting from './008_status_reporting';
import * as applyRules from './009_apply_rules';
import * as sharedPause from './010_shared_pause';
import * as settingsVersion from './011_settings_version';
import * as ignoredErrors from './012_ignored_errors';
import * as contactsByChange from './013_contacts_by_change';
import * as telephonyVocabulary from './014_telephony_vocabulary';
import * as outboxClaims from './015_outbox_claims';
import * as auditByOrg from './016_audit_by_org';
import * as directoryChanges from './017_directory_changes';
import * as accessKeys from './018_access_keys';
import * as phoneBooks from './019_phone_books';
import * as ldapMirror from './020_ldap_mirror';
import * as carddavResources from './021_carddav_resources';
import * as outboxSuperseded from './022_outbox_superseded';
import * as directoryWriters from './023_directory_writers';
import * as calls from './024_calls';
import * as callTasks from './025_call_tasks';
import * as linkSeenVersion from './026_link_seen_version';

export interface Migration {
  /** Ordering key, never reused or renumbered once released. */
  version: number;
  name: string;
  sql: string;
}

/** Every migration in order. Add new ones at the end as `NNN_name.ts`; never edit one that has been committed. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, ...initial },
  { version: 2, ...linkValuesOutboxOrder },
  { version: 3, ...recordHealth },
  { version: 4, ...reconcile },
  { version: 5, ...initialSyncProgress },
  { version: 6, ...writeBack },
  { version: 7, ...severalOrgs },
  { version: 8, ...statusReporting },
  { version: 9, ...applyRules },
  { version: 10, ...sharedPause },
  { version: 11, ...settingsVersion },
  { version: 12, ...ignoredErrors },
  { version: 13, ...contactsByChange },
  { version: 14, ...telephonyVocabulary },
  { version: 15, ...outboxClaims },
  { version: 16, ...auditByOrg },
  { version: 17, ...directoryChanges },
  { version: 18, ...accessKeys },
  { version: 19, ...phoneBooks },
  { version: 20, ...ldapMirror },
  { version: 21, ...carddavResources },
  { version: 22, ...outboxSuperseded },
  { version: 23, ...directoryWriters },
  { version: 24, ...calls },
  { version: 25, ...callTasks },
  { version: 26, ...linkSeenVersion },
];
