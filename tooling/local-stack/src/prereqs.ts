import { execFileSync, spawnSync } from 'node:child_process';

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

let aptUpdated = false;

/**
 * Makes sure a machine command exists, installing its Debian package when we can (root + apt-get).
 * Anything else gets one clear line saying what is missing and how to get it.
 */
export function ensureCommand(command: string, debianPackage: string, log: (line: string) => void): void {
  if (has(command)) return;
  const canApt = has('apt-get') && process.getuid?.() === 0;
  if (!canApt) {
    throw new Error(
      `local-stack: '${command}' is missing; install it with: apt-get install -y ${debianPackage}`,
    );
  }
  log(`installing ${debianPackage} with apt-get (provides '${command}')`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    aptUpdated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', debianPackage], {
    stdio: 'inherit',
    env,
  });
  if (!has(command))
    throw new Error(`local-stack: installed ${debianPackage} but '${command}' is still not on PATH`);
}

export function javaVersion(): string {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return (out.stderr || out.stdout).split('\n')[0]?.trim() ?? 'unknown';
}
