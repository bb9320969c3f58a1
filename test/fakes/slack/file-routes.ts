/**
 * Slack's external file upload flow, as files.uploadV2 drives it: `files.getUploadURLExternal`
 * (filename, length → upload_url on the fake's own port, file_id), a POST of the bytes to that URL,
 * then `files.completeUploadExternal` (files JSON, channel_id, thread_ts) shares them in a thread.
 */
import { randomBytes } from 'node:crypto';

export interface SlackUpload {
  id: string;
  filename: string;
  /** The length announced in files.getUploadURLExternal. */
  length: number;
  /** Bytes that arrived at the upload URL (undefined until they do). */
  bytes?: Uint8Array;
  alt_text?: string;
  title?: string;
  /** Set by files.completeUploadExternal. */
  channel?: string;
  thread_ts?: string;
  completed: boolean;
}

export class FakeSlackFiles {
  readonly uploads: SlackUpload[] = [];
  /** When set, upload URLs answer this HTTP status instead of accepting the bytes. */
  failUploadsWith: number | undefined;

  constructor(private readonly baseUrl: () => string) {}

  /** The files shared into a channel (and thread), in completion order. */
  get completed(): SlackUpload[] {
    return this.uploads.filter((u) => u.completed);
  }

  getUploadUrl(args: Record<string, unknown>): Record<string, unknown> {
    const length = Number(args.length);
    if (typeof args.filename !== 'string' || !args.filename) return { ok: false, error: 'invalid_arguments' };
    if (!Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
    const upload: SlackUpload = {
      id: `F${randomBytes(5).toString('hex').toUpperCase()}`,
      filename: args.filename,
      length,
      completed: false,
      ...(typeof args.alt_text === 'string' ? { alt_text: args.alt_text } : {}),
    };
    this.uploads.push(upload);
    return { ok: true, upload_url: `${this.baseUrl()}/upload/${upload.id}`, file_id: upload.id };
  }

  /** The POST to an upload URL: a multipart form (files.uploadV2 sends the bytes as a file part) or a raw body. */
  async receive(id: string, raw: Buffer, contentType: string | undefined): Promise<{ status: number; text: string }> {
    const upload = this.uploads.find((u) => u.id === id);
    if (!upload) return { status: 404, text: 'unknown upload' };
    if (this.failUploadsWith !== undefined) return { status: this.failUploadsWith, text: 'upload failed' };
    let bytes: Uint8Array = new Uint8Array(raw);
    if (contentType?.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      const file = [...form.values()].find((v): v is File => typeof v !== 'string');
      if (!file) return { status: 400, text: 'no file part' };
      bytes = new Uint8Array(await file.arrayBuffer());
    }
    upload.bytes = bytes;
    return { status: 200, text: `OK - ${bytes.byteLength}` };
  }

  complete(args: Record<string, unknown>): Record<string, unknown> {
    const files = Array.isArray(args.files) ? (args.files as Array<{ id?: string; title?: string }>) : [];
    if (files.length === 0) return { ok: false, error: 'invalid_arguments' };
    const found = files.map((f) => ({ f, upload: this.uploads.find((u) => u.id === f.id) }));
    if (found.some((x) => !x.upload?.bytes || x.upload.bytes.byteLength !== x.upload.length)) return { ok: false, error: 'file_upload_size_mismatch' };
    if (args.thread_ts !== undefined && typeof args.channel_id !== 'string') return { ok: false, error: 'invalid_arguments' };
    for (const { f, upload } of found) {
      if (!upload) continue;
      upload.completed = true;
      if (f.title) upload.title = f.title;
      if (typeof args.channel_id === 'string') upload.channel = args.channel_id;
      if (typeof args.thread_ts === 'string') upload.thread_ts = args.thread_ts;
    }
    return { ok: true, files: found.map(({ upload }) => ({ id: upload?.id, title: upload?.title ?? upload?.filename })) };
  }
}
