export { startEmulator, type EmulatorOptions, type RunningEmulator } from './server.ts';
export { runEmulatorCommand } from './cli.ts';
export { DEFAULT_SEED, DEFAULT_SEED_PRIVATE_KEY_PATH } from './seed/default.ts';
export type { Seed, SeedApp, SeedUser, GrantType } from './seed/types.ts';
export type { SeedObjectDef, SeedFieldDef } from './schema/types.ts';
export { Org } from './org.ts';
