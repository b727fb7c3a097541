/**
 * The configuration store of one node: the cluster configuration in `${stateDir}/cib.json`.
 *
 * - Durable: every change is written with `saveConfigFile` (temp file in the same directory,
 *   fsync, rename, fsync of the directory), so a crash leaves the old or the new version, never
 *   half of one. Temp files a crash left behind are removed by `open`.
 * - Versioned: `commit` (the DC applying an edit) validates, bumps epoch and saves; `offer` (a
 *   replicated or pulled version) is kept only when strictly newer than the current one, so
 *   after a partition heals the newer version wins everywhere.
 * - Writes are serialised; listeners hear every stored version once, in order.
 */
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  bumpEpoch,
  emptyConfig,
  formatIssues,
  loadConfigFile,
  saveConfigFile,
  validateConfig,
  type ClusterConfig,
  type Result,
} from '../cib/index.ts';
import { compareVersions, formatVersion } from './version.ts';

export const CONFIG_FILE = 'cib.json';

export type StoreChange = { config: ClusterConfig; source: 'commit' | 'replica' };

export interface OpenStoreOptions {
  /** Used when no file exists yet: an empty configuration with these nodes (version 0.0.0). */
  clusterName: string;
  nodes: readonly string[];
}

export class ConfigStore {
  readonly path: string;
  #config: ClusterConfig;
  #chain: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Set<(change: StoreChange) => void>();

  private constructor(path: string, config: ClusterConfig) {
    this.path = path;
    this.#config = config;
  }

  /** Loads `path` (removing stale temp files), or creates it from `options` when absent. */
  static async open(path: string, options: OpenStoreOptions): Promise<Result<ConfigStore>> {
    const dir = dirname(path);
    const prefix = `.${basename(path)}.`;
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const n of names)
      if (n.startsWith(prefix) && n.endsWith('.tmp')) await unlink(join(dir, n)).catch(() => undefined);
    const loaded = await loadConfigFile(path);
    if (loaded.ok) return { ok: true, value: new ConfigStore(path, loaded.value) };
    if (!names.includes(basename(path))) {
      const fresh = emptyConfig(options.clusterName, options.nodes);
      await saveConfigFile(path, fresh);
      return { ok: true, value: new ConfigStore(path, fresh) };
    }
    return {
      ok: false,
      error: `${loaded.error} (move the file away to start from an empty configuration, or restore a copy)`,
    };
  }

  current(): ClusterConfig {
    return this.#config;
  }

  onChange(cb: (change: StoreChange) => void): { dispose(): void } {
    this.#listeners.add(cb);
    return { dispose: () => this.#listeners.delete(cb) };
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const p = this.#chain.then(work);
    this.#chain = p.catch(() => undefined);
    return p;
  }

  /**
   * Stores an edited configuration (the DC's path): refused when invalid (the message lists the
   * errors); otherwise epoch + 1 (num_updates 0), saved, announced. `edit` receives the current
   * configuration at the time the write runs, so concurrent edits never overwrite each other.
   */
  commit(edit: (current: ClusterConfig) => Result<ClusterConfig>): Promise<Result<ClusterConfig>> {
    return this.#serial(async () => {
      const edited = edit(this.#config);
      if (!edited.ok) return edited;
      const report = validateConfig(edited.value);
      if (report.errors.length > 0) {
        return {
          ok: false,
          error: `the configuration would be invalid:\n  ${formatIssues(report.errors, 'error').join('\n  ')}`,
        };
      }
      const next = bumpEpoch({ ...edited.value, version: this.#config.version });
      await saveConfigFile(this.path, next);
      this.#config = next;
      this.#emit({ config: next, source: 'commit' });
      return { ok: true, value: next };
    });
  }

  /**
   * Offers a version from another node: kept (saved, announced) only when strictly newer; resolves
   * true when kept. The cluster name must match.
   */
  offer(candidate: ClusterConfig): Promise<Result<boolean>> {
    return this.#serial(async () => {
      if (candidate.clusterName !== this.#config.clusterName) {
        return {
          ok: false,
          error: `configuration of cluster '${candidate.clusterName}' refused: this node belongs to '${this.#config.clusterName}'`,
        };
      }
      if (compareVersions(candidate.version, this.#config.version) <= 0) return { ok: true, value: false };
      await saveConfigFile(this.path, candidate);
      this.#config = candidate;
      this.#emit({ config: candidate, source: 'replica' });
      return { ok: true, value: true };
    });
  }

  describe(): string {
    return `${this.path} version ${formatVersion(this.#config.version)}`;
  }

  #emit(change: StoreChange): void {
    for (const cb of [...this.#listeners]) cb(change);
  }
}
