/** Reserved slot: filled by the work that needs it (an empty migration is dropped before release). */
export const name = 'initial_sync_progress';

export const sql = ``;
