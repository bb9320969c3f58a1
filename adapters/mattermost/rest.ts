/**
 * What the Mattermost adapter does over REST v4, through the SDK client (Client4 with the bot
 * token): who the bot is, create / patch / delete posts (threaded by `root_id`), upload files and
 * read the files people attach. Every call goes through client.ts's one rate-limit wrapper (a 429
 * waits `Retry-After` / `X-Ratelimit-Reset`, a spent `X-Ratelimit-Remaining` budget waits for the
 * reset first), the same one the channel history uses.
 */
import type { Client4 } from '@mattermost/client';
import { UpstreamError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { createMattermostClient, MattermostHttpError } from './client.js';

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
  /** GET /api/v4/files/{id} with the bot token: the file's bytes (an HTTP error is an UpstreamError). */
  downloadFile(url: string): Promise<Response>;
  /** The download URL of a file (Client4.getFileRoute). */
  fileUrl(id: string): string;
  patchPost(id: string, patch: { message: string; props?: Record<string, unknown> }): Promise<MattermostPost>;
  deletePost(id: string): Promise<void>;
}

export function createMattermostRest(options: { url: string; token: string; logger: Logger; maxRetries?: number }): MattermostRest {
  const { client, call } = createMattermostClient(options);
  /** Client4 keeps doFetch protected; the routes it has no method for (file info, file bytes) use it through this view. */
  const sdk = client as unknown as { doFetch: <T>(url: string, init: { method: string }) => Promise<T> };

  return {
    client,
    me: () => call('GET /users/me', (c) => c.getMe()),
    // Client4's Post type asks for every field the server fills in; the server takes a partial post.
    createPost: (post) => call('POST /posts', (c) => c.createPost(post as unknown as Parameters<Client4['createPost']>[0])),
    patchPost: (id, patch) => call(`PUT /posts/${id}/patch`, (c) => c.patchPost({ id, ...patch })),
    deletePost: async (id) => {
      await call(`DELETE /posts/${id}`, (c) => c.deletePost(id));
    },
    fileInfo: (id) => call(`GET /files/${id}/info`, (c) => sdk.doFetch(`${c.getFileRoute(id)}/info`, { method: 'get' })),
    fileUrl: (id) => client.getFileRoute(id),
    // Client4 has no call that returns a file's bytes (its doFetch decodes bodies as text or JSON): the request
    // is Client4's own (URL and auth headers from getOptions), and a 429 goes through the same wrapper.
    downloadFile: (url) =>
      call(`GET ${new URL(url).pathname}`, async (c) => {
        const response = await fetch(url, c.getOptions({ method: 'get' }) as RequestInit);
        if (response.ok) return response;
        const body = await response.text();
        let parsed: unknown = body;
        try {
          parsed = JSON.parse(body);
        } catch {
          // plain text (the rate limiter's "limit exceeded"): kept as is
        }
        throw new MattermostHttpError(client.getUrl(), url, response.status, response.headers, parsed);
      }),
    uploadFiles: async (channelId, files) => {
      const form = new FormData();
      form.append('channel_id', channelId);
      for (const f of files) form.append('files', new Blob([f.data], { type: f.mimeType }), f.filename);
      const result = (await call('POST /files', (c) => c.uploadFile(form))) as { file_infos?: Array<{ id: string }> };
      const ids = (result.file_infos ?? []).map((info) => info.id);
      if (ids.length !== files.length) throw new UpstreamError('upstream_error', `Mattermost POST /api/v4/files stored ${ids.length} of ${files.length} files`);
      return ids;
    },
  };
}
