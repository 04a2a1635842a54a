import { describe, expect, it } from 'vitest';
import { checkSchedule, localTime } from '../../../src/checks/windows.js';

const berlin = { days: ['mon', 'tue', 'wed', 'thu'] as const, from: '09:00', to: '16:00', tz: 'Europe/Berlin' };

describe("deploy windows and freezes, in the window's own time zone", () => {
  it.each([
    ['Monday 08:30 UTC = 09:30 Berlin (winter)', '2026-11-23T08:30:00Z', 'pass'],
    ['Monday 07:59 UTC = 08:59 Berlin', '2026-11-23T07:59:00Z', 'fail'],
    ['Monday 15:00 UTC = 16:00 Berlin: the end is exclusive', '2026-11-23T15:00:00Z', 'fail'],
    ['Friday 10:00 Berlin', '2026-11-27T09:00:00Z', 'fail'],
    ['Thursday 09:00 Berlin in summer (UTC+2)', '2026-07-02T07:00:00Z', 'pass'],
    ['Sunday 23:30 UTC is already Monday 00:30 in Berlin, outside hours', '2026-11-22T23:30:00Z', 'fail'],
  ])('%s', (_name, at, status) => {
    const [r] = checkSchedule(new Date(at), [{ ...berlin, days: [...berlin.days] }]);
    expect(r?.status).toBe(status);
    expect(r?.detail).toContain('Europe/Berlin');
  });

  it('names the local time and the allowed windows when outside', () => {
    const [r] = checkSchedule(new Date('2026-11-27T09:00:00Z'), [{ ...berlin, days: [...berlin.days] }]);
    expect(r?.detail).toBe(
      'outside every deploy window (now fri 10:00 Europe/Berlin); allowed: mon,tue,wed,thu 09:00-16:00 Europe/Berlin',
    );
  });

  it.each([
    ['before a date-only freeze', '2026-12-19T22:59:00Z', 'pass'],
    ['its first local day (Berlin midnight = 23:00 UTC the day before)', '2026-12-19T23:00:00Z', 'fail'],
    ['its last day, late evening', '2027-01-04T22:00:00Z', 'fail'],
    ['the day after', '2027-01-04T23:00:00Z', 'pass'],
  ])('freeze: %s', (_name, at, status) => {
    const results = checkSchedule(
      new Date(at),
      [],
      [{ from: '2026-12-20', to: '2027-01-04', tz: 'Europe/Berlin', reason: 'holidays' }],
    );
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe(status);
    if (status === 'fail')
      expect(results[0]?.detail).toBe('deploys are frozen from 2026-12-20 to 2027-01-04 (holidays)');
  });

  it('a freeze with explicit offsets compares instants', () => {
    const freeze = [{ from: '2026-11-23T10:00:00+01:00', to: '2026-11-23T12:00:00+01:00' }];
    expect(checkSchedule(new Date('2026-11-23T09:30:00Z'), [], freeze)[0]?.status).toBe('fail');
    expect(checkSchedule(new Date('2026-11-23T11:30:00Z'), [], freeze)[0]?.status).toBe('pass');
  });

  it('no windows and no freezes: nothing to report', () => {
    expect(checkSchedule(new Date(), [], [])).toEqual([]);
  });

  it('localTime follows daylight saving', () => {
    expect(localTime(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toEqual({
      date: '2026-03-29',
      time: '03:30',
      weekday: 'sun',
    });
  });
});
