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

const DATE_FIELDS = ['creationtime', 'starttime', 'endtime', 'modificationtime'] as const;

function codeValue(v: unknown): unknown {
  if (v === null || v === undefined || v === '') return 0;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return v;
}
const textValue = (v: unknown): unknown => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v);
function optionalIntValue(v: unknown): unknown {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return v;
}

/**
 * One pass over a job record: dates to ISO UTC, error codes to integers (null → 0), diagnostics
 * and `transexitcode` to strings, optional ids to integers or null. Plain code rather than a
 * preprocess per field, because task job lists hold tens of thousands of records.
 */
function normaliseJob(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const r: Record<string, unknown> = normaliseDates(v as Record<string, unknown>);
  if (typeof r.pandaid === 'string' && /^\d+$/.test(r.pandaid.trim())) r.pandaid = Number(r.pandaid.trim());
  for (const [, codeField, diagField] of ERROR_FIELDS) {
    r[codeField] = codeValue(r[codeField]);
    r[diagField] = textValue(r[diagField]);
  }
  r.transexitcode = textValue(r.transexitcode);
  r.jeditaskid = optionalIntValue(r.jeditaskid);
  r.attemptnr = optionalIntValue(r.attemptnr);
  if (r.computingsite === undefined) r.computingsite = null;
  for (const d of DATE_FIELDS) if (r[d] === undefined || r[d] === '') r[d] = null;
  return r;
}

const int = z.number().int();
/** The typed fields, checked after normalisation; the record keeps every other field as it came. */
const jobCore = z.object({
  pandaid: int,
  jeditaskid: int.nullable(),
  jobstatus: z.string(),
  computingsite: z.string().nullable(),
  attemptnr: int.nullable(),
  ...Object.fromEntries(
    ERROR_FIELDS.flatMap(([, codeField, diagField]) => [
      [codeField, int],
      [diagField, z.string()],
    ]),
  ),
  transexitcode: z.string(),
  creationtime: z.string().nullable(),
  starttime: z.string().nullable(),
  endtime: z.string().nullable(),
  modificationtime: z.string().nullable(),
});

/** One job record (the `job` of `/job`, an item of `/jobs/`). */
export const jobRecordSchema: z.ZodType<JobRecord> = z.unknown().transform((raw, ctx) => {
  const record = normaliseJob(raw);
  // A stripping object schema is an order of magnitude faster than a loose one over 150-key records.
  const checked = jobCore.safeParse(record);
  if (!checked.success) {
    for (const issue of checked.error.issues) ctx.addIssue({ ...issue, message: issue.message } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  }
  return record as JobRecord;
}) as unknown as z.ZodType<JobRecord>;

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
