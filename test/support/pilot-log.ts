/**
 * Pilot log lines in the pilot's own layout (`date time,ms | LEVEL | module | function | message`),
 * and the lines most built logs share, for tests that write a log for a scenario.
 */

/** A line writer for one day: `line('10:00:00', 'INFO', 'pilot.control.job', 'retrieve', 'received job')`. */
export const pilotLineOn =
  (date: string) =>
  (time: string, level: string, module: string, fn: string, msg: string): string =>
    `${date} ${time},123 | ${level.padEnd(8)} | ${module.padEnd(32)} | ${fn.padEnd(25)} | ${msg}`;

type LineWriter = ReturnType<typeof pilotLineOn>;

/** The pilot's first line for a job. */
export const receivedJob = (line: LineWriter, time = '10:00:00'): string => line(time, 'INFO', 'pilot.control.job', 'retrieve', 'received job');

/** The line that opens a transfer: `ready to transfer (stage-in) files: ['AOD.1._000001.pool.root.1']`. */
export const readyToTransfer = (line: LineWriter, time: string, phase: 'stage-in' | 'stage-out', ...files: string[]): string =>
  line(time, 'INFO', 'pilot.api.data', 'transfer_files', `ready to transfer (${phase}) files: [${files.map((f) => `'${f}'`).join(', ')}]`);
