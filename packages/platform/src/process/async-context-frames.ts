/**
 * Whether AsyncLocalStorage runs on async context frames in this process:
 * the default from Node 24 (unless turned off), behind a flag on Node 22.
 * Without them it rides on async_hooks, whose promise hooks cost every
 * promise: about a fifth more CPU per decision, measured (scripts/run.sh
 * and the Dockerfile set the flag).
 */
export function asyncContextFramesOn(
  nodeVersion: string = process.versions.node,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): boolean {
  const flags = [...execArgv, ...nodeOptions.split(/\s+/)];
  if (flags.includes('--no-experimental-async-context-frame')) return false;
  if (Number(nodeVersion.split('.')[0]) >= 24) return true;
  return flags.includes('--experimental-async-context-frame');
}
