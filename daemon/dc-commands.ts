/**
 * The DC's side of the live CLI: one pcs-style command (the words after `tandem`) applied to the
 * stored configuration, or to the controller (cleanup). Listing commands answer from the current
 * configuration; edits go through `ConfigStore.commit` (validated, epoch + 1, durable), after which
 * the caller replicates and tells the controller. `resource move|ban|clear` are configuration
 * edits too (cli-prefer-/cli-ban- location constraints, optionally expiring with lifetime=).
 */
import {
  formatIssues,
  parseDurationMs,
  validateConfig,
  type ClusterConfig,
  type Result,
} from '../coordinator/cib/index.ts';
import {
  banResource,
  clearResource,
  moveResource,
  type ControllerApi,
} from '../coordinator/controller/index.ts';
import type { ConfigStore } from '../coordinator/store/index.ts';
import type { CommandReply } from '../coordinator/transport/index.ts';
import { applyConfigCommand } from '../cli/config/apply.ts';
import { showConfig } from '../cli/config/show.ts';

export interface DcCommandContext {
  store: ConfigStore;
  controller: ControllerApi | undefined;
  nowMs: number;
  /** Where a resource (primitive or collective id) is active now, per the DC's last transition. */
  currentNodes(rsc: string): string[];
}

function reply(exitCode: number, stdout = '', stderr = ''): CommandReply {
  return { exitCode, stdout, stderr };
}

function errorReply(message: string, exitCode = 1): CommandReply {
  return reply(exitCode, '', `tandem: ${message}\n`);
}

/** `lifetime=` in the words, removed; the value in ms. */
function takeLifetime(words: string[]): Result<number | undefined> {
  const i = words.findIndex((w) => w.startsWith('lifetime='));
  if (i < 0) return { ok: true, value: undefined };
  const text = (words[i] ?? '').slice('lifetime='.length);
  words.splice(i, 1);
  const ms = parseDurationMs(text);
  if (!ms.ok || !(ms.value > 0)) {
    return { ok: false, error: `lifetime=${text}: expected a duration such as PT1H, 30min or 600 (seconds)` };
  }
  return { ok: true, value: ms.value };
}

async function commit(
  ctx: DcCommandContext,
  edit: (c: ClusterConfig) => Result<ClusterConfig>,
  done: string,
): Promise<CommandReply> {
  const before = ctx.store.current();
  const stored = await ctx.store.commit(edit);
  if (!stored.ok) return errorReply(stored.error);
  const oldWarnings = new Set(formatIssues(validateConfig(before).warnings));
  const fresh = formatIssues(validateConfig(stored.value).warnings).filter((w) => !oldWarnings.has(w));
  return reply(0, done, fresh.map((w) => `tandem: warning: ${w}\n`).join(''));
}

async function moveBanClear(words: readonly string[], ctx: DcCommandContext): Promise<CommandReply> {
  const [, sub = '', ...rest] = words;
  const args = rest.filter((w) => !w.startsWith('--'));
  const lifetime = takeLifetime(args);
  if (!lifetime.ok) return errorReply(lifetime.error, 2);
  const [rsc, node] = args;
  if (rsc === undefined)
    return errorReply(
      `usage: tandem resource ${sub} RESOURCE [NODE]${sub === 'clear' ? '' : ' [lifetime=DURATION]'}`,
      2,
    );
  const opts = lifetime.value !== undefined ? { lifetimeMs: lifetime.value, nowMs: ctx.nowMs } : {};
  if (sub === 'clear') {
    let removed: string[] = [];
    const r = await commit(
      ctx,
      (c) => {
        const cleared = clearResource(c, rsc, node);
        removed = cleared.removed;
        return { ok: true, value: cleared.config };
      },
      '',
    );
    if (r.exitCode !== 0) return r;
    return {
      ...r,
      stdout:
        removed.length === 0 ? `No move/ban constraints for ${rsc}\n` : `Removed ${removed.join(', ')}\n`,
    };
  }
  const current = ctx.currentNodes(rsc);
  if (sub === 'move') {
    if (node !== undefined) {
      return commit(
        ctx,
        (c) => moveResource(c, rsc, node, opts),
        `Location constraint cli-prefer-${rsc} created: ${rsc} prefers ${node}\n`,
      );
    }
    // pcs: move without a node bans the resource from where it runs now.
    const [here] = current;
    if (here === undefined)
      return errorReply(`resource move ${rsc}: it is not running anywhere; name the node to move it to`);
    return commit(
      ctx,
      (c) => banResource(c, rsc, here, opts),
      `${rsc} banned from ${here} (cli-ban-${rsc}-on-${here})\n`,
    );
  }
  const target = node ?? current[0];
  if (target === undefined)
    return errorReply(`resource ban ${rsc}: it is not running anywhere; name the node to ban it from`);
  return commit(
    ctx,
    (c) => banResource(c, rsc, target, opts),
    `${rsc} banned from ${target} (cli-ban-${rsc}-on-${target})\n`,
  );
}

/** Runs one command on the DC. Never rejects. */
export async function runDcCommand(words: readonly string[], ctx: DcCommandContext): Promise<CommandReply> {
  const [family, sub] = words;
  if (family === 'resource' && (sub === 'move' || sub === 'ban' || sub === 'clear'))
    return moveBanClear(words, ctx);
  if (family === 'resource' && (sub === 'cleanup' || sub === 'refresh')) {
    const args = words.slice(2);
    const nodeFlag = args.findIndex((w) => w === '--node' || w === 'node');
    const node = nodeFlag >= 0 ? args[nodeFlag + 1] : args.find((w) => w.startsWith('--node='))?.slice(7);
    const rsc = args.find((w, i) => !w.startsWith('-') && w !== 'node' && i !== nodeFlag + 1);
    return cleanup(ctx, rsc, node);
  }
  if (family === 'cluster' && (sub === 'cib' || sub === 'verify')) {
    return errorReply(`\`tandem cluster ${sub}\` works on a file: pass -f FILE (live: \`tandem status\`)`, 2);
  }
  const config = ctx.store.current();
  const shown = showConfig(config, words);
  if (shown !== undefined)
    return shown.ok
      ? reply(0, shown.value)
      : errorReply(shown.error.message, shown.error.kind === 'usage' ? 2 : 1);
  const applied = applyConfigCommand(config, words);
  if (!applied.ok) return errorReply(applied.error.message, applied.error.kind === 'usage' ? 2 : 1);
  const warnings = applied.value.warnings.map((w) => `tandem: warning: ${w}\n`).join('');
  // Re-apply on the configuration current at write time (another edit may have landed meanwhile).
  const r = await commit(
    ctx,
    (c) => {
      const again = applyConfigCommand(c, words);
      return again.ok ? { ok: true, value: again.value.config } : { ok: false, error: again.error.message };
    },
    '',
  );
  return { ...r, stderr: warnings + r.stderr };
}

export function cleanup(
  ctx: DcCommandContext,
  rsc: string | undefined,
  node: string | undefined,
): CommandReply {
  if (ctx.controller === undefined) return errorReply('no DC controller is running on this node');
  const r = ctx.controller.cleanup(rsc, node);
  if (!r.ok) return errorReply(r.error);
  const lines = r.value.cleaned.map((c) => `Cleaned up ${c.rsc} on ${c.node}\n`).join('');
  return reply(0, lines === '' ? 'Nothing to clean up\n' : lines);
}
