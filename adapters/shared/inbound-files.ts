/**
 * Files people attach to a question (usually a log): the adapters read text files up to
 * MAX_TEXT_FILE_BYTES through the platform's authenticated download, and describe the rest.
 */
import type { InboundFile } from '../../src/contracts/message.js';

export const MAX_TEXT_FILE_BYTES = 2 * 1024 * 1024;

export interface FileToRead {
  name: string;
  mimeType?: string;
  size: number;
  /** The platform's download URL (authenticated by `download`). */
  url?: string;
}

const TEXT_NAME = /\.(log|txt|out|err|json|xml|ya?ml|stdout|stderr)(\.\d+)?$/i;

function isText(file: FileToRead): boolean {
  const mime = file.mimeType ?? '';
  return mime.startsWith('text/') || /json|xml|x-log|yaml/.test(mime) || TEXT_NAME.test(file.name);
}

/** Reads every text file (in order); a failed or skipped file is described, never fatal. */
export async function readInboundFiles(files: FileToRead[], download: (url: string) => Promise<Response>): Promise<InboundFile[]> {
  const out: InboundFile[] = [];
  for (const f of files) {
    const base = { name: f.name, size: f.size, ...(f.mimeType ? { mimeType: f.mimeType } : {}) };
    if (!isText(f)) out.push({ ...base, skipped: 'not a text file' });
    else if (f.size > MAX_TEXT_FILE_BYTES) out.push({ ...base, skipped: `larger than ${MAX_TEXT_FILE_BYTES / 1024 / 1024} MB` });
    else if (!f.url) out.push({ ...base, skipped: 'no download URL' });
    else {
      try {
        const response = await download(f.url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const text = await response.text();
        out.push(text.length > MAX_TEXT_FILE_BYTES ? { ...base, skipped: 'larger than announced' } : { ...base, text });
      } catch (error) {
        out.push({ ...base, skipped: `download failed (${error instanceof Error ? error.message : String(error)})` });
      }
    }
  }
  return out;
}
