/**
 * One name for the phone system's side: "telephony", as the package's picklists and Telephony_Field__c
 * say. The link's hash of what that side last saw was `tel_hash`.
 */
export const name = 'telephony_vocabulary';

export const sql = `
ALTER TABLE links RENAME COLUMN tel_hash TO telephony_hash;
`;
