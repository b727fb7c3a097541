import type { ClusterConfig } from './model.ts';
import type { ClusterStatus } from './status.ts';
import { fail, ok, type Result } from './result.ts';

export function serializeConfig(config: ClusterConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}

export function parseConfigJson(text: string): Result<ClusterConfig> {
  try {
    return ok(JSON.parse(text) as ClusterConfig);
  } catch (e) {
    return fail(String(e));
  }
}

export function bumpEpoch(config: ClusterConfig): ClusterConfig {
  return { ...config, version: { ...config.version, epoch: config.version.epoch + 1, numUpdates: 0 } };
}

export function loadConfigFile(_path: string): Promise<Result<ClusterConfig>> {
  return Promise.resolve(fail('not implemented yet'));
}

export function saveConfigFile(_path: string, _config: ClusterConfig): Promise<void> {
  return Promise.reject(new Error('not implemented yet'));
}

export function serializeStatus(status: ClusterStatus): string {
  return JSON.stringify(status, null, 2) + '\n';
}

export function parseStatusJson(text: string): Result<ClusterStatus> {
  try {
    return ok(JSON.parse(text) as ClusterStatus);
  } catch (e) {
    return fail(String(e));
  }
}

export function loadStatusFile(_path: string): Promise<Result<ClusterStatus>> {
  return Promise.resolve(fail('not implemented yet'));
}

export function saveStatusFile(_path: string, _status: ClusterStatus): Promise<void> {
  return Promise.reject(new Error('not implemented yet'));
}
