import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import type { Logger } from '../../src/log.js';
import { readBody, sendJson } from '../../src/wire/http.js';
import { parseBody } from '../shared/http.js';
import { actionSchema, type MattermostAction, type MattermostSlash, slashSchema } from './inbound.js';
import { safeEqual, verifyContext } from './signing.js';

export const MATTERMOST_COMMAND_PATH = '/mattermost/command';
export const MATTERMOST_ACTIONS_PATH = '/mattermost/actions';

export interface MattermostHttpOptions {
  commandToken?: string;
  actionSecret: string;
  logger: Logger;
  /** Returns the immediate slash-command response; the work continues afterwards. */
  onCommand(payload: MattermostSlash): { text: string };
  /** Returns the body of the click response (may wait briefly for an ephemeral text). */
  onAction(payload: MattermostAction): Promise<Record<string, unknown>>;
}

/** The slash command endpoint: verifies the command token, answers at once (ephemeral). */
export function createCommandHandler(options: MattermostHttpOptions): (req: HttpRequest, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      let fields: Record<string, unknown>;
      try {
        const raw = req.method === 'GET' ? new URL(req.url ?? '/', 'http://x').search.slice(1) : (await readBody(req, 64 * 1024)).toString('utf8');
        fields = parseBody(raw, req.method === 'GET' ? undefined : req.headers['content-type']);
      } catch (error) {
        options.logger.warn({ err: error }, 'mattermost: malformed slash command request');
        return sendJson(res, 400, { text: 'Malformed request.' });
      }
      const header = /^Token\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const token = header ?? (typeof fields.token === 'string' ? fields.token : '');
      if (!options.commandToken || !safeEqual(token, options.commandToken)) {
        options.logger.warn('mattermost: slash command with a wrong or missing token rejected');
        return sendJson(res, 401, { text: 'Unauthorized.' });
      }
      const payload = slashSchema.safeParse(fields);
      if (!payload.success) {
        options.logger.warn({ issue: payload.error.issues[0]?.message }, 'mattermost: malformed slash command payload ignored');
        return sendJson(res, 400, { text: 'Malformed command.' });
      }
      const { text } = options.onCommand(payload.data);
      sendJson(res, 200, { response_type: 'ephemeral', text });
    })();
  };
}

/** The integration URL of the buttons: verifies the HMAC in `context`, then hands the click on. */
export function createActionHandler(options: MattermostHttpOptions): (req: HttpRequest, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8'));
      } catch (error) {
        options.logger.warn({ err: error }, 'mattermost: malformed action request');
        return sendJson(res, 400, {});
      }
      const payload = actionSchema.safeParse(body);
      if (!payload.success) {
        options.logger.warn({ issue: payload.error.issues[0]?.message }, 'mattermost: malformed action payload ignored');
        return sendJson(res, 400, {});
      }
      const { sig, ...context } = payload.data.context;
      if (!verifyContext(options.actionSecret, context, sig)) {
        options.logger.warn('mattermost: action with an invalid signature rejected');
        return sendJson(res, 401, {});
      }
      sendJson(res, 200, await options.onAction(payload.data));
    })();
  };
}
