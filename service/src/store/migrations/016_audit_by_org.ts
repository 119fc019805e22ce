/**
 * The audit log read by org (GET /api/v1/audit?orgId=, newest first, keyset-paged on (at, id)):
 * contact and time already have indexes (001), the org had none.
 */
export const name = 'audit_by_org';

export const sql = `
CREATE INDEX audit_log_org_at_idx ON audit_log (org_id, at, id);
`;
