import { Redis } from 'ioredis';
import type { Clock } from '../../agent/executor/clock.ts';
import type { Witness, WitnessGrant, WitnessResult } from './types.ts';

export const DEFAULT_WITNESS_LEASE_MS = 1000;

export interface RedisWitnessOptions {
  cluster: string;
  /** The holder's clock: validity is measured on its monotonic time from the send. */
  clock: Clock;
  host?: string;
  port?: number;
  password?: string;
  db?: number;
  /** Key expiry set in Redis. Default 1000 ms. */
  leaseMs?: number;
  /**
   * Subtracted from the holder-side validity: covers the drift between this host's monotonic
   * clock and the Redis server's over one lease. Default max(20, leaseMs / 20).
   */
  driftMarginMs?: number;
  /** A command unanswered for this long answers `unavailable` (ioredis commandTimeout). Default leaseMs / 4. */
  commandTimeoutMs?: number;
  /** An existing client (tests); otherwise one is created and owned. */
  redis?: Redis;
}

/** The key names; `{cluster}` is a Redis Cluster hash tag, so both keys live in one slot. */
export function witnessKeys(cluster: string): { lease: string; token: string } {
  return { lease: `tandem:{${cluster}}:witness`, token: `tandem:{${cluster}}:witness:token` };
}

// KEYS[1] lease key, KEYS[2] token counter; ARGV[1] owner, ARGV[2] leaseMs.
// Take the key with SET NX PX (a new token per acquisition), or extend it when we hold it already.
const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if cur == false then
  redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
  return {1, redis.call('INCR', KEYS[2])}
elseif cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}
end
return {0, cur}`;

// Compare the owner and PEXPIRE atomically: never extends someone else's lease.
const RENEW = `
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}
end
return {0, cur or ''}`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The witness as a lease in Redis (the RS nodes' shared server). The holder believes its lease
 * ends at sendTime + leaseMs − driftMargin on its own monotonic clock, while Redis expires the key
 * leaseMs after it PROCESSED the command (later than the send): so the holder knows it lost the
 * lease before anyone else can take it, whatever the network delay (docs/safety.md). A SIGSTOPped
 * or unreachable server answers `unavailable` after `commandTimeoutMs`; the validity already
 * granted then simply runs out on the holder's clock.
 */
export class RedisWitness implements Witness {
  readonly kind = 'redis';
  readonly leaseMs: number;
  readonly #clock: Clock;
  readonly #driftMarginMs: number;
  readonly #keys: { lease: string; token: string };
  readonly #redis: Redis;
  readonly #owned: boolean;
  readonly #commandTimeoutMs: number;

  constructor(options: RedisWitnessOptions) {
    this.leaseMs = options.leaseMs ?? DEFAULT_WITNESS_LEASE_MS;
    this.#clock = options.clock;
    this.#driftMarginMs = options.driftMarginMs ?? Math.max(20, Math.floor(this.leaseMs / 20));
    if (!(this.leaseMs > this.#driftMarginMs)) {
      throw new RangeError(
        `witness: leaseMs (${this.leaseMs}) must exceed driftMarginMs (${this.#driftMarginMs})`,
      );
    }
    this.#keys = witnessKeys(options.cluster);
    const commandTimeout = options.commandTimeoutMs ?? Math.max(10, Math.floor(this.leaseMs / 4));
    this.#commandTimeoutMs = commandTimeout;
    if (options.redis !== undefined) {
      this.#redis = options.redis;
      this.#owned = false;
    } else {
      this.#redis = new Redis({
        host: options.host ?? '127.0.0.1',
        port: options.port ?? 6379,
        lazyConnect: true,
        // A request that cannot be sent now fails now: a lease must not be granted late.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout,
        connectTimeout: Math.max(100, commandTimeout),
        retryStrategy: () => Math.max(50, Math.floor(this.leaseMs / 5)),
        ...(options.password === undefined ? {} : { password: options.password }),
        ...(options.db === undefined ? {} : { db: options.db }),
      });
      // Errors surface as `unavailable` results; the event only must not crash the process.
      this.#redis.on('error', () => undefined);
      this.#redis.connect().catch(() => undefined);
    }
    this.#owned = options.redis === undefined;
  }

  acquire(owner: string): Promise<WitnessResult<WitnessGrant>> {
    return this.#grant(owner, ACQUIRE, 'acquire');
  }

  renew(owner: string): Promise<WitnessResult<WitnessGrant>> {
    return this.#grant(owner, RENEW, 'renew');
  }

  async release(owner: string): Promise<WitnessResult<void>> {
    if (!(await this.#ready()))
      return unavailable('release', new Error(`not connected (${this.#redis.status})`));
    try {
      const n = await this.#redis.eval(RELEASE, 2, this.#keys.lease, this.#keys.token, owner);
      return n === 1
        ? { ok: true, value: undefined }
        : {
            ok: false,
            error: { kind: 'not-held', message: `witness: ${owner} does not hold ${this.#keys.lease}` },
          };
    } catch (err) {
      return unavailable('release', err);
    }
  }

  async holder(): Promise<WitnessResult<string>> {
    if (!(await this.#ready()))
      return unavailable('holder', new Error(`not connected (${this.#redis.status})`));
    try {
      return { ok: true, value: (await this.#redis.get(this.#keys.lease)) ?? '' };
    } catch (err) {
      return unavailable('holder', err);
    }
  }

  async dispose(): Promise<void> {
    if (!this.#owned) return;
    this.#redis.disconnect();
    return Promise.resolve();
  }

  /**
   * Waits (at most one command timeout) for a connection in progress, since requests are not
   * queued while offline. True when the client is ready.
   */
  async #ready(): Promise<boolean> {
    const r = this.#redis;
    if (r.status === 'ready') return true;
    if (r.status === 'end' || r.status === 'close') return false;
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        r.off('ready', onReady);
        resolve(ok);
      };
      const onReady = (): void => done(true);
      const timer = setTimeout(() => done(false), this.#commandTimeoutMs);
      r.once('ready', onReady);
    });
  }

  async #grant(owner: string, script: string, what: string): Promise<WitnessResult<WitnessGrant>> {
    if (!(await this.#ready())) return unavailable(what, new Error(`not connected (${this.#redis.status})`));
    // Measured BEFORE the request leaves: the holder's lease can only end earlier than Redis's.
    const sentAt = this.#clock.monoNow();
    let reply: unknown;
    try {
      reply = await this.#redis.eval(
        script,
        2,
        this.#keys.lease,
        this.#keys.token,
        owner,
        String(this.leaseMs),
      );
    } catch (err) {
      return unavailable(what, err);
    }
    if (!Array.isArray(reply) || reply.length !== 2) {
      return {
        ok: false,
        error: { kind: 'unavailable', message: `witness ${what}: unexpected reply from Redis` },
      };
    }
    const [granted, detail] = reply as [unknown, unknown];
    if (granted === 1) {
      const token = typeof detail === 'number' ? detail : Number(detail);
      const validUntil = (sentAt + this.leaseMs - this.#driftMarginMs) as WitnessGrant['validUntil'];
      return { ok: true, value: { owner, validUntil, token: Number.isFinite(token) ? token : 0 } };
    }
    const holder = typeof detail === 'string' ? detail : '';
    return holder === ''
      ? {
          ok: false,
          error: {
            kind: 'not-held',
            message: `witness ${what}: ${owner} does not hold ${this.#keys.lease} (expired)`,
          },
        }
      : {
          ok: false,
          error: {
            kind: 'held-by-other',
            holder,
            message: `witness ${what}: ${this.#keys.lease} is held by ${holder}`,
          },
        };
  }
}

function unavailable(
  what: string,
  err: unknown,
): { ok: false; error: { kind: 'unavailable'; message: string } } {
  const reason = err instanceof Error ? err.message : String(err);
  return {
    ok: false,
    error: {
      kind: 'unavailable',
      message: `witness ${what}: Redis unavailable (${reason}); check the witness address and that redis-server runs`,
    },
  };
}
