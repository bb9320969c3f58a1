/**
 * zod schemas for the BigPanDA monitor's JSON answers. Every object schema is loose: fields we do
 * not name are kept as they came. Error codes become integers (null → 0), `transexitcode` becomes a
 * string (the monitor keeps it in a text column), diagnostics become strings, and both datetime
 * encodings become ISO 8601 UTC.
 */
import { z } from 'zod';
import type { ErrorSummaryEntry, ErrorSummaryGroup, JobDetails, JobFile, JobRecord, LogFileInfo, TaskDetails, TaskRecord } from '../contracts/panda.js';
import { normaliseDate, normaliseDates } from './dates.js';
import { pandaErrors } from './panda-errors.js';

/** Integer error code: numbers, numeric strings, null/empty → 0. */
const code = z.preprocess((v) => {
  if (v === null || v === undefined || v === '') return 0;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return v;
}, z.number().int());

const text = z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v), z.string());

const transexit = z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v), z.string());

const optionalInt = z.preprocess((v) => {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return v;
}, z.number().int().nullable());

const date = z.preprocess((v) => normaliseDate(v), z.string().nullable());

export const ERROR_FIELDS = [
  ['pilot', 'piloterrorcode', 'piloterrordiag'],
  ['executor', 'exeerrorcode', 'exeerrordiag'],
  ['dataservice', 'ddmerrorcode', 'ddmerrordiag'],
  ['taskbuffer', 'taskbuffererrorcode', 'taskbuffererrordiag'],
  ['jobdispatcher', 'jobdispatchererrorcode', 'jobdispatchererrordiag'],
  ['brokerage', 'brokerageerrorcode', 'brokerageerrordiag'],
  ['supervisor', 'superrorcode', 'superrordiag'],
] as const;

const jobShape = z.looseObject({
  pandaid: z.coerce.number().int(),
  jeditaskid: optionalInt.default(null),
  jobstatus: z.string(),
  computingsite: z.string().nullable().default(null),
  attemptnr: optionalInt.default(null),
  piloterrorcode: code.default(0),
  piloterrordiag: text.default(''),
  exeerrorcode: code.default(0),
  exeerrordiag: text.default(''),
  transexitcode: transexit.default(''),
  ddmerrorcode: code.default(0),
  ddmerrordiag: text.default(''),
  taskbuffererrorcode: code.default(0),
  taskbuffererrordiag: text.default(''),
  jobdispatchererrorcode: code.default(0),
  jobdispatchererrordiag: text.default(''),
  brokerageerrorcode: code.default(0),
  brokerageerrordiag: text.default(''),
  superrorcode: code.default(0),
  superrordiag: text.default(''),
  creationtime: date.default(null),
  starttime: date.default(null),
  endtime: date.default(null),
  modificationtime: date.default(null),
});

/** One job record (the `job` of `/job`, an item of `/jobs/`). */
export const jobRecordSchema: z.ZodType<JobRecord> = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) ? normaliseDates(v as Record<string, unknown>) : v),
  jobShape,
) as unknown as z.ZodType<JobRecord>;

export const jobFileSchema: z.ZodType<JobFile> = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) ? normaliseDates(v as Record<string, unknown>) : v),
  z.looseObject({
    lfn: z.string(),
    type: z.string(),
    guid: z
      .string()
      .nullable()
      .optional()
      .transform((g) => g ?? undefined),
    status: z
      .string()
      .nullable()
      .optional()
      .transform((s) => s ?? undefined),
    fsize: z.coerce.number().optional(),
    scope: z
      .string()
      .nullable()
      .optional()
      .transform((s) => s ?? undefined),
    dataset: z
      .string()
      .nullable()
      .optional()
      .transform((s) => s ?? undefined),
  }),
) as unknown as z.ZodType<JobFile>;

/** `/job?pandaid=N&json` → `{job, files, dsfiles}`. */
export const jobDetailsSchema = z.looseObject({
  job: jobRecordSchema,
  files: z.array(jobFileSchema).default([]),
});

export function toJobDetails(parsed: z.infer<typeof jobDetailsSchema>): JobDetails {
  return { job: parsed.job, files: parsed.files };
}

/** `/jobs/?...&json` → `{selectionsummary, jobs, errsByCount}`. */
export const jobListSchema = z.looseObject({
  jobs: z.array(jobRecordSchema).default([]),
});

const taskShape = z.looseObject({
  jeditaskid: z.coerce.number().int(),
  taskname: text.default(''),
  status: z.string(),
});

export const taskRecordSchema: z.ZodType<TaskRecord> = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) ? normaliseDates(v as Record<string, unknown>) : v),
  taskShape,
) as unknown as z.ZodType<TaskRecord>;

/** `/task/N/?json` → `{task, taskparams, datasets}`. */
export const taskDetailsSchema: z.ZodType<TaskDetails> = z.looseObject({
  task: taskRecordSchema,
  taskparams: z.preprocess((v) => (v === null || v === undefined ? {} : v), z.record(z.string(), z.unknown())),
  datasets: z.preprocess((v) => (v === null || v === undefined ? [] : v), z.array(z.record(z.string(), z.unknown()))),
}) as unknown as z.ZodType<TaskDetails>;

/** `/tasks/?json` → a bare list. */
export const taskListSchema = z.array(taskRecordSchema);

export const errorEntrySchema: z.ZodType<ErrorSummaryEntry> = z.looseObject({
  error: z.string(),
  codename: text.default(''),
  codeval: code.default(0),
  diag: text.default(''),
  count: z.coerce.number().int().default(0),
  example_pandaid: optionalInt.optional().transform((v) => v ?? undefined),
}) as unknown as z.ZodType<ErrorSummaryEntry>;

export const errorGroupSchema: z.ZodType<ErrorSummaryGroup> = z.looseObject({
  name: z.preprocess((v) => (v === null || v === undefined ? '' : String(v)), z.string()),
  toterrors: z.coerce.number().int().default(0),
  toterrjobs: z.coerce.number().int().default(0),
  errorlist: z.array(errorEntrySchema).default([]),
}) as unknown as z.ZodType<ErrorSummaryGroup>;

/** `/errors/?json&hours=N`. Missing groups (trimmed with `fields=`) become empty lists. */
export const errorSummarySchema = z.looseObject({
  errsByCount: z.array(errorEntrySchema).default([]),
  errsBySite: z.array(errorGroupSchema).default([]),
  errsByUser: z.array(errorGroupSchema).default([]),
  errsByTask: z.array(errorGroupSchema).default([]),
});

export const logFileSchema: z.ZodType<LogFileInfo & { media_link?: string }> = z.looseObject({
  name: z.string(),
  size: z.coerce.number().int().default(0),
  dirname: text.default(''),
  modification: date.default(null),
  media_link: z.string().optional(),
}) as unknown as z.ZodType<LogFileInfo & { media_link?: string }>;

/** `/filebrowser/?pandaid=N&json` → `{error, files}`. */
export const fileBrowserSchema = z.looseObject({
  error: text.default(''),
  files: z.array(logFileSchema).default([]),
});

/** The first line of a zod error, for a one-sentence message. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the answer has an unexpected shape';
  const path = issue.path.map(String).join('.') || 'top level';
  return `${path}: ${issue.message}`;
}

/** Validates an answer; a mismatch is an upstream error naming the subject. */
export function parseAnswer<T>(schema: z.ZodType<T>, raw: unknown, subject: string, where: string): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  return invalidAnswer(subject, where, result.error);
}

function invalidAnswer(subject: string, where: string, error: z.ZodError): never {
  throw pandaErrors.invalid(subject, where, describeZodError(error), error);
}
