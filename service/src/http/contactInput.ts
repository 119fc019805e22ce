import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js/max';
import { PHONE_KINDS, type ContactFields } from '../directory/model';
import { toDirectoryPhone } from '../sync/rules/phones';

const optionalText = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).nullable().optional();

/** What a telephony client may change on a contact. Unknown keys are refused, not silently dropped. */
export const contactPatchSchema = z
  .object({
    firstName: optionalText(40),
    lastName: z.string().trim().min(1, 'cannot be empty: Salesforce requires a last name').max(80).optional(),
    company: optionalText(255),
    title: optionalText(128),
    email: z.string().trim().max(80).pipe(z.email('is not a valid email address')).nullable().optional(),
    phones: z
      .array(
        z
          .object({
            kind: z.enum(PHONE_KINDS, `must be one of ${PHONE_KINDS.join(', ')}`),
            number: z.string().trim().min(1, 'cannot be empty').max(40, 'must be at most 40 characters'),
          })
          .strict(),
      )
      .max(PHONE_KINDS.length, `can hold at most one number per kind (${PHONE_KINDS.length})`)
      .refine((list) => new Set(list.map((p) => p.kind)).size === list.length, 'can hold at most one number per kind')
      .optional(),
    version: z.number().int().positive().optional(),
  })
  .strict();

export type ContactPatch = z.infer<typeof contactPatchSchema>;

/**
 * A new contact from a telephony client. The last name may be missing (a front desk, a shop): the
 * contact lives in the directory and is excluded from Salesforce, which requires one, until it gets one.
 */
export const contactCreateSchema = contactPatchSchema
  .omit({ version: true })
  .refine(
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
    const normalized = phones.map((p) => toDirectoryPhone(p.kind, p.number, defaultCountry));
    const bad = normalized.findIndex((p) => p.e164 === null);
    if (bad >= 0) {
      return {
        fields,
        invalidPhone: {
          field: `phones[${bad}].number`,
          message: `"${phones[bad].number}" is not a valid phone number (default country ${defaultCountry}; use +<country code> for others)`,
        },
      };
    }
    fields.phones = normalized;
  }
  return { fields };
}
