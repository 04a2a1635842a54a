import { describe, expect, it } from 'vitest';
import { StreamLogger } from '../../../src/core/logger.js';
import { derivedForms, Masker } from '../../../src/core/masker.js';

function logger(mode: 'actions' | 'cli' = 'actions') {
  const lines: string[] = [];
  const masked: string[] = [];
  const log = new StreamLogger({
    sink: (l) => lines.push(l),
    masker: new Masker(),
    mode,
    debug: false,
    onSecretForm: (f) => masked.push(f),
  });
  return { log, lines, masked };
}

const SECRET = 'hunter2-very-secret';

describe('masking', () => {
  it.each([
    ['plain', SECRET],
    ['base64', Buffer.from(SECRET).toString('base64')],
    ['base64url', Buffer.from(SECRET).toString('base64url')],
    ['url-encoded', encodeURIComponent(`${SECRET}/&`)],
    ['inside a longer base64 blob (offset 1)', Buffer.from(`x${SECRET}tail`).toString('base64')],
    ['inside a longer base64 blob (offset 2)', Buffer.from(`xy${SECRET}tail`).toString('base64')],
  ])('hides the %s form', (_name, shown) => {
    const m = new Masker();
    m.add(`${SECRET}/&`);
    m.add(SECRET);
    const out = m.mask(`value: ${shown} end`);
    expect(out).toContain('***');
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(Buffer.from(SECRET).toString('base64').slice(4, 16));
  });

  it('hides each line of a multi-line secret on its own', () => {
    const m = new Masker();
    m.add('-----BEGIN KEY-----\nAAAAline-one-material\nBBBBline-two-material\n-----END KEY-----');
    expect(m.mask('got BBBBline-two-material here')).toBe('got *** here');
  });

  it('masks a short secret whole but not its tiny fragments, which would shred the log', () => {
    const forms = derivedForms('ab\ncd');
    expect(forms).toContain('ab\ncd');
    expect(forms).not.toContain('ab');
    expect(forms).not.toContain('cd');
  });
});

describe('StreamLogger', () => {
  it('fences remote output with stop-commands so it is printed, not obeyed', () => {
    const { log, lines } = logger();
    log.remote('web1', 'stdout', '::error::x\n::add-mask::y\n');
    expect(lines[0]).toMatch(/^::stop-commands::[0-9a-f]{32}$/);
    const token = lines[0]?.split('::')[2];
    expect(lines.slice(1, 3)).toEqual(['[web1]  ::error::x', '[web1]  ::add-mask::y']);
    expect(lines[3]).toBe(`::${token}::`);
  });

  it('buffers partial lines so a secret split across chunks is still masked', () => {
    const { log, lines } = logger();
    log.addSecret(SECRET);
    log.remote('web1', 'stderr', `token=${SECRET.slice(0, 6)}`);
    log.remote('web1', 'stderr', `${SECRET.slice(6)} done\n`);
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(lines).toContain('[web1]! token=*** done');
  });

  it('flushes an unterminated last line', () => {
    const { log, lines } = logger('cli');
    log.remote('h', 'stdout', 'no newline');
    log.flushRemote();
    expect(lines).toEqual(['[h]  no newline']);
  });

  it('escapes warnings so data cannot start a new command', () => {
    const { log, lines } = logger();
    log.warn('bad\n::error::injected 100%');
    expect(lines).toEqual(['::warning::bad%0A::error::injected 100%25']);
  });

  it('fences our own lines when they quote text that looks like a command', () => {
    const { log, lines } = logger();
    log.info('server said:\n::add-mask::zzz');
    expect(lines[0]).toMatch(/^::stop-commands::/);
    expect(lines).toContain('::add-mask::zzz');
    expect(lines.at(-1)).toMatch(/^::[0-9a-f]{32}::$/);
  });

  it('registers each derived form with the host and masks messages', () => {
    const { log, lines, masked } = logger();
    log.addSecret(SECRET);
    log.info(`using ${Buffer.from(SECRET).toString('base64')}`);
    expect(masked).toContain(SECRET);
    expect(masked).toContain(Buffer.from(SECRET).toString('base64'));
    expect(lines).toEqual(['using ***']);
  });

  it('groups: workflow commands in actions mode, timed markers in cli mode', async () => {
    const a = logger();
    await a.log.group('Phase', async () => a.log.info('inside'));
    expect(a.lines).toEqual(['::group::Phase', 'inside', '::endgroup::']);
    const c = logger('cli');
    await c.log.group('Phase', async () => c.log.info('inside'));
    expect(c.lines[0]).toBe('▶ Phase');
    expect(c.lines[2]).toMatch(/^◀ Phase \(\d+\.\ds\)$/);
  });
});
