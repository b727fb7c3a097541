/**
 * The daemon's root logger (pino, JSON): to stdout, stderr or a file (tandem.conf `log`). The only
 * place tandemd creates one; components get children (`log.child({ component })`).
 */
import { pino, type Logger } from 'pino';

export type DaemonLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error' | 'child'>;

export function createRootLogger(target: string, level: string, node: string): Logger {
  const dest =
    target === 'stdout'
      ? pino.destination({ dest: 1, sync: true })
      : target === 'stderr'
        ? pino.destination({ dest: 2, sync: true })
        : pino.destination({ dest: target, sync: true, mkdir: true, append: true });
  return pino({ level, base: { node, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, dest);
}
