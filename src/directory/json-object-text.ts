/**
 * Whether a text is what JSON.parse would make a JSON object of, decided without making it: the
 * startup load checks every user's metadata (a million texts) and keeps the text, parsed when
 * first read (see DirectoryUser). Parsing them all made two or three objects a user for the
 * collector to copy while the load ran, for metadata most users never have read.
 *
 * The grammar is JSON.parse's (ECMA-404): whitespace is space, tab, LF and CR; strings hold no raw
 * control character and only the escapes \" \\ \/ \b \f \n \r \t \uXXXX (lone surrogates
 * allowed); numbers are -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. test/unit/json-object-text.test.ts
 * checks it against JSON.parse.
 */

/** Texts nested deeper than this are refused: answering them would overflow the serializer's stack. */
export const MAX_JSON_DEPTH = 1_000;

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** A JSON object (not another value), at most MAX_JSON_DEPTH deep. */
export function isJsonObjectText(text: string): boolean {
  const at = skipSpace(text, 0);
  if (text.charCodeAt(at) !== OPEN_BRACE) return false;
  const end = value(text, at, 0);
  return end >= 0 && skipSpace(text, end) === text.length;
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== LF && c !== CR && c !== TAB) return i;
    i++;
  }
}

/** The end of the value at `i` (no space before it), or -1. */
function value(text: string, i: number, depth: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return string(text, i);
  if (c === OPEN_BRACE) return depth >= MAX_JSON_DEPTH ? -1 : object(text, i, depth + 1);
  if (c === OPEN_BRACKET) return depth >= MAX_JSON_DEPTH ? -1 : array(text, i, depth + 1);
  if (c === MINUS || (c >= ZERO && c <= NINE)) return number(text, i);
  if (text.startsWith('true', i)) return i + 4;
  if (text.startsWith('false', i)) return i + 5;
  if (text.startsWith('null', i)) return i + 4;
  return -1;
}

function object(text: string, i: number, depth: number): number {
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return -1;
    i = string(text, i);
    if (i < 0) return -1;
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== COLON) return -1;
    i = value(text, skipSpace(text, i + 1), depth);
    if (i < 0) return -1;
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACE) return i + 1;
    if (c !== COMMA) return -1;
    i = skipSpace(text, i + 1);
  }
}

function array(text: string, i: number, depth: number): number {
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACKET) return i + 1;
  for (;;) {
    i = value(text, i, depth);
    if (i < 0) return -1;
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACKET) return i + 1;
    if (c !== COMMA) return -1;
    i = skipSpace(text, i + 1);
  }
}

/** The end of the string whose opening quote is at `i`, or -1. */
function string(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c < SPACE) return -1;
    if (c !== BACKSLASH) continue;
    const escaped = text.charCodeAt(++i);
    if (escaped === 0x75 /* u */) {
      for (let k = 1; k <= 4; k++) if (!isHexDigit(text.charCodeAt(i + k))) return -1;
      i += 4;
    } else if (!isSimpleEscape(escaped)) {
      return -1;
    }
  }
  return -1;
}

/** After a backslash: " \ / b f n r t. */
function isSimpleEscape(c: number): boolean {
  return c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;
}

function isHexDigit(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function number(text: string, i: number): number {
  if (text.charCodeAt(i) === MINUS) i++;
  const first = text.charCodeAt(i);
  if (first === ZERO) i++;
  else if (first > ZERO && first <= NINE) i = digits(text, i);
  else return -1;
  if (text.charCodeAt(i) === DOT) {
    const after = digits(text, i + 1);
    if (after === i + 1) return -1;
    i = after;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === PLUS || sign === MINUS) i++;
    const after = digits(text, i);
    if (after === i) return -1;
    i = after;
  }
  return i;
}

/** Past the digits from `i` (none: `i`). Past the text's end charCodeAt is NaN: not a digit either. */
function digits(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (!(c >= ZERO && c <= NINE)) return i;
    i++;
  }
}
