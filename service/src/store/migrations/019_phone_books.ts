/**
 * Phone-book feeds (GET /phonebook/:format):
 *
 * - `phone_books`: the named feeds an admin configures (format, which contacts, name options); `version` goes up on
 *   every change so a feed's ETag changes with its configuration.
 * - `directory_contacts.tags`: labels a telephony client sets through the REST API; a feed can list one tag.
 * - Search and order keys as generated columns, so no writer can let them drift: the name as "last first" and
 *   "first last" (the company when there is no name) and the company, folded by one character map (case, accents;
 *   the same map as phonebook/searchText.ts, held to it by a test), and each one's keypad digits ("Müller" →
 *   685537). They are `COLLATE "C"`: byte order is the same on PGlite and Postgres whatever their locale, and a
 *   plain btree index then serves both the feed's order (keyset on key + id) and prefix searches as ranges.
 * - Phone digits (as typed, and E.164 without the +) for number searches by prefix, typed in any format.
 */
export const name = 'phone_books';

const FOLD_FROM =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØŒÙÚÛÜÝŸàáâãäåæçèéêëìíîïñòóôõöøœùúûüýÿßĄĆČĎĘĚĞİŁŃŇŐŘŚŞŠŤŮŰŹŻŽąćčďęěğıłńňőřśşšťůűźżž';
const FOLD_TO =
  'abcdefghijklmnopqrstuvwxyzaaaaaaaceeeeiiiinooooooouuuuyyaaaaaaaceeeeiiiinooooooouuuuyysaccdeegilnnorssstuuzzzaccdeegilnnorssstuuzzz';
const fold = (expr: string) => `translate(${expr}, '${FOLD_FROM}', '${FOLD_TO}')`;
/** Folded letters to keypad digits; anything that is no digit then goes. */
const keypad = (expr: string) =>
  `regexp_replace(translate(${fold(expr)}, 'abcdefghijklmnopqrstuvwxyz', '22233344455566677778889999'), '[^0-9]', '', 'g')`;

const COMPANY = `btrim(coalesce(company, ''))`;
const LAST_FIRST = `coalesce(nullif(btrim(coalesce(last_name, '') || ' ' || coalesce(first_name, '')), ''), ${COMPANY})`;
const FIRST_LAST = `coalesce(nullif(btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), ''), ${COMPANY})`;

export const sql = `
CREATE TABLE phone_books (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name           text NOT NULL UNIQUE,
  format         text NOT NULL,
  selection_kind text NOT NULL CHECK (selection_kind IN ('all', 'org', 'object', 'tag')),
  -- The org, object (Contact, Lead, Account) or tag the selection names; null for 'all'.
  selection_value text,
  name_order     text NOT NULL DEFAULT 'last-first' CHECK (name_order IN ('first-last', 'last-first')),
  name_max_length integer CHECK (name_max_length IS NULL OR name_max_length > 0),
  transliteration text NOT NULL DEFAULT 'none' CHECK (transliteration IN ('none', 'ascii')),
  vcard_version  text NOT NULL DEFAULT '3.0' CHECK (vcard_version IN ('3.0', '4.0')),
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((selection_kind = 'all') = (selection_value IS NULL))
);

ALTER TABLE directory_contacts
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
  ADD COLUMN book_name_lf text COLLATE "C" GENERATED ALWAYS AS (${fold(LAST_FIRST)}) STORED,
  ADD COLUMN book_name_fl text COLLATE "C" GENERATED ALWAYS AS (${fold(FIRST_LAST)}) STORED,
  ADD COLUMN book_company text COLLATE "C" GENERATED ALWAYS AS (${fold(COMPANY)}) STORED,
  ADD COLUMN keypad_lf text COLLATE "C" GENERATED ALWAYS AS (${keypad(LAST_FIRST)}) STORED,
  ADD COLUMN keypad_fl text COLLATE "C" GENERATED ALWAYS AS (${keypad(FIRST_LAST)}) STORED,
  ADD COLUMN keypad_company text COLLATE "C" GENERATED ALWAYS AS (${keypad(COMPANY)}) STORED;

-- The feed's two orders (keyset on key + id) and the name searches by prefix.
CREATE INDEX directory_contacts_book_lf_idx ON directory_contacts (book_name_lf, id);
CREATE INDEX directory_contacts_book_fl_idx ON directory_contacts (book_name_fl, id);
CREATE INDEX directory_contacts_book_company_idx ON directory_contacts (book_company);
CREATE INDEX directory_contacts_keypad_lf_idx ON directory_contacts (keypad_lf);
CREATE INDEX directory_contacts_keypad_fl_idx ON directory_contacts (keypad_fl);
CREATE INDEX directory_contacts_keypad_company_idx ON directory_contacts (keypad_company);
CREATE INDEX directory_contacts_tags_idx ON directory_contacts USING gin (tags);

ALTER TABLE directory_phones
  ADD COLUMN raw_digits text COLLATE "C" GENERATED ALWAYS AS (regexp_replace(raw, '[^0-9]', '', 'g')) STORED,
  ADD COLUMN e164_digits text COLLATE "C" GENERATED ALWAYS AS (ltrim(e164, '+')) STORED;
CREATE INDEX directory_phones_raw_digits_idx ON directory_phones (raw_digits);
CREATE INDEX directory_phones_e164_digits_idx ON directory_phones (e164_digits);
`;
