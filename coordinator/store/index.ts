/**
 * The configuration store: durable, versioned, replicated (newer version wins). Other folders
 * import from here.
 */
export { CONFIG_FILE, ConfigStore, type OpenStoreOptions, type StoreChange } from './config-store.ts';
export { Replicator, type ReplicaLink, type ReplicatorLogger } from './replicator.ts';
export { compareVersions, formatVersion, versionNumber } from './version.ts';
