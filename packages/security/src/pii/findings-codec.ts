// A scan's findings packed into one ArrayBuffer, so that a worker thread's result moves to the caller (transferred)
// instead of crossing as a structured clone of ~30 small objects: the clone costs both threads per object and per
// string (each finding's type and recognizer name are written and read again), packing costs a few float stores and
// one string per distinct name. Exact: decodeFindings(encodeFindings(f)) equals f, key order included; findings of any
// other shape are not packed (encodeFindings answers undefined and the caller sends them as they are).
import type { PiiFinding } from "./pii-types";

/** A finding's keys in the order the scanner makes them; a finding with other keys, or these in another order, is not packed. */
const KEYS = ["type", "start", "end", "score", "recognizer"] as const;
const PER_FINDING = 5; // start, end, score, index of its type, index of its recognizer (in the names)
const HEADER = 2; // lists, names

/**
 * Several scans' findings in one buffer (a batch of documents' results). Layout, in float64 slots: [lists k, names m,
 * k list lengths, m name lengths, then every finding in order as (start, end, score, type name, recognizer name)],
 * then the names' UTF-16 code units one after another. Offsets and scores are JS numbers: float64 keeps them exactly.
 * Undefined when a finding is not of the scanner's shape.
 */
export function encodeFindingLists(lists: readonly (readonly PiiFinding[])[]): ArrayBuffer | undefined {
  const names = new Map<string, number>();
  let chars = 0;
  const nameIndex = (name: string): number => {
    let at = names.get(name);
    if (at === undefined) {
      at = names.size;
      names.set(name, at);
      chars += name.length;
    }
    return at;
  };
  let total = 0;
  for (const list of lists) total += list.length;
  const slots = new Float64Array(total * PER_FINDING);
  let at = 0;
  for (const list of lists) {
    for (const f of list) {
      if (!hasFindingShape(f)) return undefined;
      slots[at] = f.start;
      slots[at + 1] = f.end;
      slots[at + 2] = f.score;
      slots[at + 3] = nameIndex(f.type);
      slots[at + 4] = nameIndex(f.recognizer);
      at += PER_FINDING;
    }
  }
  const k = lists.length;
  const m = names.size;
  const numbers = HEADER + k + m + total * PER_FINDING;
  const buffer = new ArrayBuffer(numbers * 8 + chars * 2);
  const head = new Float64Array(buffer, 0, numbers);
  head[0] = k;
  head[1] = m;
  let h = HEADER;
  for (const list of lists) head[h++] = list.length;
  const units = new Uint16Array(buffer, numbers * 8, chars);
  let c = 0;
  for (const name of names.keys()) {
    head[h++] = name.length;
    for (let j = 0; j < name.length; j++) units[c++] = name.charCodeAt(j);
  }
  head.set(slots, h);
  return buffer;
}

/** The finding lists encodeFindingLists packed into `buffer`. */
export function decodeFindingLists(buffer: ArrayBuffer): PiiFinding[][] {
  const size = buffer.byteLength;
  if (size < HEADER * 8) throw new RangeError(`a packed findings buffer holds at least ${HEADER * 8} bytes, got ${size}`);
  const count = new Float64Array(buffer, 0, HEADER);
  const k = count[0] as number;
  const m = count[1] as number;
  if (!Number.isInteger(k) || !Number.isInteger(m) || k < 0 || m < 0 || (HEADER + k + m) * 8 > size) throw new RangeError(`a packed findings buffer of ${size} bytes cannot hold ${k} lists and ${m} names`);
  const lengths = new Float64Array(buffer, HEADER * 8, k + m);
  let total = 0;
  for (let i = 0; i < k; i++) {
    const n = lengths[i] as number;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`packed list ${i} claims ${n} findings`);
    total += n;
  }
  const numbers = HEADER + k + m + total * PER_FINDING;
  if (numbers * 8 > size) throw new RangeError(`a packed findings buffer of ${size} bytes cannot hold ${total} findings`);
  const head = new Float64Array(buffer, 0, numbers);
  const units = new Uint16Array(buffer, numbers * 8, (size - numbers * 8) >> 1);
  const names = new Array<string>(m);
  let c = 0;
  for (let j = 0; j < m; j++) {
    const length = lengths[k + j] as number;
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`packed name ${j} claims ${length} code units`);
    names[j] = unitsToString(units, c, c + length);
    c += length;
  }
  const lists = new Array<PiiFinding[]>(k);
  let at = HEADER + k + m;
  for (let i = 0; i < k; i++) {
    const n = lengths[i] as number;
    const findings = new Array<PiiFinding>(n);
    for (let f = 0; f < n; f++, at += PER_FINDING) {
      const type = names[head[at + 3] as number];
      const recognizer = names[head[at + 4] as number];
      if (type === undefined || recognizer === undefined) throw new RangeError(`a packed finding names a name past the ${m} there are`);
      findings[f] = { type, start: head[at] as number, end: head[at + 1] as number, score: head[at + 2] as number, recognizer };
    }
    lists[i] = findings;
  }
  return lists;
}

/** One scan's findings packed (encodeFindingLists of one list). */
export function encodeFindings(findings: readonly PiiFinding[]): ArrayBuffer | undefined {
  return encodeFindingLists([findings]);
}

/** One scan's findings from encodeFindings. */
export function decodeFindings(buffer: ArrayBuffer): PiiFinding[] {
  const lists = decodeFindingLists(buffer);
  if (lists.length !== 1) throw new RangeError(`expected one packed list of findings, got ${lists.length}`);
  return lists[0] as PiiFinding[];
}

/** Exactly the five keys of a finding, in the scanner's order, of the right kinds (no allocation: a for-in over the shape). */
function hasFindingShape(f: PiiFinding): boolean {
  let k = 0;
  for (const key in f) if (key !== KEYS[k++]) return false;
  return k === KEYS.length && typeof f.type === "string" && typeof f.recognizer === "string" && typeof f.start === "number" && typeof f.end === "number" && typeof f.score === "number";
}

const CHUNK = 4096; // code units per String.fromCharCode call (its arguments live on the stack)

/** units[from, to) as a string, code unit for code unit (lone surrogates kept, which a UTF-16 TextDecoder would replace). */
function unitsToString(units: Uint16Array, from: number, to: number): string {
  if (to > units.length) throw new RangeError(`a packed name ends at code unit ${to}, past the ${units.length} there are`);
  let out = "";
  for (let at = from; at < to; at += CHUNK) out += String.fromCharCode.apply(null, units.subarray(at, Math.min(to, at + CHUNK)) as unknown as number[]);
  return out;
}
