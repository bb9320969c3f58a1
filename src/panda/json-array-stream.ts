/**
 * Stream-parses the elements of one array in a JSON object (`{"jobs": [{…}, {…}], …}`) as the bytes
 * arrive: each element is parsed on its own, so a 50 000-job answer never exists as one string or
 * one parsed tree. Everything outside that array is skipped. The scanner only tracks strings and
 * nesting depth; each element's text goes through JSON.parse, so malformed JSON still fails.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

export class JsonArrayStreamError extends Error {}

/** How many backslashes directly precede position `at` (not looking before `from`). */
function backslashesBefore(chunk: Buffer, at: number, from: number): number {
  let run = 0;
  for (let k = at - 1; k >= from && chunk[k] === BACKSLASH; k--) run++;
  return run;
}

/**
 * Feeds chunks with `push`, then `end`. `onItem` gets each parsed element of `key`'s array.
 * `end` throws when the document ended inside the array or the key never came.
 */
export class JsonArrayScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Bytes of the current top-level key string (depth 1), while reading it. */
  private keyBytes: number[] | null = null;
  private lastKey: string | null = null;
  private awaitingValueOfKey = false;
  /** Depth inside the wanted array's brackets, or -1 when not in it. */
  private arrayDepth = -1;
  private done = false;
  private found = false;
  private itemParts: Buffer[] = [];
  private itemStart = -1;
  private items = 0;

  constructor(
    private readonly key: string,
    private readonly onItem: (value: unknown) => void,
  ) {}

  get count(): number {
    return this.items;
  }

  push(chunk: Buffer): void {
    if (this.done) return;
    let i = 0;
    const n = chunk.length;
    if (this.itemStart === -2) this.itemStart = 0; // an element continues from the previous chunk
    for (; i < n; i++) {
      if (this.inString && !this.escaped && !this.keyBytes) {
        // Skip to the closing quote: most bytes of a job list are inside strings.
        let q = chunk.indexOf(QUOTE, i);
        while (q !== -1 && backslashesBefore(chunk, q, i) % 2 === 1) q = chunk.indexOf(QUOTE, q + 1);
        if (q === -1) {
          this.escaped = backslashesBefore(chunk, n, i) % 2 === 1;
          i = n;
          break;
        }
        i = q;
      }
      const b = chunk[i] as number;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.keyBytes) {
            this.lastKey = Buffer.from(this.keyBytes).toString('utf8');
            this.keyBytes = null;
          }
        } else if (this.keyBytes) this.keyBytes.push(b);
        continue;
      }
      if (isSpace(b)) continue;
      if (this.arrayDepth >= 0) {
        // Inside the wanted array.
        if (this.itemStart === -1 && this.depth === this.arrayDepth && b !== COMMA && b !== CLOSE_ARRAY) this.itemStart = i;
        if (b === QUOTE) {
          this.inString = true;
          continue;
        }
        if (b === OPEN_OBJECT || b === OPEN_ARRAY) this.depth++;
        else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
          if (this.depth === this.arrayDepth && b === CLOSE_ARRAY) {
            this.finishItem(chunk, i);
            this.arrayDepth = -1;
            this.depth--;
            this.done = true;
            return;
          }
          this.depth--;
        } else if (b === COMMA && this.depth === this.arrayDepth) this.finishItem(chunk, i);
        continue;
      }
      if (b === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && !this.awaitingValueOfKey) this.keyBytes = [];
        continue;
      }
      if (b === COLON) {
        if (this.depth === 1 && this.lastKey !== null) this.awaitingValueOfKey = true;
        continue;
      }
      if (this.awaitingValueOfKey && this.depth === 1) {
        this.awaitingValueOfKey = false;
        const wanted = this.lastKey === this.key;
        this.lastKey = null;
        if (wanted && b === OPEN_ARRAY) {
          this.depth++;
          this.arrayDepth = this.depth;
          this.found = true;
          this.itemStart = -1;
          this.itemParts = [];
          continue;
        }
      }
      if (b === OPEN_OBJECT || b === OPEN_ARRAY) this.depth++;
      else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) this.depth--;
      else if (b === COMMA && this.depth === 1) this.lastKey = null;
    }
    // Keep the unfinished element's bytes of this chunk.
    if (this.arrayDepth >= 0 && this.itemStart >= 0) {
      this.itemParts.push(chunk.subarray(this.itemStart));
      this.itemStart = -2;
    }
  }

  private finishItem(chunk: Buffer, end: number): void {
    if (this.itemStart === -1 && this.itemParts.length === 0) return; // "[]" or a trailing comma position
    const start = Math.max(this.itemStart, 0);
    this.itemParts.push(chunk.subarray(start, end));
    const text = Buffer.concat(this.itemParts).toString('utf8').trim();
    this.itemParts = [];
    this.itemStart = -1;
    if (!text) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new JsonArrayStreamError(`element ${this.items + 1} of "${this.key}" is not valid JSON (${(error as Error).message})`);
    }
    this.items++;
    this.onItem(value);
  }

  /** Throws when the array was never closed (a cut-off answer). A missing key is an empty list. */
  end(): { found: boolean } {
    if (this.arrayDepth >= 0 || this.inString) throw new JsonArrayStreamError(`the answer ended inside the "${this.key}" list`);
    return { found: this.found };
  }
}
