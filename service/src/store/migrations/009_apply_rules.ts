/**
 * links.role: one directory contact is one caller-ID entry (one person), but several Salesforce records
 * of one org may carry the same number or email (a Contact and a Lead for the same person). They all
 * link to the one contact; the highest-ranked record (Contact > Lead > Person Account, then most
 * recently modified) is its 'primary' — its values are what the directory shows — and the others are
 * 'secondary': kept linked (never lost, written back to, promoted when the primary goes) without
 * overwriting the primary's values. At most one primary per org and contact; links from before this
 * migration that share a contact keep the oldest as primary.
 */
export const name = 'apply_rules';

export const sql = `
ALTER TABLE links ADD COLUMN role text NOT NULL DEFAULT 'primary' CHECK (role IN ('primary', 'secondary'));
UPDATE links l SET role = 'secondary'
  WHERE EXISTS (SELECT 1 FROM links p WHERE p.org_id = l.org_id AND p.contact_id = l.contact_id AND p.id < l.id);
CREATE UNIQUE INDEX links_one_primary_idx ON links (org_id, contact_id) WHERE role = 'primary';
`;
