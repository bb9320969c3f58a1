import type { Reply, ReplyAttachment, ReplyBlock } from '../../src/contracts/reply.js';
import type { Logger } from '../../src/log.js';

/** Largest image the adapters upload (Discord's classic limit; Slack and Mattermost allow more). */
export const ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024;

export interface AttachmentPlan {
  /** The reply to render as text: with a notice line for every image too large to upload. */
  reply: Reply;
  /** The images to upload after the text is posted. */
  files: ReplyAttachment[];
}

const megabytes = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);

/** Splits a reply into its text and the images to upload; images over `maxBytes` become notice lines. */
export function planAttachments(reply: Reply, maxBytes = ATTACHMENT_MAX_BYTES): AttachmentPlan {
  const all = reply.attachments ?? [];
  const files = all.filter((a) => a.data.byteLength <= maxBytes);
  const notices: ReplyBlock[] = all
    .filter((a) => a.data.byteLength > maxBytes)
    .map((a) => ({
      kind: 'notice',
      level: 'warning',
      text: `Image ${a.filename} was not attached: it is ${megabytes(a.data.byteLength)} MB, over the ${megabytes(maxBytes)} MB upload limit.`,
    }));
  return { reply: notices.length ? { ...reply, blocks: [...reply.blocks, ...notices] } : reply, files };
}

/**
 * Runs a platform upload of the reply's images. Never throws: the text reply is already posted, so a
 * failed upload is logged (with the file names and the channel) and the conversation goes on.
 */
export async function uploadSafely(
  files: ReplyAttachment[],
  where: { platform: string; channel: string },
  logger: Logger,
  upload: (files: ReplyAttachment[]) => Promise<void>,
): Promise<void> {
  if (files.length === 0) return;
  try {
    await upload(files);
  } catch (error) {
    logger.warn(
      { err: error, channel: where.channel, files: files.map((f) => f.filename) },
      `${where.platform}: could not upload the reply images; the text reply was posted without them`,
    );
  }
}
