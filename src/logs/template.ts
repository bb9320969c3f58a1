/**
 * Normalises a log line to its message template: time stamps, numbers, hex strings, GUIDs, paths
 * and quoted values become placeholders. Used to collapse repeated lines and as the failure
 * signature under which diagnoses are reused.
 */
const PILOT_PREFIX = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \| [A-Z]+ *\| /;
const PAYLOAD_TIME = /\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d+)?(?:Z|[+-]\d\d:?\d\d)?/g;

export function stripPilotPrefix(line: string): string {
  return line.replace(PILOT_PREFIX, '');
}

const PILOT_FIELDS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \|[^|]*\|[^|]*\|[^|]*\| ?(.*)$/;

/** The message part of a pilot-format line (after `time | level | module | function |`); other lines unchanged. */
export function pilotMessage(line: string): string {
  const m = PILOT_FIELDS.exec(line.trim());
  return m ? (m[1] ?? '') : line;
}

export function lineTemplate(line: string): string {
  return stripPilotPrefix(line)
    .replace(PAYLOAD_TIME, '<time>')
    .replace(/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, '<guid>')
    .replace(/(?:\/[\w.@+-]+){2,}\/?/g, '<path>')
    .replace(/\b[\w-]+(?:\.[\w-]+)*\.(?:root|data|tgz|json|txt|log)(?:\.\d+)?\b/g, '<file>')
    .replace(/\b0x[0-9a-fA-F]+\b/g, '<hex>')
    .replace(/\b[0-9a-fA-F]*\d[0-9a-fA-F]*\b/g, (m) => (m.length >= 6 && /[a-fA-F]/.test(m) ? '<hex>' : '#'))
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}
