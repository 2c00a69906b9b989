/**
 * Bad values of createSyslogSink's options found in review (2026-12): each is a ConfigError naming the
 * option at creation, not a TypeError at the first reconnect or an "untrusted certificate" at the first
 * connection; and a very low UDP rate waits in steps a timer can hold.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../../src/delivery/rate-limit.js';
import { createSyslogSink } from '../../../src/index.js';
import { createFakeClock } from '../../helpers/clock.js';
import { expectSinkConfigError } from '../../helpers/sink-options.js';

describe('syslog sink options, review', () => {
  it('checks the clock as the client does: sleep and random must be functions', () => {
    const now = (): number => 0;
    expectSinkConfigError(
      'tcp://h:601',
      { clock: { now, sleep: 5 } as never },
      '`clock.sleep` must be a function, got 5',
    );
    expectSinkConfigError(
      'tcp://h:601',
      { clock: { now, random: 'x' } as never },
      '`clock.random` must be a function, got "x"',
    );
    expectSinkConfigError(
      'tcp://h:601',
      { clock: { now: 5 } as never },
      /^`clock` must be an object with a now\(\) function/,
    );
  });

  it('refuses a `ca` that holds no certificate, or one that cannot be read, without echoing it', () => {
    expectSinkConfigError(
      'tls://h:6514',
      { ca: 'secret-looking text' },
      '`ca` must be PEM text (a string or Buffer with a "-----BEGIN CERTIFICATE-----" block), got a string without a certificate',
    );
    expectSinkConfigError(
      'tls://h:6514',
      { ca: [Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')] },
      /^`ca` certificate 1 of 1 cannot be read: /,
    );
    expectSinkConfigError('tls://h:6514', { ca: 42 as never }, /^`ca` must be PEM text .*, got 42$/);
  });

  it('refuses a numeric procId that is no process id', () => {
    for (const procId of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY]) {
      expectSinkConfigError(
        'udp://h:514',
        { procId },
        `\`procId\` must be a non-negative integer or a text, got ${String(procId)}`,
      );
    }
    assert.doesNotThrow(() => createSyslogSink('udp://h:514', { procId: 0 }).destroy());
  });

  it('waits for a token of a very low rate in steps a timer can hold', async () => {
    const clock = createFakeClock(0);
    const bucket = new TokenBucket(1e-7, clock);
    await bucket.take();
    await bucket.take();
    assert.ok(clock.sleeps.length > 1, `${clock.sleeps.length} sleeps`);
    assert.ok(
      clock.sleeps.every((ms) => ms >= 1 && ms <= 2_147_483_647),
      `sleeps: ${clock.sleeps.join(', ')}`,
    );
    // 1e-7 tokens a second: the second token comes 1e10 ms after the first.
    assert.ok(clock.now() >= 1e10, String(clock.now()));
  });
});
