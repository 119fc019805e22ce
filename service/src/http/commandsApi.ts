import { Router } from 'express';
import { z } from 'zod';
import { COMMAND_NAMES, CommandRefusedError } from '../runtime/commands/commandRunner';
import type { CommandDesk } from '../runtime/commands/commandDesk';
import { ApiError, fromZod } from './errors';
import { SALESFORCE_ID_PATTERN } from '../model/ids';

export interface CommandsApiOptions {
  /** The command desk of the org connection a command goes to, by the service's org id; undefined for an unknown one. */
  commandDesk(orgId: string): Pick<CommandDesk, 'fromApi'> | undefined;
}

const commandBody = z
  .object({
    command: z.enum(COMMAND_NAMES, { error: `must be one of ${COMMAND_NAMES.join(', ')}` }),
    recordIds: z
      .array(z.string().regex(SALESFORCE_ID_PATTERN, 'must be a 15- or 18-character Salesforce record id'))
      .min(1, 'must name at least one record')
      .max(200, 'takes at most 200 records per command')
      .optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.command === 'syncRecords' && !body.recordIds)
      ctx.addIssue({ code: 'custom', path: ['recordIds'], message: 'is required for syncRecords' });
    if (body.command !== 'syncRecords' && body.recordIds)
      ctx.addIssue({ code: 'custom', path: ['recordIds'], message: 'is only taken by syncRecords' });
  });

/**
 * POST /orgs/:orgId/commands: the package's commands (start initial sync, pause, resume, delete, delete and
 * revert, sync records, systems check, configuration changed) plus reconcile, from the telephony side.
 * The org's command desk carries it out and audits it, as it does the command events from Salesforce, so
 * both paths behave alike; a command the connection's state does not allow is a 409 saying why.
 */
export function commandsApi(options: CommandsApiOptions): Router {
  const router = Router();
  router.post('/orgs/:orgId/commands', async (req, res) => {
    const { orgId } = req.params;
    const desk = options.commandDesk(orgId);
    if (!desk) throw new ApiError(404, 'not_found', `no org connection "${orgId}"`, { field: 'orgId' });
    const parsed = commandBody.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    try {
      const outcome = await desk.fromApi(parsed.data);
      res.json({ org: orgId, ...outcome });
    } catch (err) {
      if (err instanceof CommandRefusedError) throw new ApiError(409, 'command_refused', err.message);
      throw err;
    }
  });
  return router;
}
