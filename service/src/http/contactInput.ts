import { z } from 'zod';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { PHONE_KINDS, type ContactFields } from '../directory/model';
import { toDirectoryPhone } from '../sync/rules/phones';
import { unstorableTextReason } from '../model/text';

/** PBX extensions are short; a longer run of digits after "x" is a second number or junk the org would keep. */
export const MAX_EXTENSION_DIGITS = 10;

/** Tags per contact: labels for phone-book feeds, not a data store. */
export const MAX_TAGS = 50;

/**
 * A phone number and nothing else: digits and the separators people write, then optionally one extension.
 * libphonenumber alone is not enough: it finds a number inside any text, so "+1 415 555 0100; DROP TABLE x"
 * would be accepted, stored as typed and then refused by the org on every write-back.
 */
const PHONE_TEXT = /^\+?\(?[0-9][0-9 ().\-/]*?(?:\s*(?:x|ext\.?|extension|#)\s*([0-9]+))?$/i;

/**
 * Text Salesforce can store: trimmed, no U+0000 or lone surrogate, and at most `max` UTF-16 code units
 * (Salesforce counts a field's length in UTF-16 units, so an emoji counts 2; zod counts code points).
 */
function storable(max: number) {
  return z
    .string()
    .trim()
    .superRefine((text, ctx) => {
      const reason = unstorableTextReason(text);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
      else if (text.length > max) ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters` });
    });
}

const optionalText = (max: number) => storable(max).nullable().optional();

const phoneNumber = storable(40)
  .refine((text) => text.length > 0, 'cannot be empty')
  .superRefine((text, ctx) => {
    if (text === '' || unstorableTextReason(text) || text.length > 40) return;
    const match = PHONE_TEXT.exec(text);
    if (!match)
      ctx.addIssue({
        code: 'custom',
        message:
          'must be a phone number and nothing else: digits, spaces, + ( ) . - / and an optional extension (x123)',
      });
    else if ((match[1]?.length ?? 0) > MAX_EXTENSION_DIGITS)
      ctx.addIssue({ code: 'custom', message: `the extension can have at most ${MAX_EXTENSION_DIGITS} digits` });
  });

const contactFieldsSchema = z
  .object({
    firstName: optionalText(40),
    lastName: storable(80)
      .refine((text) => text.length > 0, 'cannot be empty: Salesforce requires a last name')
      .optional(),
    company: optionalText(255),
    title: optionalText(128),
    email: storable(80).pipe(z.email('is not a valid email address')).nullable().optional(),
    phones: z
      .array(
        z
          .object({
            kind: z.enum(PHONE_KINDS, `must be one of ${PHONE_KINDS.join(', ')}`),
            number: phoneNumber,
          })
          .strict(),
      )
      .max(PHONE_KINDS.length, `can hold at most one number per kind (${PHONE_KINDS.length})`)
      .refine((list) => new Set(list.map((p) => p.kind)).size === list.length, 'can hold at most one number per kind')
      .optional(),
    /** Labels for phone-book feeds (a feed can list one tag); the directory's own, never sent to Salesforce. */
    tags: z
      .array(storable(64).refine((text) => text.length > 0, 'cannot be empty'))
      .max(MAX_TAGS, `can hold at most ${MAX_TAGS} tags`)
      .optional(),
  })
  .strict();

/** What a telephony client may change on a contact. Unknown keys are refused, not silently dropped. */
export const contactPatchSchema = contactFieldsSchema
  .extend({ version: z.number().int().positive().optional() })
  .strict()
  // A PATCH that changes nothing is a client mistake (a lost body, a misspelt form), not a success to report.
  .refine(
    (patch) => Object.keys(patch).some((key) => key !== 'version'),
    'changes nothing: give at least one of firstName, lastName, company, title, email, phones or tags',
  );

export type ContactPatch = z.infer<typeof contactPatchSchema>;

/**
 * A new contact from a telephony client. The last name may be missing (a front desk, a shop): the
 * contact lives in the directory and is excluded from Salesforce, which requires one, until it gets one.
 */
export const contactCreateSchema = contactFieldsSchema.refine(
  (c) =>
    [c.firstName, c.lastName, c.company, c.email].some((v) => typeof v === 'string' && v !== '') ||
    (c.phones?.length ?? 0) > 0,
  'give at least one of firstName, lastName, company, email or phones',
);

export type ContactCreate = z.infer<typeof contactCreateSchema>;

/**
 * Turns a validated patch (or new contact) into directory fields. Phone numbers must be valid for the default country
 * (or carry a +country code): a desk phone cannot dial what E.164 cannot express.
 */
export function patchToFields(
  patch: ContactPatch,
  defaultCountry: CountryCode,
): { fields: ContactFields; invalidPhone?: { field: string; message: string } } {
  const { version: _version, phones, ...rest } = patch;
  const fields: ContactFields = { ...rest };
  if (phones) {
    const problems = phones.map((p) => phoneProblem(p.number, defaultCountry));
    const bad = problems.findIndex((problem) => problem !== null);
    if (bad >= 0) return { fields, invalidPhone: { field: `phones[${bad}].number`, message: problems[bad] ?? '' } };
    fields.phones = phones.map((p) => toDirectoryPhone(p.kind, p.number, defaultCountry));
  }
  return { fields };
}

/**
 * Why a number the schema let through is still no phone number, or null. The whole text must be the number
 * (`extract: false`), it must be valid for its country, and its extension short. The message does not repeat
 * the number: error messages end up in logs, and a number is personal data.
 */
function phoneProblem(number: string, defaultCountry: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(number, { defaultCountry, extract: false });
  if (!parsed || !parsed.isValid())
    return `is not a valid phone number (default country ${defaultCountry}; use +<country code> for others)`;
  if ((parsed.ext?.length ?? 0) > MAX_EXTENSION_DIGITS)
    return `the extension can have at most ${MAX_EXTENSION_DIGITS} digits`;
  return null;
}
