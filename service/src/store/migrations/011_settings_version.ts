/**
 * The "configuration changed" command reaches the instance that runs the org's subscribers; the others
 * serve the phone API with the same settings, so the leader counts each reload here and the others
 * reload when the count moves.
 */
export const name = 'settings_version';

export const sql = `
ALTER TABLE org_connections ADD COLUMN settings_version integer NOT NULL DEFAULT 0;
`;
