/**
 * Calls logged as Salesforce Tasks through the outbox (issue 15): an outbox row may carry the call it logs
 * (`call_id`), at most one per org and call — a retried report, a second leg or two service instances never
 * queue a second Task. Such rows have no contact_id, so a Task waits for nothing of its contact's record writes
 * (the claim orders rows per contact) and they for no Task. `calls.tasks` holds the Task id per org once
 * Salesforce has it.
 */
export const name = 'call_tasks';

export const sql = `
ALTER TABLE outbox ADD COLUMN call_id uuid;
CREATE UNIQUE INDEX outbox_call_task_idx ON outbox (org_id, call_id) WHERE call_id IS NOT NULL;
ALTER TABLE calls ADD COLUMN tasks jsonb NOT NULL DEFAULT '{}';
`;
