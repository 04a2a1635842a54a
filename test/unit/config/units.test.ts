import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/config/duration.js';
import { parsePercent, parseRate, parseSize, zDiskThreshold, zDuration, zSize } from '../../../src/config/units.js';
import { ConfigError } from '../../../src/core/errors.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['0s', 0],
    ['2s', 2000],
    ['1.5s', 1500],
    ['15m', 900_000],
    ['6h', 21_600_000],
    ['1d', 86_400_000],
    ['1m30s', 90_000],
    ['1h30m', 5_400_000],
    ['1d2h3m4s5ms', 93_784_005],
  ])('%s → %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([
    ['30', /invalid duration "30": expected a duration with a unit, like "30s"/],
    ['', /invalid duration "": expected a duration like 500ms, 30s, 5m, 6h or 1d/],
    ['5 minutes', /invalid duration "5 minutes": expected a duration like 500ms/],
    ['5M', /expected a duration like/],
    [' 5s', /expected a duration like/],
    ['-5s', /expected a duration like/],
    ['1w', /expected a duration like/],
    ['30s1m', /units must go from largest to smallest/],
    ['1m1m', /units must go from largest to smallest/],
    ['0.5ms', /whole number of milliseconds/],
    ['367d', /at most 366d/],
  ])('rejects %j', (input, message) => {
    expect(() => parseDuration(input)).toThrow(ConfigError);
    expect(() => parseDuration(input)).toThrow(message);
  });

  it('is the sum of its parts for any combination of units (property)', () => {
    fc.assert(
      fc.property(fc.nat(99), fc.nat(23), fc.nat(59), fc.nat(59), (d, h, m, s) => {
        expect(parseDuration(`${d}d${h}h${m}m${s}s`)).toBe(((d * 24 + h) * 60 + m) * 60_000 + s * 1000);
      }),
    );
  });
});

describe('parseSize', () => {
  it.each([
    ['512MiB', 512 * 2 ** 20],
    ['10GB', 10_000_000_000],
    ['100k', 100_000],
    ['100K', 100_000],
    ['4096B', 4096],
    ['1.5GiB', 1.5 * 2 ** 30],
    ['2TiB', 2 * 2 ** 40],
  ])('%s → %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  it.each([
    ['100', /invalid size "100": expected a size with a unit, like "100MiB"/],
    ['10 GB', /expected a size like 512MiB, 10GB or 100k/],
    ['10gib', /expected a size like/],
    ['10PB', /expected a size like/],
    ['GiB', /expected a size like/],
  ])('rejects %j', (input, message) => {
    expect(() => parseSize(input)).toThrow(message);
  });
});

describe('parsePercent', () => {
  it.each([
    ['20%', 20],
    ['0%', 0],
    ['100%', 100],
    ['12.5%', 12.5],
  ])('%s → %d', (input, value) => {
    expect(parsePercent(input)).toBe(value);
  });

  it.each(['20', '101%', '-1%', '20 %', '%'])('rejects %j', (input) => {
    expect(() => parsePercent(input)).toThrow(/expected a percentage from 0% to 100%, like 20%/);
  });
});

describe('parseRate', () => {
  it('reads per second and per minute', () => {
    expect(parseRate('20/s')).toBe(20);
    expect(parseRate('600/m')).toBe(10);
  });
  it.each(['20', '20/h', '0/s', '/s'])('rejects %j', (input) => {
    expect(() => parseRate(input)).toThrow(/rate/);
  });
});

describe('zod unit schemas', () => {
  it('output numbers and explain bare numbers', () => {
    expect(zDuration.parse('1m30s')).toBe(90_000);
    expect(zSize.parse('1KiB')).toBe(1024);
    const bare = zDuration.safeParse(30);
    expect(bare.success).toBe(false);
    expect(bare.error?.issues[0]?.message).toBe('expected a duration with a unit, like "30s" (ms, s, m, h or d)');
    const words = zDuration.safeParse('thirty seconds');
    expect(words.error?.issues[0]?.message).toMatch(/^got "thirty seconds", expected a duration like 500ms/);
  });

  it('reads a disk threshold as a percentage or a size', () => {
    expect(zDiskThreshold.parse('20%')).toEqual({ kind: 'percent', percent: 20 });
    expect(zDiskThreshold.parse('5GiB')).toEqual({ kind: 'bytes', bytes: 5 * 2 ** 30 });
    expect(zDiskThreshold.safeParse('150%').error?.issues[0]?.message).toMatch(/expected a percentage from 0% to 100%/);
    expect(zDiskThreshold.safeParse('lots').error?.issues[0]?.message).toBe(
      'got "lots", expected a percentage like 20% or a size like 5GiB',
    );
  });
});
