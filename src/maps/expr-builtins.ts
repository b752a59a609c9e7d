/**
 * What an expression may call: the SDK's documented functions (md5, datetime,
 * bool, json and simpleeval's int, float, str) plus a few harmless ones (len,
 * abs, round, min, max), and whitelisted methods of strings, lists, dicts and
 * dates. Anything not listed here does not exist for an expression.
 */
import * as crypto from 'node:crypto';
import {
  ExprError,
  PyDateTime,
  PyFunction,
  PyModule,
  PyTimeDelta,
  PyTimezone,
  compare,
  isDict,
  isoformat,
  pyStr,
  pyType,
  toJson,
  truthy,
  type Args,
  type Kwargs,
} from './expr-values.js';

/** One-shot crypto.hash (Node >= 20.12) is 2.5x faster than a Hash object per value; hashing is the hot path of PII maps. */
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const md5hex = oneShot ? (s: string): string => oneShot('md5', s, 'hex') : (s: string): string => crypto.createHash('md5').update(s, 'utf8').digest('hex');

function arity(name: string, args: Args, min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new ExprError(`${name}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'} (${args.length} given)`);
  }
}

const fn = (name: string, body: (args: Args, kwargs: Kwargs) => unknown): PyFunction => new PyFunction(name, body);

const INT_TEXT = /^\s*[+-]?\d[\d_]*\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(?:\d[\d_]*\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)\s*$/i;

function toInt(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ExprError(`cannot convert ${pyStr(v)} to integer`);
    return Math.trunc(v);
  }
  if (typeof v === 'string' && INT_TEXT.test(v)) return Number(v.replace(/_/g, '').trim());
  throw new ExprError(`invalid literal for int(): ${JSON.stringify(v)}`);
}

function toFloat(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && FLOAT_TEXT.test(v)) {
    const t = v.trim().toLowerCase().replace(/_/g, '');
    if (t.endsWith('inf') || t.endsWith('infinity')) return t.startsWith('-') ? -Infinity : Infinity;
    return t === 'nan' ? NaN : Number(t);
  }
  throw new ExprError(`could not convert string to float: ${JSON.stringify(v)}`);
}

function sizeOf(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isDict(v)) return Object.keys(v).length;
  throw new ExprError(`object of type '${pyType(v)}' has no len()`);
}

function extreme(name: string, args: Args, pick: (a: unknown, b: unknown) => boolean): unknown {
  const items = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (items.length === 0) throw new ExprError(`${name}() arg is an empty sequence`);
  let best = items[0];
  for (const v of items.slice(1)) if (pick(v, best)) best = v;
  return best;
}

// ----------------------------------------------------------------- datetime

function parseIso(v: unknown): PyDateTime {
  if (typeof v !== 'string') throw new ExprError(`fromisoformat: argument must be str, not ${pyType(v)}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(v.trim());
  if (!m) throw new ExprError(`Invalid isoformat string: ${JSON.stringify(v)}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', tz] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  if (Number.isNaN(ms)) throw new ExprError(`Invalid isoformat string: ${JSON.stringify(v)}`);
  return new PyDateTime(ms);
}

function timedelta(args: Args, kw: Kwargs): PyTimeDelta {
  const names = ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'];
  const unit = [86_400_000, 1000, 0.001, 1, 60_000, 3_600_000, 604_800_000];
  if (args.length > names.length) throw new ExprError('timedelta() takes at most 7 arguments');
  let ms = 0;
  const seen = new Set<string>();
  args.forEach((v, i) => {
    seen.add(names[i]!);
    ms += Number(toFloat(v) ?? 0) * unit[i]!;
  });
  for (const [k, v] of Object.entries(kw)) {
    const i = names.indexOf(k);
    if (i < 0 || seen.has(k)) throw new ExprError(`timedelta() got an unexpected keyword argument '${k}'`);
    ms += Number(toFloat(v) ?? 0) * unit[i]!;
  }
  return new PyTimeDelta(ms);
}

const DATETIME_CLASS = new PyModule('datetime.datetime', new Map<string, unknown>([
  ['now', fn('now', () => new PyDateTime(Date.now()))],
  ['utcnow', fn('utcnow', () => new PyDateTime(Date.now()))],
  ['fromisoformat', fn('fromisoformat', (a) => (arity('fromisoformat', a, 1), parseIso(a[0])))],
  ['fromtimestamp', fn('fromtimestamp', (a) => {
    arity('fromtimestamp', a, 1, 2);
    const ts = toFloat(a[0]);
    if (ts === null) return null;
    return new PyDateTime(Number(ts) * 1000);
  })],
]));

const DATE_CLASS = new PyModule('datetime.date', new Map<string, unknown>([
  ['today', fn('today', () => new PyDateTime(Math.floor(Date.now() / 86_400_000) * 86_400_000, true))],
  ['fromisoformat', fn('fromisoformat', (a) => {
    arity('fromisoformat', a, 1);
    const d = parseIso(a[0]);
    return new PyDateTime(Math.floor(d.ms / 86_400_000) * 86_400_000, true);
  })],
]));

const DATETIME = new PyModule('datetime', new Map<string, unknown>([
  ['datetime', DATETIME_CLASS],
  ['date', DATE_CLASS],
  ['timedelta', fn('timedelta', timedelta)],
  ['timezone', new PyModule('datetime.timezone', new Map([['utc', PyTimezone.utc]]))],
]));

const JSON_MODULE = new PyModule('json', new Map<string, unknown>([
  ['dumps', fn('dumps', (a) => (arity('dumps', a, 1), JSON.stringify(toJson(a[0]), (_k, v: unknown) => toJson(v))))],
  ['loads', fn('loads', (a) => {
    arity('loads', a, 1);
    if (a[0] === null || a[0] === undefined) return null;
    if (typeof a[0] !== 'string') throw new ExprError(`the JSON object must be str, not ${pyType(a[0])}`);
    try {
      return JSON.parse(a[0]) as unknown;
    } catch {
      throw new ExprError('json.loads: invalid JSON');
    }
  })],
]));

/** Names an expression can use besides the record's fields, `record`, `_`, `self` and `config`. */
export const GLOBALS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  // None in, None out: a missing email hashes to null instead of failing the sync (Python would raise).
  ['md5', fn('md5', (a) => {
    arity('md5', a, 1);
    const v = a[0];
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string') throw new ExprError(`md5() needs a string, got ${pyType(v)}: wrap it in str()`);
    return md5hex(v);
  })],
  ['str', fn('str', (a) => (arity('str', a, 0, 1), a.length ? pyStr(a[0]) : ''))],
  ['int', fn('int', (a) => (arity('int', a, 1), toInt(a[0])))],
  ['float', fn('float', (a) => (arity('float', a, 1), toFloat(a[0])))],
  ['bool', fn('bool', (a) => (arity('bool', a, 0, 1), a.length ? truthy(a[0]) : false))],
  ['len', fn('len', (a) => (arity('len', a, 1), sizeOf(a[0])))],
  ['abs', fn('abs', (a) => {
    arity('abs', a, 1);
    if (a[0] === null || a[0] === undefined) return null;
    if (typeof a[0] !== 'number') throw new ExprError(`bad operand type for abs(): '${pyType(a[0])}'`);
    return Math.abs(a[0]);
  })],
  ['round', fn('round', (a) => {
    arity('round', a, 1, 2);
    if (a[0] === null || a[0] === undefined) return null;
    if (typeof a[0] !== 'number') throw new ExprError(`type ${pyType(a[0])} doesn't define __round__`);
    const digits = a[1] === undefined || a[1] === null ? 0 : Number(toInt(a[1]));
    const f = 10 ** digits;
    return Math.round(a[0] * f) / f;
  })],
  ['min', fn('min', (a) => extreme('min', a, (x, y) => compare('<', x, y)))],
  ['max', fn('max', (a) => extreme('max', a, (x, y) => compare('>', x, y)))],
  ['datetime', DATETIME],
  ['json', JSON_MODULE],
]);

// ----------------------------------------------------------------- methods


function str(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new ExprError(`${name}() argument must be str, not ${pyType(v)}`);
  return v;
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? ' \t\n\r\f\v' : str('strip', chars);
  let a = 0;
  let b = s.length;
  while (left && a < b && set.includes(s[a]!)) a++;
  while (right && b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function split(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : Number(toInt(maxsplit));
  if (sep === undefined || sep === null) {
    const parts = s.trim().split(/\s+/).filter((p) => p !== '');
    if (max < 0 || parts.length <= max + 1) return parts;
    // Whitespace split with a limit keeps the rest as it was.
    const out: string[] = [];
    let rest = s.replace(/^\s+/, '');
    for (let i = 0; i < max; i++) {
      const m = /\s+/.exec(rest);
      if (!m) break;
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return [...out, rest];
  }
  const d = str('split', sep);
  if (d === '') throw new ExprError('empty separator');
  const parts = s.split(d);
  if (max < 0 || parts.length <= max + 1) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(d)];
}

function affix(name: string, s: string, arg: unknown, test: (s: string, a: string) => boolean): boolean {
  if (Array.isArray(arg)) return arg.some((a) => test(s, str(name, a)));
  return test(s, str(name, arg));
}

const STRING_METHODS: Record<string, (s: string, a: Args) => unknown> = {
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  casefold: (s) => s.toLowerCase(),
  strip: (s, a) => stripChars(s, a[0], true, true),
  lstrip: (s, a) => stripChars(s, a[0], true, false),
  rstrip: (s, a) => stripChars(s, a[0], false, true),
  split: (s, a) => split(s, a[0], a[1]),
  replace: (s, a) => {
    const [from, to, count] = [str('replace', a[0]), str('replace', a[1]), a[2] === undefined ? -1 : Number(toInt(a[2]))];
    if (count < 0) return s.split(from).join(to);
    const parts = s.split(from);
    return parts.slice(0, count + 1).join(to) + (parts.length > count + 1 ? from + parts.slice(count + 1).join(from) : '');
  },
  startswith: (s, a) => affix('startswith', s, a[0], (x, p) => x.startsWith(p)),
  endswith: (s, a) => affix('endswith', s, a[0], (x, p) => x.endsWith(p)),
  find: (s, a) => s.indexOf(str('find', a[0])),
  rfind: (s, a) => s.lastIndexOf(str('rfind', a[0])),
  count: (s, a) => {
    const sub = str('count', a[0]);
    return sub === '' ? s.length + 1 : s.split(sub).length - 1;
  },
  title: (s) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  capitalize: (s) => (s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s),
  join: (s, a) => {
    if (!Array.isArray(a[0])) throw new ExprError(`can only join a list, not ${pyType(a[0])}`);
    return a[0].map((v) => str('join', v)).join(s);
  },
  zfill: (s, a) => {
    const width = Number(toInt(a[0]));
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  },
  isdigit: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\d]+$/u.test(s),
};

const LIST_METHODS: Record<string, (l: unknown[], a: Args) => unknown> = {
  count: (l, a) => l.filter((v) => compare('==', v, a[0])).length,
  index: (l, a) => {
    const i = l.findIndex((v) => compare('==', v, a[0]));
    if (i < 0) throw new ExprError(`${pyStr(a[0])} is not in list`);
    return i;
  },
};

const DICT_METHODS: Record<string, (d: Record<string, unknown>, a: Args) => unknown> = {
  get: (d, a) => (typeof a[0] === 'string' && Object.hasOwn(d, a[0]) ? d[a[0]] : (a[1] ?? null)),
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  items: (d) => Object.entries(d),
};

const DATETIME_MEMBERS: Record<string, (d: PyDateTime) => unknown> = {
  year: (d) => new Date(d.ms).getUTCFullYear(),
  month: (d) => new Date(d.ms).getUTCMonth() + 1,
  day: (d) => new Date(d.ms).getUTCDate(),
  hour: (d) => new Date(d.ms).getUTCHours(),
  minute: (d) => new Date(d.ms).getUTCMinutes(),
  second: (d) => new Date(d.ms).getUTCSeconds(),
  isoformat: (d) => fn('isoformat', () => isoformat(d)),
  timestamp: (d) => fn('timestamp', () => d.ms / 1000),
  date: (d) => fn('date', () => new PyDateTime(Math.floor(d.ms / 86_400_000) * 86_400_000, true)),
  weekday: (d) => fn('weekday', () => (new Date(d.ms).getUTCDay() + 6) % 7),
};

const TIMEDELTA_MEMBERS: Record<string, (d: PyTimeDelta) => unknown> = {
  days: (d) => Math.floor(d.ms / 86_400_000),
  total_seconds: (d) => fn('total_seconds', () => d.ms / 1000),
};

/** Every attribute name an expression may use: anything else is rejected when the map is compiled. */
export const ATTRIBUTES: ReadonlySet<string> = new Set([
  ...Object.keys(STRING_METHODS),
  ...Object.keys(LIST_METHODS),
  ...Object.keys(DICT_METHODS),
  ...Object.keys(DATETIME_MEMBERS),
  ...Object.keys(TIMEDELTA_MEMBERS),
  ...[DATETIME, DATETIME_CLASS, DATE_CLASS, JSON_MODULE].flatMap((m) => [...m.members.keys()]),
  'utc',
]);

function method<T>(table: Record<string, (self: T, a: Args) => unknown>, self: T, name: string): PyFunction | undefined {
  if (!Object.hasOwn(table, name)) return undefined;
  const body = table[name]!;
  return fn(name, (a) => body(self, a));
}

/** `obj.name`. Attributes of None are None (null-safe), so `email.lower()` on a user without an email is null. */
export function attribute(obj: unknown, name: string): unknown {
  if (obj === null || obj === undefined) return null;
  let found: unknown;
  if (obj instanceof PyModule) found = obj.members.has(name) ? obj.members.get(name) : undefined;
  else if (typeof obj === 'string') found = method(STRING_METHODS, obj, name);
  else if (Array.isArray(obj)) found = method(LIST_METHODS, obj, name);
  else if (obj instanceof PyDateTime) found = Object.hasOwn(DATETIME_MEMBERS, name) ? DATETIME_MEMBERS[name]!(obj) : undefined;
  else if (obj instanceof PyTimeDelta) found = Object.hasOwn(TIMEDELTA_MEMBERS, name) ? TIMEDELTA_MEMBERS[name]!(obj) : undefined;
  else if (isDict(obj)) found = method(DICT_METHODS, obj, name);
  if (found === undefined) {
    const hint = isDict(obj) ? ` (use ['${name}'] for a key)` : '';
    throw new ExprError(`'${pyType(obj)}' object has no attribute '${name}'${hint}`);
  }
  return found;
}

