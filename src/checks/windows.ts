import { type CheckResult, fail, pass } from './types.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface DeployWindow {
  days: readonly Weekday[];
  from: string;
  to: string;
  tz: string;
}

export interface FreezePeriod {
  from: string;
  to: string;
  tz?: string;
  reason?: string;
}

interface LocalTime {
  date: string;
  time: string;
  weekday: Weekday;
}

/** The wall-clock date, time and weekday of `instant` in time zone `tz`. */
export function localTime(instant: Date, tz: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(instant);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}`,
    weekday: get('weekday').toLowerCase().slice(0, 3) as Weekday,
  };
}

function inWindow(now: Date, w: DeployWindow): boolean {
  const local = localTime(now, w.tz);
  if (!w.days.includes(local.weekday)) return false;
  // The config rejects windows that cross midnight (split them in two), so `from` < `to` here.
  return local.time >= w.from && local.time < w.to;
}

const HAS_OFFSET = /(Z|[+-]\d\d:?\d\d)$/;

/** Is `now` inside the freeze? Date-only bounds cover the whole day in the freeze's time zone (default UTC). */
function inFreeze(now: Date, f: FreezePeriod): boolean {
  const local = localTime(now, f.tz ?? 'UTC');
  const stamp = `${local.date}T${local.time}`;
  const after = HAS_OFFSET.test(f.from) ? now >= new Date(f.from) : stamp >= f.from.slice(0, 16);
  const before = HAS_OFFSET.test(f.to)
    ? now <= new Date(f.to)
    : f.to.length === 10
      ? local.date <= f.to
      : stamp <= f.to.slice(0, 16);
  return after && before;
}

function describeWindow(w: DeployWindow): string {
  return `${w.days.join(',')} ${w.from}-${w.to} ${w.tz}`;
}

/** Deploy windows and freeze periods, evaluated at `now`. No windows configured means any time is allowed. */
export function checkSchedule(
  now: Date,
  windows: readonly DeployWindow[] = [],
  freezes: readonly FreezePeriod[] = [],
): CheckResult[] {
  const results: CheckResult[] = [];
  if (windows.length > 0) {
    const open = windows.find((w) => inWindow(now, w));
    const first = windows[0] as DeployWindow;
    const local = localTime(now, first.tz);
    const at = `${local.weekday} ${local.time} ${first.tz}`;
    results.push(
      open
        ? pass('*', 'deploy window', `inside ${describeWindow(open)} (now ${at})`)
        : fail(
            '*',
            'deploy window',
            `outside every deploy window (now ${at}); allowed: ${windows.map(describeWindow).join('; ')}`,
          ),
    );
  }
  const frozen = freezes.find((f) => inFreeze(now, f));
  if (frozen) {
    const why = frozen.reason ? ` (${frozen.reason})` : '';
    results.push(fail('*', 'freeze', `deploys are frozen from ${frozen.from} to ${frozen.to}${why}`));
  } else if (freezes.length > 0) {
    results.push(pass('*', 'freeze', `no freeze period active (${freezes.length} configured)`));
  }
  return results;
}
