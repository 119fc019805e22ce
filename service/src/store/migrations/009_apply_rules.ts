/** Reserved slot: filled by the work that needs it (an empty migration is dropped before release). */
export const name = 'apply_rules';

export const sql = ``;
