import { startEmulator } from './server.ts';

/** `ctibridge emulator`: runs the org in the foreground and prints how to log in to it. */
export async function runEmulatorCommand(opts: { port: number; seed?: string; latency?: number }): Promise<void> {
  const emulator = await startEmulator({
    port: opts.port,
    ...(opts.seed ? { seed: opts.seed } : {}),
    ...(opts.latency !== undefined ? { latencyMs: opts.latency } : {}),
  });
  const seed = emulator.org.seed;
  const app = seed.apps[0];
  const admin = seed.users[0];
  const lines = [
    `Salesforce emulator listening on ${emulator.url}`,
    `  login URL:      ${emulator.url}   (token endpoint ${emulator.url}/services/oauth2/token)`,
    app ? `  client id:      ${app.clientId}` : '',
    app ? `  client secret:  ${app.clientSecret}` : '',
    admin ? `  username:       ${admin.Username}` : '',
    admin ? `  password:       ${admin.password}` : '',
    admin ? `  security token: ${admin.securityToken}` : '',
    `  controls:       ${emulator.url}/__emulator/state  (records, counters, faults, reset)`,
    'Press Ctrl+C to stop.',
  ];
  console.log(lines.filter(Boolean).join('\n'));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void emulator.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
