import type { Queryable } from '../types';
import { iso } from '../values';

export interface OrgRow {
  /** The service's own id for the connection (e.g. from configuration), not the Salesforce org id. */
  id: string;
  name: string;
  loginUrl: string;
  /** 18-character Salesforce org id, known after the first login. */
  organizationId: string | null;
  instanceUrl: string | null;
  settings: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface OrgInput {
  id: string;
  name: string;
  loginUrl: string;
  /** Omitted: keep what is stored. */
  organizationId?: string | null;
  /** Omitted: keep what is stored. */
  instanceUrl?: string | null;
}

interface OrgDbRow {
  id: string;
  name: string;
  login_url: string;
  organization_id: string | null;
  instance_url: string | null;
  settings: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, login_url, organization_id, instance_url, settings, created_at, updated_at';

function toOrg(row: OrgDbRow): OrgRow {
  return {
    id: row.id,
    name: row.name,
    loginUrl: row.login_url,
    organizationId: row.organization_id,
    instanceUrl: row.instance_url,
    settings: row.settings ?? {},
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Creates or updates an org connection; settings are left alone. */
export async function upsertOrg(q: Queryable, input: OrgInput): Promise<OrgRow> {
  const { rows } = await q.query<OrgDbRow>(
    `INSERT INTO org_connections (id, name, login_url, organization_id, instance_url)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET
       name = excluded.name,
       login_url = excluded.login_url,
       organization_id = CASE WHEN $6 THEN excluded.organization_id ELSE org_connections.organization_id END,
       instance_url = CASE WHEN $7 THEN excluded.instance_url ELSE org_connections.instance_url END,
       updated_at = now()
     RETURNING ${COLUMNS}`,
    [
      input.id,
      input.name,
      input.loginUrl,
      input.organizationId ?? null,
      input.instanceUrl ?? null,
      input.organizationId !== undefined,
      input.instanceUrl !== undefined,
    ],
  );
  return toOrg(rows[0] as OrgDbRow);
}

export async function getOrg(q: Queryable, id: string): Promise<OrgRow | null> {
  const { rows } = await q.query<OrgDbRow>(`SELECT ${COLUMNS} FROM org_connections WHERE id = $1`, [id]);
  return rows[0] ? toOrg(rows[0]) : null;
}

export async function listOrgs(q: Queryable): Promise<OrgRow[]> {
  const { rows } = await q.query<OrgDbRow>(`SELECT ${COLUMNS} FROM org_connections ORDER BY created_at, id`);
  return rows.map(toOrg);
}

/** Merges keys into the org's settings (a null value removes the key). */
export async function updateOrgSettings(
  q: Queryable,
  id: string,
  patch: Record<string, unknown>,
): Promise<OrgRow | null> {
  const removed = Object.keys(patch).filter((key) => patch[key] === null);
  const merged = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== null && value !== undefined));
  const { rows } = await q.query<OrgDbRow>(
    `UPDATE org_connections SET settings = (settings || $2::jsonb) - $3::text[], updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, JSON.stringify(merged), removed],
  );
  return rows[0] ? toOrg(rows[0]) : null;
}

/** Whether the org's sync is paused, for every instance: since when, and why (null: an admin's pause). */
export interface OrgPause {
  since: string;
  reason: string | null;
}

/** Marks the org's sync paused (keeping the first pause's time) or, with `null`, running. */
export async function setOrgPause(q: Queryable, id: string, pause: { reason: string | null } | null): Promise<void> {
  await q.query(
    pause
      ? `UPDATE org_connections SET paused_at = coalesce(paused_at, now()), pause_reason = $2 WHERE id = $1`
      : `UPDATE org_connections SET paused_at = NULL, pause_reason = NULL WHERE id = $1`,
    pause ? [id, pause.reason] : [id],
  );
}

export async function orgPause(q: Queryable, id: string): Promise<OrgPause | null> {
  const { rows } = await q.query<{ paused_at: Date | null; pause_reason: string | null }>(
    'SELECT paused_at, pause_reason FROM org_connections WHERE id = $1',
    [id],
  );
  const row = rows[0];
  return row?.paused_at ? { since: iso(row.paused_at), reason: row.pause_reason } : null;
}

/** What every instance of the service follows for an org: the pause, and how often its settings were reloaded by the leader. */
export async function sharedOrgState(
  q: Queryable,
  id: string,
): Promise<{ pause: OrgPause | null; settingsVersion: number }> {
  const { rows } = await q.query<{ paused_at: Date | null; pause_reason: string | null; settings_version: number }>(
    'SELECT paused_at, pause_reason, settings_version FROM org_connections WHERE id = $1',
    [id],
  );
  const row = rows[0];
  return {
    pause: row?.paused_at ? { since: iso(row.paused_at), reason: row.pause_reason } : null,
    settingsVersion: row?.settings_version ?? 0,
  };
}

/** The leader reloaded the org's settings: the other instances reload too when they see the new count. */
export async function bumpSettingsVersion(q: Queryable, id: string): Promise<number> {
  const { rows } = await q.query<{ settings_version: number }>(
    'UPDATE org_connections SET settings_version = settings_version + 1 WHERE id = $1 RETURNING settings_version',
    [id],
  );
  return rows[0]?.settings_version ?? 0;
}
