import type { Client4 } from '@mattermost/client';
// @mattermost/client is CommonJS whose names Node's ESM loader cannot detect: take them from the default export.
import mattermostClient from '@mattermost/client';
import { UpstreamError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { retryDelayMs } from './client.js';

export interface MattermostPost {
  id: string;
  channel_id: string;
  root_id: string;
  user_id: string;
  message: string;
}

export interface MattermostRest {
  readonly client: Client4;
  me(): Promise<{ id: string; username: string }>;
  createPost(post: { channel_id: string; message: string; root_id?: string; props?: Record<string, unknown>; file_ids?: string[] }): Promise<MattermostPost>;
  /** Client4.uploadFile: POST /api/v4/files (multipart: channel_id, files); returns the new file ids. */
  uploadFiles(channelId: string, files: Array<{ filename: string; data: Uint8Array; mimeType: string }>): Promise<string[]>;
  /** GET /api/v4/files/{id}/info: name, size and type of a file a post attached (the bot must see its channel). */
  fileInfo(id: string): Promise<{ id: string; name: string; size: number; mime_type?: string }>;
  /** GET /api/v4/files/{id} with the bot token: the file's bytes. */
  downloadFile(url: string): Promise<Response>;
  /** The download URL of a file (Client4.getFileRoute). */
  fileUrl(id: string): string;
  patchPost(id: string, patch: { message: string; props?: Record<string, unknown> }): Promise<MattermostPost>;
  deletePost(id: string): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * REST v4 through Client4 (routes, bot-token auth headers). Requests go through one function that
 * honours 429 (Retry-After / X-Ratelimit-Reset) and retries up to `maxRetries` times.
 */
export function createMattermostRest(options: { url: string; token: string; logger: Logger; maxRetries?: number }): MattermostRest {
  const client = new mattermostClient.Client4();
  client.setUrl(options.url.replace(/\/$/, ''));
  client.setToken(options.token);
  const maxRetries = options.maxRetries ?? 3;

  async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      const init = client.getOptions({ method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }) as RequestInit;
      const response = await fetch(url, init);
      if (response.status === 429 && attempt < maxRetries) {
        const wait = retryDelayMs(response.headers);
        options.logger.warn({ url: new URL(url).pathname, waitMs: wait }, 'mattermost: rate limited, retrying after the delay the server asked for');
        await response.body?.cancel();
        await sleep(wait);
        continue;
      }
      const text = await response.text();
      if (!response.ok) {
        let detail = text.slice(0, 200);
        try {
          detail = (JSON.parse(text) as { message?: string }).message ?? detail;
        } catch {
          // not JSON: keep the text
        }
        throw new UpstreamError(
          response.status === 429 ? 'rate_limited' : 'upstream_error',
          `Mattermost ${method.toUpperCase()} ${new URL(url).pathname} failed with HTTP ${response.status}: ${detail}`,
          { status: response.status },
        );
      }
      return (text ? JSON.parse(text) : {}) as T;
    }
  }

  return {
    client,
    me: () => request('get', `${client.getUsersRoute()}/me`),
    createPost: (post) => request('post', client.getPostsRoute(), post),
    fileInfo: (id) => request('get', `${client.getFileRoute(id)}/info`),
    downloadFile: (url) => fetch(url, client.getOptions({ method: 'get' }) as RequestInit),
    fileUrl: (id) => client.getFileRoute(id),
    patchPost: (id, patch) => request('put', `${client.getPostRoute(id)}/patch`, patch),
    uploadFiles: async (channelId, files) => {
      const form = new FormData();
      form.append('channel_id', channelId);
      for (const f of files) form.append('files', new Blob([f.data], { type: f.mimeType }), f.filename);
      const result = (await client.uploadFile(form)) as { file_infos?: Array<{ id: string }> };
      const ids = (result.file_infos ?? []).map((info) => info.id);
      if (ids.length !== files.length) throw new UpstreamError('upstream_error', `Mattermost POST /api/v4/files stored ${ids.length} of ${files.length} files`);
      return ids;
    },
    deletePost: async (id) => {
      await request('delete', client.getPostRoute(id));
    },
  };
}
