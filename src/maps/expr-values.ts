/**
 * Values of the expression language beyond JSON (functions, modules, dates)
 * and Python's semantics for the operators on them. Records and configs are
 * JSON, so a value is JSON data or one of the classes below: nothing reached
 * from an expression is a JavaScript object with methods of its own.
 */

/** A runtime failure of an expression (Python would raise TypeError, ValueError...). */
export class ExprError extends Error {}

export type Args = unknown[];
export type Kwargs = Record<string, unknown>;

export class PyFunction {
  constructor(readonly name: string, readonly call: (args: Args, kwargs: Kwargs) => unknown) {}
}

export class PyModule {
  constructor(readonly name: string, readonly members: ReadonlyMap<string, unknown>) {}
}

/** A point in time (UTC); `dateOnly` for datetime.date values. */
export class PyDateTime {
  constructor(readonly ms: number, readonly dateOnly = false) {}
}

export class PyTimeDelta {
  constructor(readonly ms: number) {}
}

export class PyTimezone {
  static readonly utc = new PyTimezone();
}

/** Caps string and list repetition (`'a' * 10**9`) so a config cannot exhaust memory. */
export const MAX_SEQUENCE = 1_000_000;

export function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyFunction) return 'function';
  if (v instanceof PyModule) return 'module';
  if (v instanceof PyDateTime) return v.dateOnly ? 'date' : 'datetime';
  if (v instanceof PyTimeDelta) return 'timedelta';
  if (v instanceof PyTimezone) return 'timezone';
  return 'dict';
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  if (v instanceof PyTimeDelta) return v.ms !== 0;
  return true;
}

/** Python's int/float view of a value (bools are ints), or undefined. */
function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

function unsupported(op: string, a: unknown, b: unknown): ExprError {
  return new ExprError(`unsupported operand types for ${op}: '${pyType(a)}' and '${pyType(b)}'`);
}

function repeat(seq: string | unknown[], times: number): string | unknown[] {
  const n = Math.max(0, Math.trunc(times));
  if (seq.length * n > MAX_SEQUENCE) throw new ExprError(`repetition longer than ${MAX_SEQUENCE} items`);
  if (typeof seq === 'string') return seq.repeat(n);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...seq);
  return out;
}

export function binary(op: string, a: unknown, b: unknown): unknown {
  // None in, None out (Python would raise): seed + phone for a user without a phone hashes to null, not a failed sync.
  if (a === null || a === undefined || b === null || b === undefined) return null;
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) {
    switch (op) {
      case '+': return x + y;
      case '-': return x - y;
      case '*': return x * y;
      case '/':
        if (y === 0) throw new ExprError('division by zero');
        return x / y;
      case '//':
        if (y === 0) throw new ExprError('integer division by zero');
        return Math.floor(x / y);
      case '%':
        if (y === 0) throw new ExprError('modulo by zero');
        return x - y * Math.floor(x / y);
      case '**': return x ** y;
    }
  }
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') {
      if (a.length + b.length > MAX_SEQUENCE * 16) throw new ExprError('string too long');
      return a + b;
    }
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  }
  if (op === '*') {
    if ((typeof a === 'string' || Array.isArray(a)) && typeof b === 'number' && Number.isInteger(b)) return repeat(a, b);
    if ((typeof b === 'string' || Array.isArray(b)) && typeof a === 'number' && Number.isInteger(a)) return repeat(b, a);
  }
  const dated = dateArithmetic(op, a, b);
  if (dated !== undefined) return dated;
  throw unsupported(op, a, b);
}

function dateArithmetic(op: string, a: unknown, b: unknown): unknown {
  if (a instanceof PyDateTime && b instanceof PyTimeDelta) {
    if (op === '+') return new PyDateTime(a.ms + b.ms, a.dateOnly);
    if (op === '-') return new PyDateTime(a.ms - b.ms, a.dateOnly);
  }
  if (a instanceof PyTimeDelta && b instanceof PyDateTime && op === '+') return new PyDateTime(a.ms + b.ms, b.dateOnly);
  if (a instanceof PyDateTime && b instanceof PyDateTime && op === '-') return new PyTimeDelta(a.ms - b.ms);
  if (a instanceof PyTimeDelta && b instanceof PyTimeDelta) {
    if (op === '+') return new PyTimeDelta(a.ms + b.ms);
    if (op === '-') return new PyTimeDelta(a.ms - b.ms);
    if (op === '/') return a.ms / b.ms;
  }
  if (a instanceof PyTimeDelta && typeof b === 'number' && (op === '*' || op === '/')) return new PyTimeDelta(op === '*' ? a.ms * b : a.ms / b);
  return undefined;
}

export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return x === y;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  if (a instanceof PyDateTime && b instanceof PyDateTime) return a.ms === b.ms;
  if (a instanceof PyTimeDelta && b instanceof PyTimeDelta) return a.ms === b.ms;
  return false;
}

/** -1, 0 or 1; undefined when either side is None (an ordering with a missing value is false). */
function order(a: unknown, b: unknown, op: string): number | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof PyDateTime && b instanceof PyDateTime) return Math.sign(a.ms - b.ms);
  if (a instanceof PyTimeDelta && b instanceof PyTimeDelta) return Math.sign(a.ms - b.ms);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!equal(a[i], b[i])) return order(a[i], b[i], op);
    }
    return Math.sign(a.length - b.length);
  }
  throw new ExprError(`'${op}' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`);
}

function contains(container: unknown, item: unknown): boolean {
  if (container === null || container === undefined) return false;
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new ExprError(`'in <string>' requires string as left operand, not ${pyType(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((v) => equal(v, item));
  if (isDict(container)) return typeof item === 'string' && Object.hasOwn(container, item);
  throw new ExprError(`argument of type '${pyType(container)}' is not iterable`);
}

export function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==': return equal(a, b);
    case '!=': return !equal(a, b);
    case 'in': return contains(b, a);
    case 'not in': return !contains(b, a);
    case 'is': return (a ?? null) === (b ?? null);
    case 'is not': return (a ?? null) !== (b ?? null);
  }
  const o = order(a, b, op);
  if (o === undefined) return false;
  switch (op) {
    case '<': return o < 0;
    case '<=': return o <= 0;
    case '>': return o > 0;
    default: return o >= 0;
  }
}

/** Python's index normalisation: negative counts from the end; undefined when out of range. */
function position(i: unknown, length: number): number | undefined {
  if (typeof i !== 'number' || !Number.isInteger(i)) throw new ExprError(`indices must be integers, not ${pyType(i)}`);
  const p = i < 0 ? length + i : i;
  return p >= 0 && p < length ? p : undefined;
}

/** `obj[key]`: a missing key or an index out of range reads as None, like a missing field. */
export function subscript(obj: unknown, key: unknown): unknown {
  if (obj === null || obj === undefined) return null;
  if (isDict(obj)) {
    if (typeof key !== 'string') return null;
    return Object.hasOwn(obj, key) ? obj[key] : null;
  }
  if (Array.isArray(obj)) {
    const p = position(key, obj.length);
    return p === undefined ? null : obj[p];
  }
  if (typeof obj === 'string') {
    const p = position(key, obj.length);
    return p === undefined ? '' : obj[p];
  }
  throw new ExprError(`'${pyType(obj)}' object is not subscriptable`);
}

export function slice(obj: unknown, lo: unknown, hi: unknown, step: unknown): unknown {
  if (obj === null || obj === undefined) return null;
  if (typeof obj !== 'string' && !Array.isArray(obj)) throw new ExprError(`'${pyType(obj)}' object is not subscriptable`);
  const n = obj.length;
  const s = step === null || step === undefined ? 1 : step;
  if (typeof s !== 'number' || !Number.isInteger(s) || s === 0) throw new ExprError('slice step must be a non-zero integer');
  const bound = (v: unknown, dflt: number): number => {
    if (v === null || v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ExprError(`slice indices must be integers, not ${pyType(v)}`);
    const p = v < 0 ? n + v : v;
    return s > 0 ? Math.min(Math.max(p, 0), n) : Math.min(Math.max(p, -1), n - 1);
  };
  const start = bound(lo, s > 0 ? 0 : n - 1);
  const end = bound(hi, s > 0 ? n : -1);
  const items: unknown[] = [];
  for (let i = start; s > 0 ? i < end : i > end; i += s) items.push(obj[i]);
  return typeof obj === 'string' ? items.join('') : items;
}

/** A value as a record field: dates become RFC 3339 strings, time spans seconds. */
export function toJson(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof PyDateTime) return isoformat(v, true);
  if (v instanceof PyTimeDelta) return v.ms / 1000;
  if (v instanceof PyFunction || v instanceof PyModule || v instanceof PyTimezone) throw new ExprError(`a ${pyType(v)} is not a value a record can hold`);
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

export function isoformat(d: PyDateTime, utcZ = false): string {
  const iso = new Date(d.ms).toISOString();
  if (d.dateOnly) return iso.slice(0, 10);
  const base = iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
  return utcZ ? `${base}Z` : `${base}+00:00`;
}

/** Python's str(): used by str() and string formatting of values. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return String(v);
  }
  if (v instanceof PyDateTime) return isoformat(v).replace('T', ' ');
  if (v instanceof PyTimeDelta) return `${v.ms / 1000}`;
  if (v instanceof PyFunction) return `<function ${v.name}>`;
  if (v instanceof PyModule) return `<module '${v.name}'>`;
  if (v instanceof PyTimezone) return 'UTC';
  return JSON.stringify(v);
}
