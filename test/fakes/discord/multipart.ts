/**
 * Request bodies as Discord's REST API takes them: JSON, or multipart/form-data with the JSON in a
 * `payload_json` part and each file in a `files[n]` part (described by `attachments[].id = n`).
 */
import { createHash } from 'node:crypto';

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  content_type: string;
  description?: string;
  bytes: Uint8Array;
}

/** Discord's upload limit for a bot without boosts, per file. */
export const FAKE_DISCORD_FILE_LIMIT = 10 * 1024 * 1024;

export interface ParsedBody {
  /** The JSON body (an array for bulk routes such as application commands). */
  json: Record<string, unknown>;
  files: FakeAttachment[];
}

export async function parseDiscordBody(raw: Buffer, contentType: string | undefined, newId: () => string): Promise<ParsedBody> {
  if (!contentType?.startsWith('multipart/form-data')) {
    const json = (raw.length ? JSON.parse(raw.toString('utf8')) : {}) as Record<string, unknown>;
    return { json, files: [] };
  }
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const payload = form.get('payload_json');
  const json = (typeof payload === 'string' ? JSON.parse(payload) : {}) as Record<string, unknown>;
  const described = new Map(
    (Array.isArray(json.attachments) ? (json.attachments as Array<{ id?: unknown; description?: unknown }>) : []).map((a) => [String(a.id), a.description]),
  );
  const files: FakeAttachment[] = [];
  for (const [key, value] of form.entries()) {
    const index = /^files\[(\d+)\]$/.exec(key)?.[1];
    if (index === undefined || typeof value === 'string') continue;
    const bytes = new Uint8Array(await value.arrayBuffer());
    const description = described.get(index);
    files.push({
      id: newId(),
      filename: value.name,
      size: bytes.byteLength,
      content_type: value.type,
      bytes,
      ...(typeof description === 'string' ? { description } : {}),
    });
  }
  return { json, files };
}

/** The CDN's signature of an attachment path and expiry (Discord signs CDN URLs: `ex`, `is`, `hm`). */
export function cdnSignature(path: string, ex: string): string {
  return createHash('sha256').update(`fake-cdn-secret\n${path}\n${ex}`).digest('hex');
}

/** An attachment as the API returns it (signed URLs on the fake CDN at `cdnBase`, no bytes). */
export function wireAttachment(a: FakeAttachment, channelId: string, cdnBase: string): Record<string, unknown> {
  const path = `/attachments/${channelId}/${a.id}/${encodeURIComponent(a.filename)}`;
  const now = Math.floor(Date.now() / 1000);
  const ex = (now + 24 * 3600).toString(16);
  const url = `${cdnBase}${path}?ex=${ex}&is=${now.toString(16)}&hm=${cdnSignature(path, ex)}&`;
  const { bytes: _bytes, ...fields } = a;
  return { ...fields, url, proxy_url: url };
}
